import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PipelineCommonProps } from './pipeline-options';
import { PipelinePlan, PipelinePlanLine, PipelineThroughput } from './pipeline-plan';
import { alternatives, firehoseLine, s3Line, SECONDS_PER_MONTH } from './private/cost';
import { checkThroughput, PipelineCore, streamLine } from './private/pipeline-core';
import { DeliveryDestinationKind } from '../delivery/delivery-stream-alarms';
import { OpenSearchDeliveryStream, OpenSearchVpcOptions } from '../delivery/opensearch-delivery-stream';
import { OpenSearchTarget } from '../delivery/opensearch-target';
import { DynamicPartitioning } from '../delivery/partitioning';
import { RecordFilter } from '../delivery/record-filter';
import { S3DeliveryStream } from '../delivery/s3-delivery-stream';
import { DeliverySource } from '../delivery/source';
import { RecordTransform } from '../delivery/transform';
import { AlarmTopic } from '../monitoring/alarm-topic';
import { PipelineDashboard } from '../monitoring/pipeline-dashboard';
import { DataStream } from '../streams/data-stream';
import { FirehoseDirectPutQuotas, FirehoseLimits } from '../validation/limits';
import { checkInteger, checkRange, fail, warn } from '../validation/rules';

/** Indexing logs in OpenSearch as well as archiving them in S3. */
export interface LogIngestionOpenSearchOptions {
  /** The domain or collection. */
  readonly target: OpenSearchTarget;
  /** The index (or index prefix, with rotation). */
  readonly indexName: string;
  /**
   * Delivery into a VPC, for a domain with VPC access.
   *
   * @default - public endpoint
   */
  readonly vpc?: OpenSearchVpcOptions;
}

/** Properties of a `LogIngestionPipeline`. */
export interface LogIngestionPipelineProps extends PipelineCommonProps {
  /** Log events per second and their size: planned once, passed to every part. */
  readonly throughput: PipelineThroughput;
  /**
   * Whether producers write to a data stream that the delivery streams read (needed for OpenSearch as well, or for
   * other real-time readers), rather than straight to Firehose (direct PUT).
   *
   * @default false
   */
  readonly throughStream?: boolean;
  /**
   * The top-level field that names the service of a log event: objects are partitioned by it.
   *
   * @default 'service'
   */
  readonly serviceField?: string;
  /**
   * Fields an event must have; one without them goes to the error prefix, never failing the batch.
   *
   * @default - the service field
   */
  readonly requiredFields?: string[];
  /**
   * Top-level fields removed before delivery (secrets that leak into structured logs).
   *
   * @default - none
   */
  readonly dropFields?: string[];
  /**
   * Conditions an event must meet to be kept (for example dropping DEBUG).
   *
   * @default - every event is kept
   */
  readonly filters?: RecordFilter[];
  /**
   * Active services expected at once: the number of partitions, for the cost of objects delivered.
   *
   * @default 10
   */
  readonly expectedServiceCount?: number;
  /**
   * How long log objects are kept in the bucket the pipeline creates.
   *
   * @default Duration.days(400)
   */
  readonly logRetention?: Duration;
  /**
   * Your bucket, instead of one the pipeline creates (its lifecycle is then yours).
   *
   * @default - an encrypted, TLS-only, versioned bucket with the retention above
   */
  readonly bucket?: s3.IBucket;
  /**
   * Also index the logs in OpenSearch, with failed documents backed up to S3. Needs `throughStream`.
   *
   * @default - S3 only
   */
  readonly openSearch?: LogIngestionOpenSearchOptions;
}

const PREFIX_ROOT = 'logs/';
const ERROR_ROOT = 'logs-errors/';

/**
 * Log ingestion: services put JSON log events to Firehose (direct PUT, or through a planned data stream), which
 * lands them in S3 as GZIP-compressed JSON Lines under `logs/service=<service>/date=<yyyy-MM-dd>/`, through the
 * bundled transform (required fields, filters, dropped secrets, the service as the partition key); optionally also
 * into OpenSearch, with failed documents backed up. Buffering is derived from the throughput; Firehose's own
 * throughput quota is checked; alarms go to one encrypted topic; one dashboard; one plan.
 */
