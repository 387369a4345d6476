import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConsumerCode } from './consumer-code';
import { FailureDestination } from './failure-destination';
import { createConsumerAlarms } from './private/alarms';
import { CONSUMER_ENVIRONMENT } from '../contracts/consumer-environment';
import { registerReader } from './private/stream-readers';
import { resolveConsumerOptions } from './private/validation';
import { StreamConsumerOptions } from './stream-consumer-options';
import { StreamReadMode } from './stream-read-mode';
import { checkLiteral, checkRequiredProps, fail, numberText, warn } from '../validation/rules';
import { checkHandedStream, checkSameRegion } from '../validation/stream-identity';

/** Properties of a `LambdaStreamConsumer`. */
export interface LambdaStreamConsumerProps extends StreamConsumerOptions {
  /** The stream to consume; a `DataStream` also counts the consumer against its read capacity. */
  readonly stream: kinesis.IStream;
  /** The function: `ConsumerCode.fromFunction(fn)` or `ConsumerCode.fromHandlerFile('src/handler.ts')`. */
  readonly code: ConsumerCode;
}

/** Checkpoints only need to outlive the oldest record Lambda may still deliver (maxRecordAge), plus a margin. */
const CHECKPOINT_TTL_MARGIN = Duration.days(1);

/**
 * A Lambda function consuming a Kinesis stream, with the settings production teams otherwise learn the hard way:
 * partial batch responses and bisection on, bounded retries and record age, an encrypted failure destination,
 * per-shard read capacity accounted, optional enhanced fan-out, and alarms whose thresholds come from the settings.
 */
export class LambdaStreamConsumer extends Construct {
  /** The function the event source mapping invokes. */
  public readonly function: lambda.IFunction;
  /** The event source mapping. */
  public readonly eventSourceMapping: lambda.EventSourceMapping;
  /** The enhanced fan-out consumer, with `StreamReadMode.enhancedFanOut()`. */
  public readonly streamConsumer?: kinesis.IStreamConsumer;
  /** The failure destination queue, when the destination is a queue. */
  public readonly failureQueue?: sqs.IQueue;
  /** The failure destination topic, when the destination is a topic. */
  public readonly failureTopic?: sns.ITopic;
  /** The failure destination bucket, with `FailureDestination.s3()`. */
  public readonly failureBucket?: s3.IBucket;
  /** The checkpoint table, with `idempotency`. */
  public readonly checkpointTable?: dynamodb.Table;
  /** Batches retried before they go to the failure destination. */
  public readonly retryAttempts: number;
  /** Age after which records go to the failure destination unprocessed. */
  public readonly maxRecordAge: Duration;
  /** Alarm on how far behind the stream the function is. */
  public readonly iteratorAgeAlarm?: cloudwatch.Alarm;
  /** Alarm on invocations that threw or timed out. */
  public readonly functionErrorsAlarm?: cloudwatch.Alarm;
  /** Alarm on throttled invocations. */
  public readonly functionThrottlesAlarm?: cloudwatch.Alarm;
  /** Alarm on batches described in the failure destination. */
  public readonly failureDestinationAlarm?: cloudwatch.Alarm;
  /** Alarm on failed writes to an S3 failure destination. */
  public readonly failureDestinationDeliveryAlarm?: cloudwatch.Alarm;

  private readonly failureMessages: cloudwatch.IMetric;

