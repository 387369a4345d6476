import { Duration, Size, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PartitionKey } from './partition-key';
import { createProducerAlarms } from './private/alarms';
import { ProducerAlarms } from './producer-alarms';
import { PRODUCER_ENVIRONMENT } from '../contracts/producer-environment';
import { createBundledFunction } from '../private/bundled-function';
import { DataStream } from '../streams/data-stream';
import { KinesisLimits, SqsLimits } from '../validation/limits';
import { checkInteger, checkLiteral, checkRange, checkRequiredProps, fail, literalBytes, literalMillis, numberText, warn, wholeSeconds } from '../validation/rules';
import { checkHandedStream } from '../validation/stream-identity';

/** Settings of a producer function, apart from its stream. */
export interface ProducerFunctionOptions {
  /**
   * Where each event's partition key comes from. Events that share a key reach the stream in the order they were
   * sent, on one shard.
   */
  readonly partitionKey: PartitionKey;
  /**
   * Pack events bound for the same shard into KPL aggregated records (up to 9 times more small records per shard).
   * Consumers must de-aggregate (this library's consumer runtime, the KCL, Firehose). Lambda consumers with a
   * parallelization factor above 1 lose per-key order with aggregated records, so it is off by default.
   *
   * @default false
   */
  readonly aggregation?: boolean;
  /**
   * Longest an event waits for others to share its PutRecords call (the KPL's `RecordMaxBufferedTime`).
   *
   * @default Duration.millis(100)
   */
  readonly bufferTime?: Duration;
  /**
   * Buffered events that trigger a PutRecords call before `bufferTime` is up.
   *
   * @default - 500 (one full PutRecords call) without aggregation; the request size decides with aggregation
   */
  readonly maxBufferedRecords?: number;
  /**
   * Share of each shard's write limits (1000 records/s, 1 MiB/s) the producer paces itself to, in percent. Lower it
   * when other producers write to the same stream.
   *
   * @default 100
   */
  readonly rateLimitPercent?: number;
  /**
   * PutRecords attempts per event, the first included, before it is returned as failed and queued.
   *
   * @default 10
   */
  readonly maxAttempts?: number;
  /**
   * The stream's maximum record size (data plus partition key): events above it are rejected one by one.
   *
   * @default - the `DataStream`'s maximum record size, or 1 MiB for any other stream
   */
  readonly maxRecordSize?: Size;
  /**
   * Queue that receives every event that could not be written, with its error, so nothing is lost. A message carries
   * the record's data in base64 when it fits in 1 MiB: give a queue that accepts 1 MiB messages (the default since
   * August 2025; older queues accept 256 KiB), or larger records are reported as not queued.
   *
   * @default - a new queue accepting 1 MiB messages, encrypted with SQS-managed keys, TLS only, keeping messages 14 days
   */
  readonly failureQueue?: sqs.IQueue;
  /**
   * Memory of the function, in MiB. More memory gives more CPU and network for parallel requests.
   *
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Timeout of the function. The handler stops retrying 2 seconds before it and queues what is left.
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Concurrent executions reserved for (and limiting) the function.
   *
   * @default - unreserved
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The alarms: function errors and throttles, records in the failure queue.
   *
   * @default - all on
   */
  readonly alarms?: ProducerAlarms;
}

/** Properties of a `ProducerFunction`. */
export interface ProducerFunctionProps extends ProducerFunctionOptions {
  /** The stream to write to. */
  readonly stream: kinesis.IStream;
}

const DEFAULT_MEMORY_MIB = 1024;
const DEFAULT_TIMEOUT = Duration.seconds(30);
const DEFAULT_BUFFER_TIME = Duration.millis(100);
/** The handler keeps this much of its timeout to queue what it could not write (TIMEOUT_RESERVE_MS in the handler). */
const HANDLER_TIMEOUT_RESERVE = Duration.seconds(2);
const FIELD_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/**
 * A Lambda function that writes batches of JSON events to a Kinesis data stream through the bundled batching
 * producer: PutRecords calls of up to 500 events in parallel, retries of only the failed entries, per-key order kept
 * through retries, optional KPL aggregation, per-shard rate limiting. Events that cannot be written are returned to
 * the caller and sent to a failure queue, never dropped.
 *
 * Invoke it directly with `{ "records": [ ... ] }` or put it behind API Gateway (see `HttpIngestionApi`).
 */
