import { Token } from 'aws-cdk-lib';
import { MskLimits } from '../../validation/limits';
import { checkName, checkRequiredProps, describe, fail, RuleScope } from '../../validation/rules';
import { MskConnectivity, MskSourceOptions } from '../msk-source';

/** A literal MSK cluster ARN, split. */
export interface MskClusterArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly clusterName: string;
  readonly clusterUuid: string;
}

const CLUSTER_ARN = /^arn:(aws[a-z-]*):kafka:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):cluster\/([^/]+)\/([^/]+)$/;
const CLUSTER_NAME = /^[a-zA-Z0-9-]+$/;
const CLUSTER_UUID = /^[a-zA-Z0-9-]+$/;
const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const EXPECTED_ARN = "'arn:<partition>:kafka:<region>:<12-digit account>:cluster/<cluster name>/<cluster uuid>'";

/** Splits a literal cluster ARN, or fails with the form expected; undefined for a token. */
export function parseMskClusterArn(scope: RuleScope, arn: string): MskClusterArnParts | undefined {
  if (Token.isUnresolved(arn)) return undefined;
  if (arn.length > MskLimits.MAX_CLUSTER_ARN_LENGTH) {
    fail(scope, `clusterArn must be at most ${MskLimits.MAX_CLUSTER_ARN_LENGTH} characters, got ${arn.length}`);
  }
  const m = CLUSTER_ARN.exec(arn);
  if (!m) {
    const hint = /:kafka:.*:topic\//.test(arn) ? ' (that is a topic ARN: give the cluster ARN and topicName)' : '';
    fail(scope, `clusterArn '${arn}' is not an MSK cluster ARN${hint}: expected ${EXPECTED_ARN}, the same form for provisioned and serverless clusters`);
  }
  const [, partition, region, account, clusterName, clusterUuid] = m;
  if (clusterName.length > MskLimits.MAX_CLUSTER_NAME_LENGTH || !CLUSTER_NAME.test(clusterName)) {
    fail(scope, `clusterArn '${arn}' has the cluster name '${clusterName}', which is not 1 to ${MskLimits.MAX_CLUSTER_NAME_LENGTH} letters, digits or -`);
  }
  if (!CLUSTER_UUID.test(clusterUuid)) fail(scope, `clusterArn '${arn}' has the cluster uuid '${clusterUuid}', which is not letters, digits and -`);
  return { partition, region, account, clusterName, clusterUuid };
}

/** What can be checked of MSK source options without the delivery stream: their shape and literal values. */
export function checkMskOptions(scope: RuleScope, options: MskSourceOptions): void {
  checkRequiredProps(scope, options, ['clusterArn', 'topicName']);
  if (typeof options.clusterArn !== 'string') fail(scope, `clusterArn must be a string, got ${describe(options.clusterArn)}`);
  parseMskClusterArn(scope, options.clusterArn);

  const topic = options.topicName;
  checkName(scope, 'topicName', topic, MskLimits.MAX_TOPIC_NAME_LENGTH, TOPIC_NAME, 'letters, digits, ., _ and - (Kafka\'s topic name rule)');
  if (!Token.isUnresolved(topic) && (topic === '.' || topic === '..')) fail(scope, `topicName cannot be '${topic}': Kafka refuses it`);

  if (options.connectivity !== undefined && !(options.connectivity instanceof MskConnectivity)) {
    fail(scope, `connectivity must be MskConnectivity.PRIVATE, MskConnectivity.PUBLIC or MskConnectivity.of(...), got ${describe(options.connectivity)}`);
  }
  const ts = options.readFromTimestamp;
  if (ts !== undefined) {
    if (!(ts instanceof Date)) fail(scope, `readFromTimestamp must be a Date, got ${describe(ts)}`);
    if (Number.isNaN(ts.getTime())) fail(scope, 'readFromTimestamp is an invalid Date (NaN): give a valid time, or new Date(0) to read from the earliest record');
    if (ts.getTime() < 0) {
      fail(scope, `readFromTimestamp ${ts.toISOString()} is before the epoch (1970-01-01T00:00:00Z), the earliest position Firehose reads from: give new Date(0) to read from the earliest record`);
    }
  }
  if (options.clusterPolicy && connectivityOf(options).value === MskConnectivity.PUBLIC.value) {
    fail(scope, 'clusterPolicy is for MskConnectivity.PRIVATE: the policy lets Firehose create the multi-VPC private connection, which public brokers do not use. Remove clusterPolicy, or use private connectivity');
  }
}

/** The connectivity, with its default. */
export function connectivityOf(options: MskSourceOptions): MskConnectivity {
  return options.connectivity ?? MskConnectivity.PRIVATE;
}

/** `ReadFromTimestamp` as CloudFormation takes it: ISO 8601 in UTC, without milliseconds when there are none. */
export function renderTimestamp(ts: Date): string {
  return ts.toISOString().replace(/\.000Z$/, 'Z');
}
