import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LambdaLimits } from '../../validation/limits';
import { checkInteger, checkLiteral, checkRange, fail, warn, wholeSeconds } from '../../validation/rules';
import { StreamConsumerOptions } from '../stream-consumer-options';

/** The options with the library's defaults applied. */
export interface ResolvedConsumerOptions {
  readonly startingPosition: lambda.StartingPosition;
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly parallelizationFactor: number;
  readonly retryAttempts: number;
  readonly maxRecordAge: Duration;
  readonly bisectBatchOnError: boolean;
  readonly reportBatchItemFailures: boolean;
}

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_RETRY_ATTEMPTS = 5;
const DEFAULT_RETENTION_HOURS = 24;

/** Kinesis launched on 2013-11-14: no record of any stream is older. */
const EARLIEST_TIMESTAMP_SECONDS = 1_384_387_200;
/** A starting position more than a day ahead has no record yet to start from, and is most likely a unit mistake. */
const MAX_TIMESTAMP_AHEAD_SECONDS = 86_400;

/** A startingPositionTimestamp, in seconds since the epoch, between Kinesis's launch and a day from now. */
function checkTimestamp(scope: Construct, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const latest = Math.floor(Date.now() / 1000) + MAX_TIMESTAMP_AHEAD_SECONDS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < EARLIEST_TIMESTAMP_SECONDS || value > latest) {
    const hint = typeof value === 'number' && value > latest && value / 1000 <= latest ? ' (it looks like milliseconds: divide by 1000)' : '';
    fail(scope, `startingPositionTimestamp must be a time in seconds since the epoch between ${EARLIEST_TIMESTAMP_SECONDS} (2013-11-14) and a day from now `
      + `(${latest}), got ${value}${hint}`);
  }
}