export class ProducerFunction extends Construct implements iam.IGrantable {
  /** The function. */
  public readonly function: lambda.Function;
  /** The queue of events that could not be written. */
  public readonly failureQueue: sqs.IQueue;
  /** The stream the function writes to. */
  public readonly stream: kinesis.IStream;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** Alarm on function errors, if enabled. */
  public readonly functionErrorsAlarm?: cloudwatch.Alarm;
  /** Alarm on function throttles, if enabled. */
  public readonly functionThrottlesAlarm?: cloudwatch.Alarm;
  /** Alarm on records in the failure queue, if enabled. */
  public readonly failedRecordsAlarm?: cloudwatch.Alarm;
  /** The timeout of the function. */
  public readonly timeout: Duration;
  public readonly grantPrincipal: iam.IPrincipal;

  /**
   * @param scope the construct the producer function is created in
   * @param id the producer function's id, unique within `scope`
   * @param props the stream and the producer runtime settings
   */
  constructor(scope: Construct, id: string, props: ProducerFunctionProps) {
    super(scope, id);
    checkRequiredProps(this, props, ['stream', 'partitionKey']);
    checkHandedStream(this, 'stream', props.stream);
    this.stream = props.stream;
    this.timeout = props.timeout ?? DEFAULT_TIMEOUT;
    wholeSeconds(this, 'timeout', this.timeout);
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MIB;
    const environment = this.environment(props);

    this.failureQueue = props.failureQueue ?? this.createFailureQueue();
    if (props.failureQueue) this.checkFailureQueue(props.failureQueue);
    const bundled = createBundledFunction(this, {
      handler: 'producer/put-records',
      environment: { ...environment, [PRODUCER_ENVIRONMENT.FAILURE_QUEUE_URL]: this.failureQueue.queueUrl },
      memorySize,
      timeout: this.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      description: `Writes batches of JSON events to ${props.stream.node.path}, keeping per-key order`,
    });
    this.function = bundled.function;
    this.logGroup = bundled.logGroup;
    this.grantPrincipal = this.function.grantPrincipal;
    props.stream.grantWrite(this.function);
    this.failureQueue.grantSendMessages(this.function);

    const alarms = createProducerAlarms(this, this.function, this.failureQueue, props.alarms);
    this.functionErrorsAlarm = alarms.functionErrors;
    this.functionThrottlesAlarm = alarms.functionThrottles;
    this.failedRecordsAlarm = alarms.failedRecords;
  }

  /**
   * Lets `grantee` invoke the function.
   *
   * @param grantee the principal that invokes the function
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }

  /**
   * Sets a variable of the handler's environment, for settings this construct has no property for.
   *
   * @param key the variable's name
   * @param value the variable's value
   */
  public addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  private environment(props: ProducerFunctionProps): Record<string, string> {
    const env: Record<string, string> = { [PRODUCER_ENVIRONMENT.STREAM_ARN]: props.stream.streamArn };

    const field = props.partitionKey.fieldPath;
    if (field !== undefined) {
      if (!FIELD_PATH.test(field)) {
        fail(this, `partitionKey field path must be dot-separated field names without spaces, e.g. 'deviceId' or 'device.id', got '${field}'`);
      }
      env[PRODUCER_ENVIRONMENT.PARTITION_KEY_PATH] = field;
    }
    env[PRODUCER_ENVIRONMENT.AGGREGATION_ENABLED] = String(props.aggregation ?? false);

    // The handler reads milliseconds, and a template cannot multiply a token given in seconds.
    checkLiteral(this, 'bufferTime', props.bufferTime, 'it is written into the handler\'s environment in milliseconds; give a Duration such as Duration.millis(100)');
    const bufferMs = literalMillis(this, 'bufferTime', props.bufferTime ?? DEFAULT_BUFFER_TIME)!;
    checkInteger(this, 'bufferTime (in milliseconds)', bufferMs);
    const timeoutMs = literalMillis(this, 'timeout', this.timeout);
    const maxBufferMs = timeoutMs === undefined ? Number.MAX_SAFE_INTEGER : timeoutMs - HANDLER_TIMEOUT_RESERVE.toMilliseconds();
    checkRange(this, 'bufferTime', bufferMs, 0, Math.max(0, maxBufferMs), 'ms', `It must leave the handler time to write before its timeout of ${this.timeout.toHumanString()}`);
    env[PRODUCER_ENVIRONMENT.BUFFER_TIME_MS] = String(bufferMs);

    if (props.maxBufferedRecords !== undefined) {
      checkInteger(this, 'maxBufferedRecords', props.maxBufferedRecords);
      checkRange(this, 'maxBufferedRecords', props.maxBufferedRecords, 1, Number.MAX_SAFE_INTEGER);
      env[PRODUCER_ENVIRONMENT.MAX_BUFFERED_RECORDS] = numberText(props.maxBufferedRecords);
    }
    if (props.rateLimitPercent !== undefined) {
      checkInteger(this, 'rateLimitPercent', props.rateLimitPercent);
      checkRange(this, 'rateLimitPercent', props.rateLimitPercent, 1, 100, '%', 'Above 100% the producer would only earn throttling');
      env[PRODUCER_ENVIRONMENT.RATE_LIMIT_PERCENT] = numberText(props.rateLimitPercent);
    }
    if (props.maxAttempts !== undefined) {
      checkInteger(this, 'maxAttempts', props.maxAttempts);
      checkRange(this, 'maxAttempts', props.maxAttempts, 1, 100);
      env[PRODUCER_ENVIRONMENT.MAX_ATTEMPTS] = numberText(props.maxAttempts);
    }
    env[PRODUCER_ENVIRONMENT.MAX_RECORD_SIZE_KIB] = String(this.maxRecordSizeKiB(props));
    return env;
  }

