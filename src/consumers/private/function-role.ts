import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The role and log group of a function the library creates. */
export interface FunctionIdentity {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/**
 * A role that may write to its own log group only, instead of the AWS managed `AWSLambdaBasicExecutionRole` (which
 * may write to every log group of the account), and a log group with a retention period instead of logs kept forever.
 */
export function createFunctionIdentity(scope: Construct, retention: logs.RetentionDays): FunctionIdentity {
  const role = new iam.Role(scope, 'ServiceRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention });
  logGroup.grantWrite(role);
  return { role, logGroup };
}
