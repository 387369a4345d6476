import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { PipelineCommonProps } from './pipeline-options';
import { PipelinePlan, PipelinePlanLine, PipelineThroughput } from './pipeline-plan';
import { apiGatewayLine, firehoseLine, lambdaLine, s3Line, SECONDS_PER_MONTH } from './private/cost';
import { flinkLine, checkThroughput, PipelineCore, streamLine } from './private/pipeline-core';
import { FlinkApplication } from '../analytics/flink-application';
import { FlinkApplicationBase } from '../analytics/flink-application-base';
import { FlinkCode } from '../analytics/flink-code';
import { FlinkReadMode } from '../analytics/flink-connector-options';
import { StudioNotebook } from '../analytics/studio-notebook';
import { ConsumerCode } from '../consumers/consumer-code';
import { LambdaStreamConsumer } from '../consumers/lambda-stream-consumer';
import { DeliveryBucket } from '../delivery/delivery-bucket';
import { DeliveryDestinationKind } from '../delivery/delivery-stream-alarms';
import { RecordFormatConversion } from '../delivery/record-format';
import { S3DeliveryStream } from '../delivery/s3-delivery-stream';
import { DeliverySource } from '../delivery/source';
import { RecordTransform } from '../delivery/transform';
import { AlarmTopic } from '../monitoring/alarm-topic';
import { PipelineDashboard } from '../monitoring/pipeline-dashboard';
import { HttpIngestionApi } from '../producers/http-ingestion-api';
import { IngestionAuthorization } from '../producers/ingestion-authorization';
import { PartitionKey } from '../producers/partition-key';
import { DataStream } from '../streams/data-stream';
import { fail } from '../validation/rules';

/** Properties of a `ClickstreamPipeline`. */
export interface ClickstreamPipelineProps extends PipelineCommonProps {
  /** Click events per second and their size: planned once, passed to every part. */
  readonly throughput: PipelineThroughput;
  /**
   * The field of an event that names its user: the stream's partition key, so each user's clicks stay in order.
   *
   * @default 'userId'
   */
  readonly userIdField?: string;
  /**
   * The columns of an event, for the Glue table the Parquet archive is written with (Firehose converts JSON to
   * Parquet by this schema).
   */
  readonly eventColumns: glue.CfnTable.ColumnProperty[];
  /**
   * Whether browsers and apps post events to an HTTPS API (the bundled producer writes them), rather than to the
   * stream directly (`pipeline.stream.grantWrite(...)`).
   *
   * @default true
   */
  readonly httpIngestion?: boolean;
  /**
   * How clients authenticate to the ingestion API.
   *
   * @default IngestionAuthorization.iam()
   */
  readonly authorization?: IngestionAuthorization;
  /**
   * The session consumer: your handler, run by the consumer runtime (per-user order, partial batch failures).
   *
   * @default - no session consumer
   */
  readonly sessionHandler?: ConsumerCode;
  /**
   * The Flink job that analyses the clickstream, reading it through enhanced fan-out. Without it, a Studio
   * notebook is created for interactive Flink SQL over the stream.
   *
   * @default - a Studio notebook
   */
  readonly flinkCode?: FlinkCode;
  /**
   * How long the stream keeps events.
   *
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * Clickstream analytics: events posted over HTTPS (or written by your producers) into a data stream planned from the
 * throughput and partitioned by user id; a session consumer of yours; Firehose to S3 as Parquet, partitioned by date;
 * and a Flink job (enhanced fan-out) or a Studio notebook for Flink SQL. One plan, one dashboard, one alarm topic.
 */
export class ClickstreamPipeline extends Construct {
  /** The stream, planned from the throughput. */
  public readonly stream: DataStream;
  /** The ingestion API, with `httpIngestion`. */
  public readonly api?: HttpIngestionApi;
  /** The session consumer, when a handler was given. */
  public readonly sessions?: LambdaStreamConsumer;
  /** The Parquet archive. */
  public readonly archive: S3DeliveryStream;
  /** The Glue database and table of the archive. */
  public readonly table: glue.CfnTable;
  /** The Flink application or Studio notebook. */
  public readonly analytics: FlinkApplicationBase;
  /** The pipeline's dashboard. */
  public readonly dashboard?: PipelineDashboard;
  /** The topic every alarm goes to, unless `alarmActions` were given. */
  public readonly alarmTopic?: AlarmTopic;
  /** Capacity and monthly cost of every part. */
  public readonly plan: PipelinePlan;

