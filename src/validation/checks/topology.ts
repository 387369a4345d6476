import { KinesisLimits, LambdaLimits, StreamReaderLimits } from '../limits';
import { asArray, DesignModel, ModelResource, num } from './model';

export const STREAM = 'AWS::Kinesis::Stream';
export const STREAM_CONSUMER = 'AWS::Kinesis::StreamConsumer';
export const MAPPING = 'AWS::Lambda::EventSourceMapping';
export const FUNCTION = 'AWS::Lambda::Function';
export const DELIVERY_STREAM = 'AWS::KinesisFirehose::DeliveryStream';
export const FLINK_APP = 'AWS::KinesisAnalyticsV2::Application';

/** How one reader reads a stream. */
export interface Reader {
  readonly resource: ModelResource;
  readonly kind: 'lambda' | 'firehose' | 'flink';
  /** Enhanced fan-out: its own 2 MiB/s per shard, no share of the 5 reads/s. */
  readonly enhancedFanOut: boolean;
  /** GetRecords calls per second per shard it takes from the shared 5 (0 with enhanced fan-out). */
  readonly callsPerSecondPerShard: number;
  readonly describe: string;
}

/** The stream an ARN value names (directly, or through an enhanced fan-out consumer), and whether through a consumer. */
export function streamOf(model: DesignModel, from: ModelResource, arn: unknown): { stream?: ModelResource; consumer?: ModelResource } {
  const target = model.target(from, arn);
  if (target?.type === STREAM) return { stream: target };
  if (target?.type === STREAM_CONSUMER) return { stream: model.target(target, target.properties.StreamARN), consumer: target };
  if (typeof arn === 'string') {
    const byName = model.ofType(STREAM).find((s) => model.refersTo(from, arn, s));
    if (byName) return { stream: byName };
  }
  return {};
}

/** Lambda event source mappings that read a Kinesis stream (through the stream or one of its consumers). */
export function kinesisMappings(model: DesignModel): Array<{ mapping: ModelResource; stream?: ModelResource; consumer?: ModelResource }> {
  return model.ofType(MAPPING)
    .filter((m) => isKinesisArn(model, m, m.properties.EventSourceArn))
    .map((m) => ({ mapping: m, ...streamOf(model, m, m.properties.EventSourceArn) }));
}

function isKinesisArn(model: DesignModel, from: ModelResource, arn: unknown): boolean {
  const t = model.target(from, arn);
  if (t) return t.type === STREAM || t.type === STREAM_CONSUMER;
  if (typeof arn === 'string') return arn.includes(':kinesis:');
  const join = (arn as any)?.['Fn::Join'];
  return Array.isArray(join) && JSON.stringify(join).includes(':kinesis:');
}

/** A property group that configures a sink (this library's `sink.<name>` groups, or any group named for a sink or producer). */
function isSinkGroup(groupId: unknown): boolean {
  return typeof groupId === 'string' && /(^|[._-])(sink|sinks|producer|output)([._-]|$)/i.test(groupId);
}

/** Flink property groups that name `stream` as a source (not as a sink), with the group's properties. */
export function flinkSourcesOf(model: DesignModel, stream: ModelResource): Array<{ app: ModelResource; group: Record<string, unknown> }> {
  const found: Array<{ app: ModelResource; group: Record<string, unknown> }> = [];
  for (const app of model.ofType(FLINK_APP)) {
    for (const group of asArray(app.properties.ApplicationConfiguration?.EnvironmentProperties?.PropertyGroups)) {
      if (isSinkGroup(group.PropertyGroupId)) continue;
      const map = (group.PropertyMap ?? {}) as Record<string, unknown>;
      if (Object.values(map).some((v) => model.refersTo(app, v, stream))) found.push({ app, group: map });
    }
  }
  return found;
}

/**
 * Whether a Flink property group reads with enhanced fan-out: the legacy connector's `flink.stream.recordpublisher`,
 * the 5.x connector's `source.reader.type`, or this library's `read.mode`.
 */
export function flinkUsesEfo(group: Record<string, unknown>): boolean {
  const publisher = String(group['flink.stream.recordpublisher'] ?? group['source.reader.type'] ?? group['read.mode'] ?? '').toUpperCase();
  return publisher === 'EFO';
}

