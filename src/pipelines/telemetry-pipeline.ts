import { Duration, Size } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PipelineCommonProps } from './pipeline-options';
import { PipelinePlan, PipelineThroughput } from './pipeline-plan';
import { alternatives, apiGatewayLine, dynamoDbLine, firehoseLine, lambdaLine, s3Line, SECONDS_PER_MONTH } from './private/cost';
import { checkThroughput, PipelineCore, streamLine } from './private/pipeline-core';
import { DynamoDbStreamSink } from '../consumers/dynamo-db-stream-sink';
import { DeliveryDestinationKind } from '../delivery/delivery-stream-alarms';
import { S3DeliveryStream } from '../delivery/s3-delivery-stream';
import { DeliverySource } from '../delivery/source';
import { RecordTransform } from '../delivery/transform';
import { AlarmTopic } from '../monitoring/alarm-topic';
import { PipelineDashboard } from '../monitoring/pipeline-dashboard';
import { HttpIngestionApi } from '../producers/http-ingestion-api';
import { IngestionAuthorization } from '../producers/ingestion-authorization';
import { PartitionKey } from '../producers/partition-key';
import { DataStream } from '../streams/data-stream';
import { DynamoDbOnDemandLimits, LambdaLimits } from '../validation/limits';
import { checkInteger, checkRange, fail, warn } from '../validation/rules';

/** Properties of a `TelemetryPipeline`. */
export interface TelemetryPipelineProps extends PipelineCommonProps {
  /** Readings per second and their size: planned once, passed to every part. */
  readonly throughput: PipelineThroughput;
  /**
   * The field of a reading that names its device: the stream's partition key (each device's readings stay in
   * order) and the latest-state table's key.
   *
   * @default 'deviceId'
   */
  readonly deviceIdField?: string;
  /**
   * A numeric field that orders a device's readings (an event time in milliseconds, a counter), so a late reading
   * never overwrites a newer state.
   *
   * @default - the stream position
   */
  readonly versionField?: string;
  /**
   * How devices authenticate to the ingestion API.
   *
   * @default IngestionAuthorization.iam()
   */
  readonly authorization?: IngestionAuthorization;
  /**
   * Readings a device posts in one request at most.
   *
   * @default 50
   */
  readonly maxEventsPerRequest?: number;
  /**
   * Readings per request on average, for the request cost.
   *
   * @default - half of `maxEventsPerRequest`
   */
  readonly averageEventsPerRequest?: number;
  /**
   * How long the stream keeps readings.
   *
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Concurrent batches per shard of the latest-state sink (1 to 10); concurrency is shards times this.
   *
   * @default 1
   */
  readonly sinkParallelizationFactor?: number;
  /**
   * Your bucket for the archive, instead of one the pipeline creates.
   *
   * @default - an encrypted, TLS-only, versioned bucket
   */
  readonly archiveBucket?: s3.IBucket;
}

/** Milliseconds a Lambda invocation is assumed to take in the cost estimate (stated in the plan). */
const ASSUMED_PRODUCER_MS = 50;
const ASSUMED_SINK_MS = 100;

/**
 * Metrics and IoT telemetry: devices post readings over HTTPS to an API whose bundled producer writes them to a
 * planned data stream partitioned by device id; a DynamoDB sink keeps each device's latest state, written with a
 * condition so an older reading never overwrites a newer one; Firehose archives every reading to S3 as GZIP JSON
 * Lines by date and hour. Stream shards, sink concurrency, buffering and table capacity come from one throughput.
 */
export class TelemetryPipeline extends Construct {
  /** The ingestion API and its producer. */
  public readonly api: HttpIngestionApi;
  /** The stream, planned from the throughput. */
  public readonly stream: DataStream;
  /** The latest-state sink (its table is `sink.table`). */
  public readonly sink: DynamoDbStreamSink;
  /** The archive delivery to S3. */
  public readonly archive: S3DeliveryStream;
  /** The pipeline's dashboard. */
  public readonly dashboard?: PipelineDashboard;
  /** The topic every alarm goes to, unless `alarmActions` were given. */
  public readonly alarmTopic?: AlarmTopic;
  /** Capacity and monthly cost of every part. */
  public readonly plan: PipelinePlan;
  /** Concurrent sink invocations at most: shards times the parallelization factor. */
  public readonly sinkConcurrency: number;

