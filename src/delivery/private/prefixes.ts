import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FirehoseLimits } from '../../validation/limits';
import { fail, RuleScope, warn } from '../../validation/rules';

/**
 * The S3 prefix rules Firehose enforces when it creates a delivery stream, checked at synth time so that a refused
 * combination fails `cdk synth` with the construct path instead of a CloudFormation rollback.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-s3bucketprefix.html
 */

export const ERROR_OUTPUT_TYPE = '!{firehose:error-output-type}';
const EXPRESSION = /!\{([^{}:]*):([^{}]*)\}/g;
const NAMESPACES = ['firehose', 'timestamp', 'partitionKeyFromQuery', 'partitionKeyFromLambda'];
const FIREHOSE_VALUES = ['error-output-type', 'random-string'];

/** An expression found in a prefix. */
interface Expression {
  readonly namespace: string;
  readonly value: string;
}

/** The keys that dynamic partitioning makes available to the prefix. */
export interface PartitionKeySources {
  /** Whether dynamic partitioning is on. */
  readonly enabled: boolean;
  /** Keys of the inline JQ query, when there is one. */
  readonly queryKeys?: readonly string[];
  /** Whether a Lambda transform is configured. */
  readonly hasTransform: boolean;
  /** Keys the transform returns, when known. */
  readonly lambdaKeys?: readonly string[];
}

/** Partition key names appear inside `!{namespace:key}`, so braces, colons and `!` would break the expression. */
export function checkPartitionKeyName(scope: RuleScope, key: string): void {
  if (key.length === 0 || /[{}:!\s]/.test(key)) {
    fail(scope, `partition key names may not be empty or contain braces, colons, '!' or spaces, got '${key}'`);
  }
}

function parseExpressions(scope: RuleScope, what: string, prefix: string): Expression[] {
  if (prefix.length > FirehoseLimits.MAX_PREFIX_LENGTH) {
    fail(scope, `${what} must be at most ${FirehoseLimits.MAX_PREFIX_LENGTH} characters, got ${prefix.length}`);
  }
  const expressions: Expression[] = [];
  const stripped = prefix.replace(EXPRESSION, (_m, namespace: string, value: string) => {
    expressions.push({ namespace, value });
    return '';
  });
  if (stripped.includes('!{')) {
    fail(scope, `${what} '${prefix}' has an expression that is not of the form !{namespace:value}`);
  }
  for (const e of expressions) {
    if (!NAMESPACES.includes(e.namespace)) {
      fail(scope, `${what} '${prefix}' uses the namespace '${e.namespace}'; Firehose knows ${NAMESPACES.join(', ')}`);
    }
    if (e.value.length === 0) fail(scope, `${what} '${prefix}' has an empty !{${e.namespace}:} expression`);
    if (e.namespace === 'firehose' && !FIREHOSE_VALUES.includes(e.value)) {
      fail(scope, `${what} '${prefix}' uses !{firehose:${e.value}}; the firehose namespace only has ${FIREHOSE_VALUES.join(' and ')}`);
    }
  }
  return expressions;
}

/**
 * Checks a data prefix and its error output prefix against each other and against the partitioning setup.
 * Prefixes that are tokens are not checked.
 */
