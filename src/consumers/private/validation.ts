import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LambdaLimits } from '../../validation/limits';
import { checkInteger, checkRange, fail, warn } from '../../validation/rules';
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

function seconds(d: Duration | undefined): number | undefined {
  return d === undefined || Token.isUnresolved(d.toSeconds({ integral: false })) ? undefined : d.toSeconds({ integral: false });
}

/** Checks every option against the service's limits and the runtime's assumptions, and fills in the defaults. */
export function resolveConsumerOptions(scope: Construct, o: StreamConsumerOptions, retentionHours: number | undefined): ResolvedConsumerOptions {
  checkInteger(scope, 'batchSize', o.batchSize);
  checkRange(scope, 'batchSize', o.batchSize, LambdaLimits.MIN_KINESIS_BATCH_SIZE, LambdaLimits.MAX_KINESIS_BATCH_SIZE, 'records');
  checkRange(scope, 'maxBatchingWindow', seconds(o.maxBatchingWindow), 0, LambdaLimits.MAX_BATCHING_WINDOW_SECONDS, 'seconds');
  checkInteger(scope, 'parallelizationFactor', o.parallelizationFactor);
  checkRange(scope, 'parallelizationFactor', o.parallelizationFactor, LambdaLimits.MIN_PARALLELIZATION_FACTOR, LambdaLimits.MAX_PARALLELIZATION_FACTOR);
  if (o.retryAttempts === -1) {
    fail(scope, `retryAttempts must be between 0 and ${LambdaLimits.MAX_RETRY_ATTEMPTS}, got -1 (retry forever): one poison record would block its shard for the whole retention period`);
  }
  checkInteger(scope, 'retryAttempts', o.retryAttempts);
  checkRange(scope, 'retryAttempts', o.retryAttempts, 0, LambdaLimits.MAX_RETRY_ATTEMPTS);
  checkRange(scope, 'maxRecordAge', seconds(o.maxRecordAge), LambdaLimits.MIN_MAXIMUM_RECORD_AGE_SECONDS, LambdaLimits.MAX_MAXIMUM_RECORD_AGE_SECONDS, 'seconds');
  checkRange(scope, 'tumblingWindow', seconds(o.tumblingWindow), 0, LambdaLimits.MAX_TUMBLING_WINDOW_SECONDS, 'seconds');
  checkInteger(scope, 'keyConcurrency', o.keyConcurrency);
  checkRange(scope, 'keyConcurrency', o.keyConcurrency, 1, LambdaLimits.MAX_KINESIS_BATCH_SIZE, undefined, 'It is the number of partition keys handled at once within one batch');

  checkMetricsConfig(scope, o.metricsConfig);

  const startingPosition = o.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON;
  const atTimestamp = startingPosition === lambda.StartingPosition.AT_TIMESTAMP;
  if (atTimestamp !== (o.startingPositionTimestamp !== undefined)) {
    fail(scope, `startingPositionTimestamp must be given with StartingPosition.AT_TIMESTAMP and only with it, got startingPosition ${startingPosition} and startingPositionTimestamp ${o.startingPositionTimestamp}`);
  }

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

  const retention = retentionHours ?? DEFAULT_RETENTION_HOURS;
  const maxRecordAge = o.maxRecordAge ?? Duration.seconds(Math.min(retention * 3600, LambdaLimits.MAX_MAXIMUM_RECORD_AGE_SECONDS));
  const ageSeconds = seconds(maxRecordAge);
  if (retentionHours !== undefined && ageSeconds !== undefined && ageSeconds > retentionHours * 3600) {
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