  /**
   * @param scope the construct the pipeline is created in
   * @param id the pipeline's id, unique within `scope`
   * @param props its throughput, fields, authorization and retention
   */
  constructor(scope: Construct, id: string, props: TelemetryPipelineProps) {
    super(scope, id);
    if (props === undefined || props === null) fail(this, 'props are required: give at least throughput');
    const t = checkThroughput(this, props.throughput);
    const deviceIdField = props.deviceIdField ?? 'deviceId';
    const maxEvents = props.maxEventsPerRequest ?? 50;
    const averageEvents = props.averageEventsPerRequest ?? Math.max(1, maxEvents / 2);
    checkRange(this, 'averageEventsPerRequest', averageEvents, 1, maxEvents, undefined, 'It cannot exceed maxEventsPerRequest');
    const parallelization = props.sinkParallelizationFactor ?? 1;
    checkInteger(this, 'sinkParallelizationFactor', parallelization);
    checkRange(this, 'sinkParallelizationFactor', parallelization, 1, LambdaLimits.MAX_PARALLELIZATION_FACTOR);

    const core = new PipelineCore(this, props);
    this.dashboard = core.dashboard;
    this.alarmTopic = core.alarmTopic;

    this.stream = new DataStream(this, 'Stream', {
      throughput: {
        recordsPerSecond: t.peak,
        averageRecordsPerSecond: t.average,
        averageRecordSize: props.throughput.averageRecordSize,
        // The latest-state sink and the archive read with shared throughput.
        sharedThroughputConsumers: 2,
      },
      retentionPeriod: props.retentionPeriod ?? Duration.hours(24),
      pricing: props.pricing?.kinesis,
    });

    // Requests at the peak, each carrying maxEvents readings at most: API Gateway's throttle is set to twice that.
    const peakRequests = Math.ceil(t.peak / averageEvents);
    this.api = new HttpIngestionApi(this, 'Ingest', {
      stream: this.stream,
      authorization: props.authorization,
      producer: {
        partitionKey: PartitionKey.fromField(deviceIdField),
        // A request's readings fill PutRecords calls without holding the device's response for long.
        bufferTime: Duration.millis(50),
      },
      maxEventsPerRequest: maxEvents,
      throttlingRateLimit: Math.max(10, 2 * peakRequests),
      throttlingBurstLimit: Math.max(20, 4 * peakRequests),
    });

    this.sink = new DynamoDbStreamSink(this, 'LatestState', {
      stream: this.stream,
      partitionKeyAttribute: deviceIdField,
      partitionKeyField: deviceIdField,
      versionField: props.versionField,
      parallelizationFactor: parallelization,
    });
    const shards = this.stream.shardCount ?? 1;
    this.sinkConcurrency = shards * parallelization;

    const writeUnits = Math.ceil(t.recordBytes / DynamoDbOnDemandLimits.WRITE_UNIT_BYTES);
    if (t.peak * writeUnits > DynamoDbOnDemandLimits.INITIAL_WRITE_UNITS_PER_SECOND) {
      warn(this, 'TableWarmThroughput', `the peak needs ${(t.peak * writeUnits).toLocaleString('en-US')} write units/s, above the ` +
        `${DynamoDbOnDemandLimits.INITIAL_WRITE_UNITS_PER_SECOND.toLocaleString('en-US')} a new on-demand table serves at once: ` +
        'set the table\'s warm throughput (or bring a pre-warmed table), or it throttles until it adapts');
    }

    // Archive: plain timestamp prefixes (no dynamic partitioning needed), buffered for large objects.
    const averageBytesPerSecond = t.average * t.recordBytes;
    const interval = Math.min(900, Math.max(60, Math.ceil(128 * 1024 * 1024 / Math.max(1, averageBytesPerSecond))));
    this.archive = new S3DeliveryStream(this, 'Archive', {
      source: DeliverySource.kinesisStream(this.stream),
      bucket: props.archiveBucket,
      dataOutputPrefix: 'telemetry/date=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/',
      errorOutputPrefix: 'telemetry-errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/',
      buffering: { size: Size.mebibytes(128), interval: Duration.seconds(interval) },
      compression: firehose.Compression.GZIP,
      // The bundled transform ends each reading with a newline (JSON Lines) and sends malformed ones to the error prefix.
      transform: RecordTransform.bundled({ requiredFields: [deviceIdField] }),
      fileExtension: '.jsonl.gz',
    });

    if (this.dashboard) {
      this.dashboard.addStream(this.stream);
      this.dashboard.addProducer(this.api.producer);
      this.dashboard.addConsumer(this.sink.consumer);
      this.dashboard.addTable(this.sink.table);
      this.dashboard.addDeliveryStream(this.archive.deliveryStream, {
        destination: DeliveryDestinationKind.S3,
        freshnessThreshold: this.archive.alarms ? Duration.seconds(this.archive.alarms.freshnessThresholdSeconds) : undefined,
      });
    }

    const requestsPerSecond = t.average / averageEvents;
    const sinkInvocations = Math.max(t.average / 100, Math.min(t.average, this.sinkConcurrency));
    this.plan = core.plan(props.throughput, [
      apiGatewayLine(this.api.node.path, core.prices, requestsPerSecond, `throttled at ${Math.max(10, 2 * peakRequests)} requests/s (twice the peak of ${peakRequests})`),
      lambdaLine(this.api.producer.node.path, core.prices, requestsPerSecond, 256, ASSUMED_PRODUCER_MS, `one invocation per request, ${averageEvents} readings each on average`),
      streamLine(this.stream),
      lambdaLine(this.sink.function.node.path, core.prices, sinkInvocations, 256, ASSUMED_SINK_MS,
        `concurrency ${this.sinkConcurrency} (${shards} shard(s) x parallelization factor ${parallelization})`),
      dynamoDbLine(this.sink.table.node.path, core.prices, t.average, t.recordBytes, `on-demand, peak ${(t.peak * writeUnits).toLocaleString('en-US')} write units/s`),
      firehoseLine(this.archive.node.path, core.prices, t.average, t.recordBytes, { capacity: `buffers 128 MiB or ${interval} s` }),
      s3Line(this.archive.bucket.node.path, core.prices, averageBytesPerSecond * SECONDS_PER_MONTH, SECONDS_PER_MONTH / interval, true),
    ], t.realTime ? [] : alternatives(core.prices, t.average, t.recordBytes));
  }
}
