import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Construct ids of the role and the log group, for constructs whose templates already name them. */
export interface FunctionIdentityIds {
  /** @default 'ServiceRole' */
  readonly role?: string;
  /** @default 'Logs' */
  readonly logGroup?: string;
}

/** The role and log group of a function the library creates. */
export interface FunctionIdentity {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/**
 * A role that may write to its own log group only, instead of the AWS managed `AWSLambdaBasicExecutionRole` (which
 * may write to every log group of the account), and a log group with a retention period instead of logs kept forever.
 */
export function createFunctionIdentity(scope: Construct, retention: logs.RetentionDays, ids: FunctionIdentityIds = {}): FunctionIdentity {
  const role = new iam.Role(scope, ids.role ?? 'ServiceRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const logGroup = new logs.LogGroup(scope, ids.logGroup ?? 'Logs', { retention });
  logGroup.grantWrite(role);
  return { role, logGroup };
}