  /**
   * @param scope the construct the pipeline is created in
   * @param id the pipeline's id, unique within `scope`
   * @param props its throughput, columns, handlers and analytics
   */
  constructor(scope: Construct, id: string, props: ClickstreamPipelineProps) {
    super(scope, id);
    if (props === undefined || props === null) fail(this, 'props are required: give at least throughput and eventColumns');
    const t = checkThroughput(this, props.throughput);
    if (!Array.isArray(props.eventColumns) || props.eventColumns.length === 0) {
      fail(this, 'eventColumns must list at least one column: the Parquet archive is written with their schema');
    }
    const userIdField = props.userIdField ?? 'userId';
    const core = new PipelineCore(this, props);
    this.dashboard = core.dashboard;
    this.alarmTopic = core.alarmTopic;

    const shared = 1 /* archive */ + (props.sessionHandler ? 1 : 0) + (props.flinkCode ? 0 : 1 /* notebook */);
    this.stream = new DataStream(this, 'Stream', {
      throughput: {
        recordsPerSecond: t.peak,
        averageRecordsPerSecond: t.average,
        averageRecordSize: props.throughput.averageRecordSize,
        sharedThroughputConsumers: shared,
        enhancedFanOutConsumers: props.flinkCode ? 1 : 0,
      },
      retentionPeriod: props.retentionPeriod ?? Duration.hours(24),
      pricing: props.pricing?.kinesis,
    });

    const lines: PipelinePlanLine[] = [];
    if (props.httpIngestion !== false) {
      this.api = new HttpIngestionApi(this, 'Ingest', {
        stream: this.stream,
        authorization: props.authorization,
        producer: { partitionKey: PartitionKey.fromField(userIdField), bufferTime: Duration.millis(50) },
        throttlingRateLimit: Math.max(10, Math.ceil(2 * t.peak)),
        throttlingBurstLimit: Math.max(20, Math.ceil(4 * t.peak)),
      });
      lines.push(apiGatewayLine(this.api.node.path, core.prices, t.average, `throttled at ${Math.max(10, Math.ceil(2 * t.peak))} requests/s (one event a request, twice the peak)`));
      lines.push(lambdaLine(this.api.producer.node.path, core.prices, t.average, 256, 20, 'one invocation per request'));
    }
    lines.push(streamLine(this.stream));

    if (props.sessionHandler) {
      this.sessions = new LambdaStreamConsumer(this, 'Sessions', { stream: this.stream, code: props.sessionHandler });
      const shards = this.stream.shardCount ?? 1;
      lines.push(lambdaLine(this.sessions.function.node.path, core.prices, Math.max(t.average / 100, Math.min(t.average, shards)), 256, 100,
        `concurrency ${shards} (${shards} shard(s) x parallelization factor 1)`));
    }

    // The bucket comes first: the Glue table's location names it, and the delivery stream needs the table.
    const lake = new DeliveryBucket(this, 'Lake');
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Stack.of(this).account,
      databaseInput: { description: `Clickstream events of ${this.node.path}` },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: Stack.of(this).account,
      databaseName: database.ref,
      tableInput: {
        name: 'events',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet' },
        storageDescriptor: {
          columns: props.eventColumns,
          location: `s3://${lake.bucket.bucketName}/events/`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    // Format conversion needs buffers of at least 64 MiB; the interval is the time to fill 128 MiB, within 60 to 900 s.
    const averageBytesPerSecond = t.average * t.recordBytes;
    const interval = Math.min(900, Math.max(60, Math.ceil(128 * 1024 * 1024 / Math.max(1, averageBytesPerSecond))));
    this.archive = new S3DeliveryStream(this, 'Archive', {
      source: DeliverySource.kinesisStream(this.stream),
      bucket: lake.bucket,
      transform: RecordTransform.bundled({ requiredFields: [userIdField] }),
      recordFormatConversion: RecordFormatConversion.toParquet(this.table),
      dataOutputPrefix: 'events/date=!{timestamp:yyyy-MM-dd}/',
      errorOutputPrefix: 'events-errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/',
      buffering: { size: Size.mebibytes(128), interval: Duration.seconds(interval) },
    });
    lines.push(firehoseLine(this.archive.node.path, core.prices, t.average, t.recordBytes, { formatConversion: true, capacity: `buffers 128 MiB or ${interval} s` }));
    lines.push(s3Line(this.archive.bucket.node.path, core.prices, averageBytesPerSecond * SECONDS_PER_MONTH, SECONDS_PER_MONTH / interval, true));

    let analytics: FlinkApplication | StudioNotebook;
    if (props.flinkCode) {
      // Source subtasks beyond the shard count would idle: parallelism follows the shards.
      const app = new FlinkApplication(this, 'Analytics', {
        code: props.flinkCode,
        parallelism: Math.max(1, this.stream.shardCount ?? 1),
        pricing: props.pricing?.flink,
      });
      app.addSource(this.stream, { name: 'clicks', readMode: FlinkReadMode.EFO });
      analytics = app;
    } else {
      analytics = new StudioNotebook(this, 'Notebook', { streams: [this.stream], pricing: props.pricing?.flink });
    }
    this.analytics = analytics;
    lines.push(flinkLine(analytics));

    if (this.dashboard) {
      this.dashboard.addStream(this.stream);
      if (this.api) this.dashboard.addProducer(this.api.producer);
      if (this.sessions) this.dashboard.addConsumer(this.sessions);
      this.dashboard.addDeliveryStream(this.archive.deliveryStream, { destination: DeliveryDestinationKind.S3 });
      this.dashboard.addFlinkApplication(this.analytics.applicationName, {
        title: `Flink ${this.analytics.node.path}`,
        sourceStreamNames: [this.stream.streamName],
        checkpointInterval: analytics instanceof FlinkApplication ? analytics.checkpointInterval : undefined,
      });
    }
    this.plan = core.plan(props.throughput, lines, []);
  }
}