/** Every reader of `stream` that the model shows. */
export function readersOf(model: DesignModel, stream: ModelResource): Reader[] {
  const readers: Reader[] = [];
  for (const m of kinesisMappings(model)) {
    if (m.stream !== stream) continue;
    readers.push({
      resource: m.mapping,
      kind: 'lambda',
      enhancedFanOut: m.consumer !== undefined,
      callsPerSecondPerShard: m.consumer ? 0 : LambdaLimits.SHARED_THROUGHPUT_POLLS_PER_SECOND_PER_SHARD,
      describe: `Lambda mapping ${m.mapping.path}${m.consumer ? ' (enhanced fan-out)' : ''}`,
    });
  }
  for (const ds of model.ofType('AWS::KinesisFirehose::DeliveryStream')) {
    const source = ds.properties.KinesisStreamSourceConfiguration;
    if (!source || streamOf(model, ds, source.KinesisStreamARN).stream !== stream) continue;
    readers.push({
      resource: ds,
      kind: 'firehose',
      enhancedFanOut: false,
      callsPerSecondPerShard: StreamReaderLimits.FIREHOSE_POLLS_PER_SECOND_PER_SHARD,
      describe: `Firehose ${ds.path}`,
    });
  }
  for (const { app, group } of flinkSourcesOf(model, stream)) {
    const efo = flinkUsesEfo(group);
    const interval = num(group['flink.shard.getrecords.intervalmillis']) ?? StreamReaderLimits.FLINK_DEFAULT_POLL_INTERVAL_MS;
    readers.push({
      resource: app,
      kind: 'flink',
      enhancedFanOut: efo,
      callsPerSecondPerShard: efo ? 0 : Math.min(KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND * 2, 1000 / Math.max(interval, 1)),
      describe: `Flink application ${app.path}${efo ? ' (enhanced fan-out)' : ` (polling every ${interval} ms)`}`,
    });
  }
  return readers;
}

/** Shards of a provisioned stream, undefined for on-demand or a token. */
export function shardsOf(stream: ModelResource): number | undefined {
  if (stream.properties.StreamModeDetails?.StreamMode === 'ON_DEMAND') return undefined;
  return num(stream.properties.ShardCount) ?? (stream.properties.StreamModeDetails ? undefined : 1);
}

export function retentionHoursOf(stream: ModelResource): number | undefined {
  const v = stream.properties.RetentionPeriodHours;
  return v === undefined ? KinesisLimits.MIN_RETENTION_HOURS : num(v);
}

export function maxRecordBytesOf(stream: ModelResource): number | undefined {
  const kib = stream.properties.MaxRecordSizeInKiB;
  return kib === undefined ? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES : (num(kib) ?? 0) * 1024 || undefined;
}

export function isEncrypted(stream: ModelResource): boolean {
  return stream.properties.StreamEncryption?.EncryptionType === 'KMS';
}

/** A stream encrypted with a key of the customer's (not the AWS-managed aws/kinesis key). */
export function hasCustomerKey(stream: ModelResource): boolean {
  const key = stream.properties.StreamEncryption?.KeyId;
  return isEncrypted(stream) && key !== undefined && key !== 'alias/aws/kinesis';
}

/** The function a mapping invokes (through an alias or version too). */
export function functionOf(model: DesignModel, mapping: ModelResource): ModelResource | undefined {
  let t = model.target(mapping, mapping.properties.FunctionName);
  if (t && (t.type === 'AWS::Lambda::Alias' || t.type === 'AWS::Lambda::Version')) t = model.target(t, t.properties.FunctionName);
  if (!t && typeof mapping.properties.FunctionName === 'string') {
    t = model.ofType(FUNCTION).find((f) => f.properties.FunctionName === mapping.properties.FunctionName);
  }
  return t?.type === FUNCTION ? t : undefined;
}

export function mib(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 100) / 100} MiB`;
}

/** The destination configurations of a delivery stream, by property name. */
export const DESTINATION_KEYS = [
  'ExtendedS3DestinationConfiguration', 'S3DestinationConfiguration', 'RedshiftDestinationConfiguration',
  'AmazonopensearchserviceDestinationConfiguration', 'AmazonOpenSearchServerlessDestinationConfiguration',
  'ElasticsearchDestinationConfiguration', 'SplunkDestinationConfiguration', 'HttpEndpointDestinationConfiguration',
  'SnowflakeDestinationConfiguration', 'IcebergDestinationConfiguration',
];