/** Checks every option against the service's limits and the runtime's assumptions, and fills in the defaults. */
export function resolveConsumerOptions(scope: Construct, o: StreamConsumerOptions, retentionHours: number | undefined): ResolvedConsumerOptions {
  // Whole seconds, as the event source mapping takes them; a token in seconds passes, and is not compared.
  const seconds = (what: string, d: Duration | undefined) => wholeSeconds(scope, what, d);
  // aws-cdk-lib's event source mapping compares it with 60 seconds at synth time, which a token cannot be.
  checkLiteral(scope, 'maxRecordAge', o.maxRecordAge, 'aws-cdk-lib\'s event source mapping checks it at synth time; give a Duration such as Duration.hours(6)');
  checkInteger(scope, 'batchSize', o.batchSize);
  checkRange(scope, 'batchSize', o.batchSize, LambdaLimits.MIN_KINESIS_BATCH_SIZE, LambdaLimits.MAX_KINESIS_BATCH_SIZE, 'records');
  checkRange(scope, 'maxBatchingWindow', seconds('maxBatchingWindow', o.maxBatchingWindow), 0, LambdaLimits.MAX_BATCHING_WINDOW_SECONDS, 'seconds');
  checkInteger(scope, 'parallelizationFactor', o.parallelizationFactor);
  checkRange(scope, 'parallelizationFactor', o.parallelizationFactor, LambdaLimits.MIN_PARALLELIZATION_FACTOR, LambdaLimits.MAX_PARALLELIZATION_FACTOR);
  if (o.retryAttempts === -1) {
    fail(scope, `retryAttempts must be between 0 and ${LambdaLimits.MAX_RETRY_ATTEMPTS}, got -1 (retry forever): one poison record would block its shard for the whole retention period`);
  }
  checkInteger(scope, 'retryAttempts', o.retryAttempts);
  checkRange(scope, 'retryAttempts', o.retryAttempts, 0, LambdaLimits.MAX_RETRY_ATTEMPTS);
  checkRange(scope, 'maxRecordAge', seconds('maxRecordAge', o.maxRecordAge), LambdaLimits.MIN_MAXIMUM_RECORD_AGE_SECONDS, LambdaLimits.MAX_MAXIMUM_RECORD_AGE_SECONDS, 'seconds');
  checkRange(scope, 'tumblingWindow', seconds('tumblingWindow', o.tumblingWindow), 0, LambdaLimits.MAX_TUMBLING_WINDOW_SECONDS, 'seconds');
  checkInteger(scope, 'keyConcurrency', o.keyConcurrency);
  checkRange(scope, 'keyConcurrency', o.keyConcurrency, 1, LambdaLimits.MAX_KINESIS_BATCH_SIZE, undefined, 'It is the number of partition keys handled at once within one batch');

  checkMetricsConfig(scope, o.metricsConfig);

  const startingPosition = o.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON;
  const atTimestamp = startingPosition === lambda.StartingPosition.AT_TIMESTAMP;
  if (atTimestamp !== (o.startingPositionTimestamp !== undefined)) {
    fail(scope, `startingPositionTimestamp must be given with StartingPosition.AT_TIMESTAMP and only with it, got startingPosition ${startingPosition} and startingPositionTimestamp ${o.startingPositionTimestamp}`);
  }
  checkTimestamp(scope, o.startingPositionTimestamp);

  const parallelizationFactor = o.parallelizationFactor ?? LambdaLimits.MIN_PARALLELIZATION_FACTOR;
  if (parallelizationFactor > 1 && o.aggregatedRecords === true) {
    fail(scope, `parallelizationFactor must be 1 with aggregatedRecords, got ${parallelizationFactor}: Lambda routes a KPL aggregate by its own partition key, so user records of one key would be handled by concurrent batches, out of order. Add shards instead`);
  }
  if (parallelizationFactor > 1 && o.aggregatedRecords === undefined) {
    warn(scope, 'ParallelizationWithAggregation', `parallelizationFactor is ${parallelizationFactor}: if producers write KPL-aggregated records, per-key order is lost across concurrent batches. Set aggregatedRecords to false to acknowledge, or to true to have this refused`);
  }
  if (o.filters !== undefined && o.filters.length > 0 && o.aggregatedRecords === true) {
    warn(scope, 'FiltersOnAggregates', 'filters see the KPL aggregate, not the user records in it: a data pattern matches nothing in an aggregate. Filter in the handler instead');
  }
  if (o.reportBatchItemFailures === false) {
    warn(scope, 'NoBatchItemFailures', 'reportBatchItemFailures is off: Lambda ignores the runtime\'s response and retries a whole batch for one failed record, handling the records before it again');
  }

  // A retention from a token is at least the minimum, which is then the safe default for the record age.
  const retention = retentionHours === undefined || Token.isUnresolved(retentionHours) ? DEFAULT_RETENTION_HOURS : retentionHours;
  const maxRecordAge = o.maxRecordAge ?? Duration.seconds(Math.min(retention * 3600, LambdaLimits.MAX_MAXIMUM_RECORD_AGE_SECONDS));
  const ageSeconds = seconds('maxRecordAge', maxRecordAge);
  if (retentionHours !== undefined && !Token.isUnresolved(retentionHours) && ageSeconds !== undefined && ageSeconds > retentionHours * 3600) {
    warn(scope, 'RecordAgeBeyondRetention', `maxRecordAge (${maxRecordAge.toHumanString()}) is longer than the stream's retention (${retentionHours} hours): records expire from the stream first`);
  }
  return {
    startingPosition,
    batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE,
    maxBatchingWindow: o.maxBatchingWindow ?? Duration.seconds(0),
    parallelizationFactor,
    retryAttempts: o.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
    maxRecordAge,
    bisectBatchOnError: o.bisectBatchOnError ?? true,
    reportBatchItemFailures: o.reportBatchItemFailures ?? true,
  };
}

/** The metric groups a Kinesis event source mapping produces: the others are for Kafka sources. */
const KINESIS_METRIC_GROUPS: readonly string[] = [lambda.MetricType.EVENT_COUNT];

function checkMetricsConfig(scope: Construct, config: lambda.MetricsConfig | undefined): void {
  if (config === undefined || Token.isUnresolved(config.metrics)) return;
  const refused = config.metrics.filter((m) => !Token.isUnresolved(m) && !KINESIS_METRIC_GROUPS.includes(m));
  if (refused.length > 0) {
    fail(scope, `metricsConfig.metrics may only hold ${KINESIS_METRIC_GROUPS.join(', ')} for a Kinesis event source mapping, got ${refused.join(', ')}: ` +
      'the ErrorCount and KafkaMetrics groups are produced for Amazon MSK and self-managed Kafka sources only');
  }
  const distinct = new Set(config.metrics);
  if (distinct.size !== config.metrics.length) {
    fail(scope, `metricsConfig.metrics must not repeat a metric group, got ${config.metrics.join(', ')}`);
  }
}
