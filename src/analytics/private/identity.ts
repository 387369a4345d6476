import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FlinkLimits } from '../../validation/limits';
import { checkName, fail } from '../../validation/rules';

/** The application name and description the service accepts. */
export function checkIdentity(scope: IConstruct, applicationName?: string, description?: string): void {
  checkName(scope, 'applicationName', applicationName, FlinkLimits.MAX_APPLICATION_NAME_LENGTH, /^[a-zA-Z0-9_.-]+$/, 'letters, digits, underscores, periods and hyphens');
  if (description !== undefined && !Token.isUnresolved(description) && description.length > FlinkLimits.MAX_APPLICATION_DESCRIPTION_LENGTH) {
    fail(scope, `description must be at most ${FlinkLimits.MAX_APPLICATION_DESCRIPTION_LENGTH} characters, got ${description.length}`);
  }
}
