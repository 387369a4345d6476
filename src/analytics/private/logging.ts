import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag';
import { checkExclusive } from '../../validation/rules';

export interface LoggingOptions {
  readonly logGroup?: logs.ILogGroup;
  readonly logRetention?: logs.RetentionDays;
  readonly logEncryptionKey?: kms.IKey;
}

export interface Logging {
  readonly logGroup: logs.ILogGroup;
  readonly logStream: logs.LogStream;
  readonly logStreamArn: string;
  readonly encryptionKey?: kms.IKey;
}

// What CloudWatch Logs needs of a key to encrypt a log group, by name (no wildcard).
const LOGS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'];

/**
 * The application's log group (KMS-encrypted, with a retention), its log stream, and the role's right to write to
 * it. The key lets CloudWatch Logs of this Region and account use it for log groups only.
 */
export function createLogging(scope: Construct, role: iam.IRole, options: LoggingOptions): Logging {
  checkExclusive(scope, 'logGroup', options.logGroup !== undefined, 'logRetention', options.logRetention !== undefined, 'the retention of a log group you bring is yours to set');
  checkExclusive(scope, 'logGroup', options.logGroup !== undefined, 'logEncryptionKey', options.logEncryptionKey !== undefined, 'the key of a log group you bring is yours to set');
  const stack = Stack.of(scope);
  let encryptionKey: kms.IKey | undefined;
  let logGroup = options.logGroup;
  if (!logGroup) {
    encryptionKey = options.logEncryptionKey ?? new kms.Key(scope, 'LogKey', { enableKeyRotation: true, description: `Encrypts the application log of ${scope.node.path}` });
    encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryption',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: LOGS_KEY_ACTIONS,
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }));
    logGroup = new logs.LogGroup(scope, 'LogGroup', { retention: options.logRetention ?? logs.RetentionDays.THREE_MONTHS, encryptionKey });
  }
  const logStream = new logs.LogStream(scope, 'LogStream', { logGroup });
  const logStreamArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `${logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const allLogGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DescribeLogGroups', actions: ['logs:DescribeLogGroups'], resources: [allLogGroups] }));
  acknowledgeWildcardResource(role, allLogGroups, 'The service checks the log group exists with logs:DescribeLogGroups, which cannot be limited to one group (it lists by prefix)');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DescribeLogStreams', actions: ['logs:DescribeLogStreams'], resources: [`${logGroup.logGroupArn}`] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutLogEvents', actions: ['logs:PutLogEvents'], resources: [logStreamArn] }));
  return { logGroup, logStream, logStreamArn, encryptionKey };
}
