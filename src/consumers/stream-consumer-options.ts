import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ConsumerAlarms } from './consumer-alarms';
import { FailureDestination } from './failure-destination';
import { StreamReadMode } from './stream-read-mode';

/**
 * How a function consumes a stream: the event source mapping, the runtime's behaviour and the alarms. Every value is
 * checked at synth time. Defaults differ from Lambda's where Lambda's are unsafe (it retries a failing batch forever).
 */
export interface StreamConsumerOptions {
  /**
   * Where a new consumer starts reading.
   *
   * @default lambda.StartingPosition.TRIM_HORIZON - the oldest record kept, so nothing written before the mapping exists is lost
   */
  readonly startingPosition?: lambda.StartingPosition;
  /**
   * Start time, in seconds since the epoch, with `StartingPosition.AT_TIMESTAMP` (and only with it).
   *
   * @default - none
   */
  readonly startingPositionTimestamp?: number;
  /**
   * Records per invocation at most (1 to 10,000).
   *
   * @default 100
   * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers records before invoking (0 to 300 seconds).
   *
   * @default Duration.seconds(0)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Concurrent batches per shard (1 to 10). Lambda keeps per-partition-key order across them, except for KPL-aggregated
   * records, which it routes by the aggregate's key: see `aggregatedRecords`.
   *
   * @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Retries of a failing batch before it goes to the failure destination (0 to 10,000). Splitting a batch in two does
   * not count as a retry. Lambda's own default, -1, retries forever and blocks the shard: it is refused.
   *
   * @default 5
   */
  readonly retryAttempts?: number;
  /**
   * Records older than this are not processed but sent to the failure destination (60 seconds to 7 days).
   * Lambda's own default, -1, is refused.
   *
   * @default - the stream's retention period if it is a `DataStream` (7 days at most), else Duration.days(1)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Split a failing batch in two and retry each half, so that a poison record ends alone in the failure destination.
   *
   * @default true
   */
  readonly bisectBatchOnError?: boolean;
  /**
   * Let the function report the first failed record (`batchItemFailures`), so that Lambda retries from there and not
   * the whole batch. The runtime always answers this way.
   *
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Where batches Lambda gives up on are described.
   *
   * @default FailureDestination.sqs() - a new encrypted queue
   */
  readonly onFailure?: FailureDestination;
  /**
   * The event source mapping's own metrics (`AWS/Lambda`, by `EventSourceMappingUUID`). Kinesis mappings offer the
   * `EventCount` group only (`PolledEventCount`, `FilteredOutEventCount`, `InvokedEventCount`,
   * `FailedInvokeEventCount`, `DroppedEventCount`, `OnFailureDestinationDeliveredEventCount`); `ErrorCount` and
   * `KafkaMetrics` are for Kafka sources and are refused. With `FailureDestination.s3()` and its alarm on,
   * `EventCount` is always turned on, as the alarm watches `OnFailureDestinationDeliveredEventCount`.
   *
   * @default - no mapping metrics, except `EventCount` with an S3 failure destination
   * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics
   */
  readonly metricsConfig?: lambda.MetricsConfig;
  /**
   * Event filter patterns: only matching records invoke the function.
   *
   * @default - every record
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
   */
  readonly filters?: Array<{ [key: string]: any }>;
  /**
   * Tumbling window for stateful aggregation (0 to 900 seconds).
   *
   * @default - no window
   */
  readonly tumblingWindow?: Duration;
  /**
   * How the function reads the stream.
   *
   * @default StreamReadMode.SHARED_THROUGHPUT
   */
  readonly readMode?: StreamReadMode;
  /**
   * Whether producers write KPL-aggregated records. With aggregation, a parallelization factor above 1 breaks
   * per-key order (it is refused) and data filters see aggregates, not user records (a warning).
   *
   * @default false - a parallelization factor above 1 is allowed with a warning
   */
  readonly aggregatedRecords?: boolean;
  /**
   * Runtime: stop the whole shard at the first failed record, not only its partition key.
   * Set on functions the construct creates (or that are `lambda.Function`s).
   *
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Runtime: partition keys that may have a record in flight at the same time within a batch, when the handler is
   * asynchronous. The records of one key never overlap; a synchronous handler handles the batch one record at a time.
   *
   * @default 10
   */
  readonly keyConcurrency?: number;
  /**
   * Runtime: keep a checkpoint per shard and partition key in a new DynamoDB table, so that records retried after a
   * failure elsewhere in the batch are not handled twice.
   *
   * @default false
   */
  readonly idempotency?: boolean;
  /**
   * Whether the event source mapping is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Alarms on the consumer.
   *
   * @default - iterator age, function errors and throttles, failure destination messages
   */
  readonly alarms?: ConsumerAlarms;
}