  private maxRecordSizeKiB(props: ProducerFunctionProps): number {
    const streamBytes = DataStream.isDataStream(props.stream) ? props.stream.maxRecordSizeBytes : undefined;
    if (props.maxRecordSize === undefined) return (streamBytes ?? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES) / 1024;
    checkLiteral(this, 'maxRecordSize', props.maxRecordSize, 'the handler sizes its requests from it; give a Size such as Size.mebibytes(2)');
    const bytes = literalBytes(this, 'maxRecordSize', props.maxRecordSize)!;
    if (bytes % 1024 !== 0) fail(this, `maxRecordSize must be a whole number of KiB, got ${bytes} bytes`);
    checkRange(this, 'maxRecordSize', bytes / 1024, KinesisLimits.MIN_MAX_RECORD_SIZE_KIB, KinesisLimits.MAX_MAX_RECORD_SIZE_KIB, 'KiB');
    if (streamBytes !== undefined && bytes !== streamBytes) {
      fail(this, `maxRecordSize is ${bytes / 1024} KiB but the stream ${props.stream.node.path} accepts records up to ${streamBytes / 1024} KiB: leave maxRecordSize unset to use the stream's`);
    }
    return bytes / 1024;
  }

  /** Warns when a queue of the app is known to refuse the largest failure messages the handler sends. */
  private checkFailureQueue(queue: sqs.IQueue): void {
    const cfn = queue.node.defaultChild;
    const size = cfn instanceof sqs.CfnQueue ? cfn.maximumMessageSize : undefined;
    if (size === undefined || Token.isUnresolved(size) || size >= SqsLimits.MAX_MESSAGE_BYTES) return;
    // A message is the record's data in base64 (4 bytes per 3) plus about 400 bytes of metadata.
    const largestRecordKiB = Math.floor(((size - 400) * 3) / 4 / 1024);
    warn(this, 'FailureQueueMessageSize', `${this.node.path}: failureQueue ${queue.node.path} accepts messages up to ${size} bytes, but failure messages `
      + `carry the record's data and reach ${SqsLimits.MAX_MESSAGE_BYTES} bytes: records above about ${largestRecordKiB} KiB that cannot be written `
      + `would not be queued either (they are reported to the caller). Set maxMessageSizeBytes to ${SqsLimits.MAX_MESSAGE_BYTES}`);
  }

  private createFailureQueue(): sqs.Queue {
    const queue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(SqsLimits.MAX_MESSAGE_RETENTION_SECONDS),
      // Explicit, not the default: a failure message carries the record's data, up to this size.
      maxMessageSizeBytes: SqsLimits.MAX_MESSAGE_BYTES,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the producer: it holds events that could not be written, for the longest retention; there is no further queue to move them to',
    });
    return queue;
  }
}