export class LogIngestionPipeline extends Construct {
  /** The stream producers write to, with `throughStream`. */
  public readonly stream?: DataStream;
  /** The delivery to S3. */
  public readonly archive: S3DeliveryStream;
  /** The delivery to OpenSearch, when asked for. */
  public readonly search?: OpenSearchDeliveryStream;
  /** The delivery stream producers put to (direct PUT), when there is no stream. */
  public readonly deliveryStream: firehose.IDeliveryStream;
  /** The pipeline's dashboard. */
  public readonly dashboard?: PipelineDashboard;
  /** The topic every alarm goes to, unless `alarmActions` were given. */
  public readonly alarmTopic?: AlarmTopic;
  /** Capacity and monthly cost of every part. */
  public readonly plan: PipelinePlan;

  /**
   * @param scope the construct the pipeline is created in
   * @param id the pipeline's id, unique within `scope`
   * @param props its throughput, fields, filters, buckets and OpenSearch
   */
  constructor(scope: Construct, id: string, props: LogIngestionPipelineProps) {
    super(scope, id);
    if (props === undefined || props === null) fail(this, 'props are required: give at least throughput');
    const t = checkThroughput(this, props.throughput);
    const serviceField = props.serviceField ?? 'service';
    if (!/^[A-Za-z0-9_-]+$/.test(serviceField)) fail(this, `serviceField must be a top-level field name (letters, digits, _ and -), got '${serviceField}'`);
    const services = props.expectedServiceCount ?? 10;
    checkInteger(this, 'expectedServiceCount', services);
    checkRange(this, 'expectedServiceCount', services, 1, FirehoseLimits.DEFAULT_MAX_ACTIVE_PARTITIONS, undefined,
      'Each service is an active partition; Firehose allows 500 by default');
    if (props.openSearch && !props.throughStream) {
      fail(this, 'openSearch needs throughStream: true. Two delivery streams can read one data stream; with direct PUT, producers would have to write every event twice');
    }

    const core = new PipelineCore(this, props);
    this.dashboard = core.dashboard;
    this.alarmTopic = core.alarmTopic;
    const averageBytesPerSecond = t.average * t.recordBytes;
    const peakBytesPerSecond = t.peak * t.recordBytes;

    if (props.throughStream) {
      this.stream = new DataStream(this, 'Stream', {
        throughput: {
          recordsPerSecond: t.peak,
          averageRecordsPerSecond: t.average,
          averageRecordSize: props.throughput.averageRecordSize,
          sharedThroughputConsumers: props.openSearch ? 2 : 1,
        },
        pricing: props.pricing?.kinesis,
      });
    } else {
      this.checkDirectPutQuota(t.peak, peakBytesPerSecond);
    }

    // Dynamic partitioning needs at least 64 MiB; the interval is the time to fill that much at the average rate,
    // within Firehose's 60 to 900 seconds, so objects are large when traffic is low and fresh when it is high.
    const bufferSize = FirehoseLimits.MIN_DYNAMIC_PARTITIONING_BUFFER_SIZE_MIB;
    const fillSeconds = Math.ceil(bufferSize * 1024 * 1024 / Math.max(1, averageBytesPerSecond / services));
    const interval = Math.min(FirehoseLimits.MAX_BUFFER_INTERVAL_SECONDS,
      Math.max(FirehoseLimits.MIN_DYNAMIC_PARTITIONING_BUFFER_INTERVAL_SECONDS, fillSeconds));
    const source = this.stream ? DeliverySource.kinesisStream(this.stream) : DeliverySource.directPut();
    this.archive = new S3DeliveryStream(this, 'Archive', {
      source,
      bucket: props.bucket,
      bucketProps: props.bucket ? undefined : {
        lifecycleRules: [
          { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
          { id: 'expire-logs', prefix: PREFIX_ROOT, expiration: props.logRetention ?? Duration.days(400) },
          { id: 'expire-errors', prefix: ERROR_ROOT, expiration: Duration.days(30) },
        ],
      },
      transform: RecordTransform.bundled({
        requiredFields: props.requiredFields ?? [serviceField],
        filters: props.filters,
        dropFields: props.dropFields,
        partitionKeyFields: { service: serviceField },
      }),
      dynamicPartitioning: DynamicPartitioning.byTransform(),
      dataOutputPrefix: `${PREFIX_ROOT}service=!{partitionKeyFromLambda:service}/date=!{timestamp:yyyy-MM-dd}/`,
      errorOutputPrefix: `${ERROR_ROOT}!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/`,
      buffering: { size: Size.mebibytes(bufferSize), interval: Duration.seconds(interval) },
      compression: firehose.Compression.GZIP,
      fileExtension: '.jsonl.gz',
    });
    this.deliveryStream = this.archive.deliveryStream;

    if (props.openSearch) {
      this.search = new OpenSearchDeliveryStream(this, 'Search', {
        source,
        target: props.openSearch.target,
        indexName: props.openSearch.indexName,
        vpc: props.openSearch.vpc,
      });
    }

    const objectsPerMonth = services * SECONDS_PER_MONTH / interval;
    const lines: PipelinePlanLine[] = [];
    if (this.stream) lines.push(streamLine(this.stream));
    lines.push(firehoseLine(this.archive.node.path, core.prices, t.average, t.recordBytes, {
      dynamicPartitioning: true,
      objectsPerMonth,
      capacity: `buffers ${bufferSize} MiB or ${interval} s per service partition (${services} expected)`,
    }));
    lines.push(s3Line(this.archive.bucket.node.path, core.prices, averageBytesPerSecond * SECONDS_PER_MONTH, objectsPerMonth, true));
    if (this.search) {
      lines.push(firehoseLine(this.search.node.path, core.prices, t.average, t.recordBytes, { capacity: 'buffers by its defaults; the domain is yours and not priced here' }));
    }

    if (this.dashboard) {
      if (this.stream) this.dashboard.addStream(this.stream);
      this.dashboard.addDeliveryStream(this.archive.deliveryStream, {
        destination: DeliveryDestinationKind.S3,
        freshnessThreshold: this.archive.alarms ? Duration.seconds(this.archive.alarms.freshnessThresholdSeconds) : undefined,
      });
      if (this.search) {
        this.dashboard.addDeliveryStream(this.search.deliveryStream, { destination: DeliveryDestinationKind.OPENSEARCH });
      }
    }
    // Without a stream the pipeline already is Firehose alone: there is nothing cheaper to point to.
    this.plan = core.plan(props.throughput, lines, t.realTime || !this.stream ? [] : alternatives(core.prices, t.average, t.recordBytes));
  }

  /** Direct PUT has a per-delivery-stream quota: 5 MiB/s in the largest Regions, 1 MiB/s elsewhere. */
  private checkDirectPutQuota(peakRecords: number, peakBytes: number): void {
    const region = Stack.of(this).region;
    const large = !Token.isUnresolved(region) && FirehoseDirectPutQuotas.LARGE_QUOTA_REGIONS.includes(region);
    const bytesQuota = large ? FirehoseDirectPutQuotas.BYTES_PER_SECOND_LARGE_REGIONS : FirehoseDirectPutQuotas.BYTES_PER_SECOND_OTHER_REGIONS;
    const recordsQuota = large ? FirehoseDirectPutQuotas.RECORDS_PER_SECOND_LARGE_REGIONS : FirehoseDirectPutQuotas.RECORDS_PER_SECOND_OTHER_REGIONS;
    const where = Token.isUnresolved(region) ? 'in a Region the stack does not name (the lower quota is assumed)' : `in ${region}`;
    if (peakBytes > bytesQuota || peakRecords > recordsQuota) {
      warn(this, 'DirectPutQuota', `the peak of ${Math.round(peakBytes).toLocaleString('en-US')} bytes/s and ${peakRecords.toLocaleString('en-US')} records/s exceeds ` +
        `a direct PUT delivery stream's default quota ${where} (${bytesQuota.toLocaleString('en-US')} bytes/s, ${recordsQuota.toLocaleString('en-US')} records/s): ` +
        'request a quota increase before going live, or set throughStream: true so a planned data stream absorbs the peak');
    }
  }
}