  /**
   * @param scope the construct the consumer is created in
   * @param id the consumer's id, unique within `scope`
   * @param props the stream, the consumer code and the event source settings
   */
  constructor(scope: Construct, id: string, props: LambdaStreamConsumerProps) {
    super(scope, id);
    checkRequiredProps(this, props, ['stream', 'code']);
    checkHandedStream(this, 'stream', props.stream);
    checkSameRegion(this, 'stream', props.stream);
    const reader = registerReader(this, props.stream, props.readMode ?? StreamReadMode.SHARED_THROUGHPUT);
    const options = resolveConsumerOptions(this, props, reader.retentionHours);
    this.streamConsumer = reader.streamConsumer;
    this.retryAttempts = options.retryAttempts;
    this.maxRecordAge = options.maxRecordAge;

    const { function: fn, owned } = props.code.bind(this);
    if (!fn.role) {
      fail(this, `the function ${fn.node.path} has no known role, so it cannot be granted reads of the stream and sends to the failure destination: ` +
        'import it with lambda.Function.fromFunctionAttributes({ functionArn, role })');
    }
    this.function = fn;
    const configurable = owned || fn instanceof lambda.Function ? fn as lambda.Function : undefined;
    this.checkpointTable = props.idempotency ? this.createCheckpointTable(fn) : undefined;
    this.configureRuntime(props, configurable);

    if (reader.streamConsumer) {
      reader.streamConsumer.grantRead(fn);
    } else {
      props.stream.grantRead(fn);
    }

    const failure = (props.onFailure ?? FailureDestination.sqs()).bind(this);
    this.failureQueue = failure.queue;
    this.failureTopic = failure.topic;
    this.failureBucket = failure.bucket;
    const alarmsOn = props.alarms?.enabled !== false;
    // Without a queue's depth or a topic's publications, only the mapping's own count tells that a batch went to S3.
    const countsFailures = failure.messagesMetric === undefined && alarmsOn && props.alarms?.failureDestination?.enabled !== false;

    this.eventSourceMapping = new lambda.EventSourceMapping(this, 'EventSourceMapping', {
      target: fn,
      eventSourceArn: reader.eventSourceArn,
      startingPosition: options.startingPosition,
      startingPositionTimestamp: props.startingPositionTimestamp,
      batchSize: options.batchSize,
      maxBatchingWindow: options.maxBatchingWindow,
      parallelizationFactor: options.parallelizationFactor,
      retryAttempts: options.retryAttempts,
      maxRecordAge: options.maxRecordAge,
      bisectBatchOnError: options.bisectBatchOnError,
      reportBatchItemFailures: options.reportBatchItemFailures,
      onFailure: failure.destination,
      filters: props.filters,
      supportS3OnFailureDestination: failure.bucket !== undefined,
      metricsConfig: withEventCount(props.metricsConfig, countsFailures),
      tumblingWindow: props.tumblingWindow,
      enabled: props.enabled ?? true,
    });
    // The mapping must not start polling before the function may read the stream.
    this.eventSourceMapping.node.addDependency(fn.role!);

    this.failureMessages = failure.messagesMetric ?? this.metricOnFailureDestinationDeliveredEvents();
    const timeout = configurable?.timeout;
    const alarms = createConsumerAlarms(this, {
      fn,
      iteratorAge: this.metricIteratorAge(),
      timeout,
      retryAttempts: options.retryAttempts,
      maxBatchingWindow: options.maxBatchingWindow,
      maxRecordAge: options.maxRecordAge,
      failureMessages: this.failureMessages,
      failureDestinationName: (failure.queue ?? failure.topic ?? failure.bucket)?.node.path ?? 'the failure destination',
      failureDeliveryFailures: failure.bucket ? this.function.metric('DestinationDeliveryFailures', { statistic: cloudwatch.Stats.SUM }) : undefined,
    }, props.alarms);
    this.iteratorAgeAlarm = alarms.iteratorAge;
    this.functionErrorsAlarm = alarms.functionErrors;
    this.functionThrottlesAlarm = alarms.functionThrottles;
    this.failureDestinationAlarm = alarms.failureDestination;
    this.failureDestinationDeliveryAlarm = alarms.failureDestinationDelivery;
  }