export function checkPrefixes(scope: RuleScope, prefix: string, errorOutputPrefix: string | undefined, keys: PartitionKeySources): void {
  if (Token.isUnresolved(prefix) || (errorOutputPrefix !== undefined && Token.isUnresolved(errorOutputPrefix))) return;
  const data = parseExpressions(scope, 'dataOutputPrefix', prefix);
  const errors = errorOutputPrefix === undefined ? [] : parseExpressions(scope, 'errorOutputPrefix', errorOutputPrefix);

  if (data.length > 0 && (errorOutputPrefix === undefined || errorOutputPrefix.length === 0)) {
    fail(scope, `dataOutputPrefix '${prefix}' uses expressions, so Firehose requires an errorOutputPrefix: set one that contains ${ERROR_OUTPUT_TYPE}`);
  }
  if (data.some((e) => e.namespace === 'firehose' && e.value === 'error-output-type')) {
    fail(scope, `dataOutputPrefix '${prefix}' may not contain ${ERROR_OUTPUT_TYPE}: it belongs in errorOutputPrefix`);
  }
  if (errors.length > 0 && !errors.some((e) => e.namespace === 'firehose' && e.value === 'error-output-type')) {
    fail(scope, `errorOutputPrefix '${errorOutputPrefix}' uses expressions, so it must contain ${ERROR_OUTPUT_TYPE}`);
  }
  const errorPartition = errors.find((e) => e.namespace.startsWith('partitionKeyFrom'));
  if (errorPartition) {
    fail(scope, `errorOutputPrefix '${errorOutputPrefix}' may not use !{${errorPartition.namespace}:...}: records that fail have no partition keys`);
  }

  const query = data.filter((e) => e.namespace === 'partitionKeyFromQuery');
  const fromLambda = data.filter((e) => e.namespace === 'partitionKeyFromLambda');
  if (!keys.enabled) {
    const used = query[0] ?? fromLambda[0];
    if (used) fail(scope, `dataOutputPrefix '${prefix}' uses !{${used.namespace}:${used.value}}, which needs dynamicPartitioning`);
    return;
  }
  if (query.length + fromLambda.length === 0) {
    fail(scope, `dynamic partitioning is on, so dataOutputPrefix '${prefix}' must use at least one !{partitionKeyFromQuery:key} or !{partitionKeyFromLambda:key} expression`);
  }
  for (const e of query) {
    if (keys.queryKeys === undefined) fail(scope, `dataOutputPrefix uses !{partitionKeyFromQuery:${e.value}}, but dynamic partitioning has no JQ query: use DynamicPartitioning.byJq`);
    if (!keys.queryKeys.includes(e.value)) fail(scope, `dataOutputPrefix uses !{partitionKeyFromQuery:${e.value}}, but the JQ query defines only ${keys.queryKeys.map((k) => `'${k}'`).join(', ')}`);
  }
  for (const k of keys.queryKeys ?? []) {
    if (!query.some((e) => e.value === k)) fail(scope, `the JQ query defines the partition key '${k}', which dataOutputPrefix does not use: Firehose requires every key to appear as !{partitionKeyFromQuery:${k}}`);
  }
  for (const e of fromLambda) {
    if (!keys.hasTransform) fail(scope, `dataOutputPrefix uses !{partitionKeyFromLambda:${e.value}}, but there is no transform to return it: set transform`);
    if (keys.lambdaKeys !== undefined && !keys.lambdaKeys.includes(e.value)) {
      fail(scope, `dataOutputPrefix uses !{partitionKeyFromLambda:${e.value}}, but the transform returns ${keys.lambdaKeys.length ? keys.lambdaKeys.map((k) => `'${k}'`).join(', ') : 'no partition keys'}`);
    }
  }
}

/**
 * The folder of a prefix before its first expression: where a table or crawler over the output would be located
 * (`data/` for `data/year=!{timestamp:yyyy}/`, the bucket root for `!{timestamp:yyyy}/`).
 */
function staticFolder(prefix: string): string {
  const i = prefix.indexOf('!{');
  const head = i < 0 ? prefix : prefix.slice(0, i);
  return head.slice(0, head.lastIndexOf('/') + 1);
}

/**
 * Two outputs in one bucket should not share a folder: a table or crawler over one would read the other's objects
 * (raw backups or error records mixed into a Parquet table). The service accepts it, so this is a warning.
 */
export function checkSeparatePrefixes(scope: IConstruct, whatA: string, a: string, whatB: string, b: string): void {
  if (Token.isUnresolved(a) || Token.isUnresolved(b)) return;
  const sa = staticFolder(a);
  const sb = staticFolder(b);
  if (sa.startsWith(sb) || sb.startsWith(sa)) {
    warn(scope, 'OverlappingPrefixes', `${scope.node.path}: ${whatA} '${a}' and ${whatB} '${b}' write to the same bucket under overlapping folders ` +
      `('${sa || '/'}' and '${sb || '/'}'): give each its own leading folder, so that a table over one does not read the other`);
  }
}