  /**
   * A metric of the event source mapping (`AWS/Lambda`, dimension `EventSourceMappingUUID`, sum by default). The
   * `EventCount` metrics are only produced with `metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] }` (or an
   * S3 failure destination with its alarm on).
   *
   * @param metricName e.g. `PolledEventCount`, `InvokedEventCount`, `FailedInvokeEventCount`, `DroppedEventCount`
   * @param options overrides of the metric's settings
   */
  public metricEventSourceMapping(metricName: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { EventSourceMappingUUID: this.eventSourceMapping.eventSourceMappingId },
      statistic: cloudwatch.Stats.SUM,
      ...options,
    });
  }

  /**
   * Records Lambda sent to the failure destination (`OnFailureDestinationDeliveredEventCount`, sum); needs `EventCount` metrics.
   *
   * @param options overrides of the metric's settings
   */
  public metricOnFailureDestinationDeliveredEvents(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricEventSourceMapping('OnFailureDestinationDeliveredEventCount', options);
  }

  /**
   * Records Lambda dropped after the retry attempts or the maximum record age without reaching a failure destination
   * (`DroppedEventCount`, sum); needs `EventCount` metrics.
   *
   * @param options overrides of the metric's settings
   */
  public metricDroppedEvents(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricEventSourceMapping('DroppedEventCount', options);
  }

  /**
   * How far behind the stream the function is: the age of the last record of the last batch it received, in
   * milliseconds (`AWS/Lambda IteratorAge`, maximum by default).
   *
   * @param options statistic, period and label of the metric
   */
  public metricIteratorAge(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, ...options });
  }

  /**
   * Messages in the failure destination: batches Lambda gave up on (queue depth, messages published to the topic, or
   * records the mapping sent to the bucket).
   */
  public metricFailedBatches(): cloudwatch.IMetric {
    return this.failureMessages;
  }

  private createCheckpointTable(fn: lambda.IFunction): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Checkpoints', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Checkpoints are worthless once their records have left the stream; they are not data to keep.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    table.grantReadWriteData(fn);
    return table;
  }

  /** The runtime's settings go to the function's environment; a function the construct cannot configure gets a warning instead. */
  private configureRuntime(props: LambdaStreamConsumerProps, fn: lambda.Function | undefined): void {
    const environment: Record<string, string> = {};
    if (props.strict !== undefined) environment[CONSUMER_ENVIRONMENT.STRICT] = String(props.strict);
    if (props.keyConcurrency !== undefined) environment[CONSUMER_ENVIRONMENT.KEY_CONCURRENCY] = numberText(props.keyConcurrency);
    if (this.checkpointTable) {
      checkLiteral(this, 'maxRecordAge', this.maxRecordAge, 'with idempotency, the checkpoints\' lifetime is derived from it; give a Duration such as Duration.hours(6)');
      environment[CONSUMER_ENVIRONMENT.CHECKPOINT_TABLE] = this.checkpointTable.tableName;
      environment[CONSUMER_ENVIRONMENT.CHECKPOINT_TTL_SECONDS] = String(this.maxRecordAge.plus(CHECKPOINT_TTL_MARGIN).toSeconds());
    }
    const names = Object.keys(environment);
    if (names.length === 0) return;
    if (fn) {
      for (const name of names) fn.addEnvironment(name, environment[name]);
    } else {
      warn(this, 'RuntimeNotConfigured', `strict, keyConcurrency and idempotency are runtime settings passed as environment variables, but ${this.function.node.path} ` +
        `is not a lambda.Function the construct can configure: set ${names.join(', ')} on it yourself (values: ${names.map((n) => `${n}=${environment[n]}`).join(', ')})`);
    }
  }
}

/** The user's metrics configuration, with `EventCount` added when the failure alarm needs it. */
function withEventCount(config: lambda.MetricsConfig | undefined, needed: boolean): lambda.MetricsConfig | undefined {
  if (!needed || (config !== undefined && Token.isUnresolved(config.metrics))) return config;
  const metrics = config?.metrics ?? [];
  return metrics.includes(lambda.MetricType.EVENT_COUNT) ? config : { metrics: [...metrics, lambda.MetricType.EVENT_COUNT] };
}
