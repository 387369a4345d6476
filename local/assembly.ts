/**
 * Reads a synthesized cloud assembly (manifest.json, the stack templates and the asset directories) into the parts
 * the local run simulates. Everything comes from the templates: streams and their shard counts, event source
 * mappings and their settings, Firehose delivery stream configurations, Lambda environments and code assets. What
 * the runner does not simulate (Flink applications, OpenSearch, Splunk, HTTP endpoints, Redshift clusters, functions
 * outside the app) is listed in `skipped`, never a failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inferUseCase } from './events';
import type { LocalBucketOutput, LocalConsumer, LocalDeliveryStream, LocalFunction, LocalPipeline, LocalProducer, LocalStream, LocalTable } from './model';
import { PRODUCER_ENVIRONMENT } from '../src/contracts/producer-environment';
import { TRANSFORM_CONFIG_ENV } from '../src/contracts/transform-config';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

/** A problem with what the user asked to run: the CLI prints the message and exits non-zero. */
export class LocalRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRunError';
  }
}

interface Resource { readonly Type: string; readonly Properties?: any; readonly Metadata?: any }
interface StackTemplate { readonly stack: string; readonly dir: string; readonly resources: Record<string, Resource>; readonly assets: Record<string, string> }

/** Resource types the run leaves out, and why, in the words of the summary. */
const NOT_SIMULATED: Record<string, string> = {
  'AWS::KinesisAnalyticsV2::Application': 'Managed Service for Apache Flink application',
  'AWS::KinesisAnalytics::Application': 'Kinesis Data Analytics application',
  'AWS::Redshift::Cluster': 'Redshift cluster',
  'AWS::RedshiftServerless::Workgroup': 'Redshift Serverless workgroup',
  'AWS::OpenSearchService::Domain': 'OpenSearch domain',
  'AWS::OpenSearchServerless::Collection': 'OpenSearch Serverless collection',
  'AWS::Pipes::Pipe': 'EventBridge pipe',
  'AWS::ApiGateway::RestApi': 'API Gateway REST API (the producer function is invoked directly)',
  'AWS::ApiGatewayV2::Api': 'API Gateway HTTP API (the producer function is invoked directly)',
  'AWS::Glue::Table': 'Glue table',
};

export function readAssembly(assemblyDir: string, name: string): LocalPipeline {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new LocalRunError(`no cloud assembly at ${assemblyDir}: manifest.json is missing. Synthesize the app first (cdk synth, or npm run synth:examples for the examples)`);
  }
  const stacks = readStacks(assemblyDir);
  const streams: LocalStream[] = [];
  const tables: LocalTable[] = [];
  const queues = new Map<string, string>();
  const skipped: string[] = [];
  const byId = new Map<string, { stack: StackTemplate; resource: Resource; id: string }>();
  const key = (stack: StackTemplate, id: string) => `${stack.stack}/${id}`;

  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.resources)) {
      byId.set(key(stack, id), { stack, resource, id });
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::Kinesis::Stream') {
        const onDemand = p.StreamModeDetails?.StreamMode === 'ON_DEMAND';
        const streamName = typeof p.Name === 'string' ? p.Name : `${stack.stack}-${id}`;
        // An on-demand stream starts with 4 shards (4 MiB/s of write capacity).
        streams.push({ id, name: streamName, arn: streamArn(streamName), shardCount: onDemand ? 4 : Number(p.ShardCount ?? 1), onDemand });
      } else if (resource.Type === 'AWS::DynamoDB::Table' || resource.Type === 'AWS::DynamoDB::GlobalTable') {
        const defs = new Map<string, string>((p.AttributeDefinitions ?? []).map((a: any) => [a.AttributeName, a.AttributeType]));
        tables.push({
          id,
          name: typeof p.TableName === 'string' ? p.TableName : `${stack.stack}-${id}`,
          keys: (p.KeySchema ?? []).map((k: any) => ({ name: k.AttributeName, keyType: k.KeyType, type: defs.get(k.AttributeName) ?? 'S' })),
        });
      } else if (resource.Type === 'AWS::SQS::Queue') {
        queues.set(queueUrl(stack.stack, id), id);
      } else if (NOT_SIMULATED[resource.Type]) {
        skipped.push(`${id}: ${NOT_SIMULATED[resource.Type]} (${resource.Type}), not simulated`);
      }
    }
  }

  const streamOf = (stack: StackTemplate, ref: unknown): LocalStream | undefined => {
    const id = refId(ref);
    if (!id) return undefined;
    const target = byId.get(key(stack, id));
    if (target?.resource.Type === 'AWS::Kinesis::StreamConsumer') return streamOf(stack, target.resource.Properties?.StreamARN);
    return streams.find((s) => s.id === id);
  };

  const resolve = (stack: StackTemplate, value: unknown): string | undefined => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (!value || typeof value !== 'object') return undefined;
    const v = value as Record<string, any>;
    if ('Ref' in v) {
      if (v.Ref === 'AWS::Region') return LOCAL_REGION;
      if (v.Ref === 'AWS::AccountId') return LOCAL_ACCOUNT;
      if (v.Ref === 'AWS::Partition') return 'aws';
      if (v.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
      const target = byId.get(key(stack, v.Ref));
      if (!target) return undefined;
      switch (target.resource.Type) {
        case 'AWS::Kinesis::Stream': return streams.find((s) => s.id === v.Ref)?.name;
        case 'AWS::DynamoDB::Table':
        case 'AWS::DynamoDB::GlobalTable': return tables.find((t) => t.id === v.Ref)?.name;
        case 'AWS::SQS::Queue': return queueUrl(stack.stack, v.Ref);
        default: return `${stack.stack}-${v.Ref}`.toLowerCase();
      }
    }
    if ('Fn::GetAtt' in v) {
      const [id, attribute] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : String(v['Fn::GetAtt']).split('.');
      const target = byId.get(key(stack, id));
      if (!target) return undefined;
      if (target.resource.Type === 'AWS::Kinesis::Stream' && attribute === 'Arn') return streams.find((s) => s.id === id)?.arn;
      if (target.resource.Type === 'AWS::SQS::Queue' && attribute === 'Arn') return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${stack.stack}-${id}`;
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${stack.stack}/${id}/${attribute}`;
    }
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'];
      const resolved = (parts as unknown[]).map((p) => resolve(stack, p));
      return resolved.every((r) => r !== undefined) ? resolved.join(sep) : undefined;
    }
    if ('Fn::Sub' in v && typeof v['Fn::Sub'] === 'string') {
      return v['Fn::Sub'].replace(/\$\{AWS::Region\}/g, LOCAL_REGION).replace(/\$\{AWS::AccountId\}/g, LOCAL_ACCOUNT).replace(/\$\{AWS::Partition\}/g, 'aws');
    }
    return undefined;
  };

  const functionOf = (stack: StackTemplate, ref: unknown): LocalFunction | undefined => {
    const id = refId(ref);
    const target = id ? byId.get(key(stack, id)) : undefined;
    if (!target || target.resource.Type !== 'AWS::Lambda::Function') return undefined;
    const p = target.resource.Properties ?? {};
    const codeDir = assetDirOf(stack, target.resource);
    if (!codeDir) return undefined;
    const environment: Record<string, string> = {};
    for (const [variable, value] of Object.entries(p.Environment?.Variables ?? {})) {
      const resolved = resolve(stack, value);
      if (resolved !== undefined) environment[variable] = resolved;
    }
    return { id: target.id, handler: String(p.Handler ?? 'index.handler'), codeDir, environment, timeoutSeconds: Number(p.Timeout ?? 3) };
  };

  const consumers: LocalConsumer[] = [];
  const deliveryStreams: LocalDeliveryStream[] = [];
  const usedFunctions = new Set<string>();
  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.resources)) {
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
        const stream = streamOf(stack, p.EventSourceArn);
        if (!stream) continue; // not a Kinesis source (SQS, DynamoDB streams...)
        const fn = functionOf(stack, p.FunctionName);
        if (!fn) {
          skipped.push(`${id}: event source mapping to a function outside this app (or without local code), not simulated`);
          continue;
        }
        usedFunctions.add(fn.id);
        const source = byId.get(key(stack, refId(p.EventSourceArn) ?? ''));
        consumers.push({
          id: fn.id.replace(/Function[0-9A-F]{8}$/, '') || fn.id,
          stream,
          fn,
          batchSize: Number(p.BatchSize ?? 100),
          batchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
          parallelizationFactor: Number(p.ParallelizationFactor ?? 1),
          bisectOnError: p.BisectBatchOnFunctionError === true,
          maxRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
          maxRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
          reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
          startingPosition: String(p.StartingPosition ?? 'LATEST'),
          failureDestination: refId(p.DestinationConfig?.OnFailure?.Destination),
          enhancedFanOut: source?.resource.Type === 'AWS::Kinesis::StreamConsumer' ? String(source.resource.Properties?.ConsumerName ?? source.id) : undefined,
        });
      } else if (resource.Type === 'AWS::KinesisFirehose::DeliveryStream') {
        const d = readDeliveryStream(stack, id, p, { streamOf, functionOf, resolve });
        if (typeof d === 'string') {
          skipped.push(d);
        } else {
          if (d.transform) usedFunctions.add(d.transform.id);
          deliveryStreams.push(d);
        }
      }
    }
  }

  // Producers: the app's own functions that write to one of its streams (by the producer contract's variables), and
  // for every stream nothing in the app writes to, the bundled producer as the stand-in for the outside writer.
  const producers: LocalProducer[] = [];
  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.resources)) {
      if (resource.Type !== 'AWS::Lambda::Function' || usedFunctions.has(id)) continue;
      const fn = functionOf(stack, { Ref: id });
      if (!fn) continue;
      const arn = fn.environment[PRODUCER_ENVIRONMENT.STREAM_ARN];
      const sname = fn.environment[PRODUCER_ENVIRONMENT.STREAM_NAME];
      const stream = streams.find((s) => s.arn === arn || s.name === sname);
      if (stream) producers.push({ id: fn.id.replace(/Function[0-9A-F]{8}$/, '') || fn.id, stream, fn, origin: 'the app\'s producer function' });
    }
  }
  for (const stream of streams) {
    if (!producers.some((p) => p.stream === stream)) {
      producers.push({ id: `${stream.id}Writer`, stream, origin: 'no producer function in the app: the bundled producer stands in for the writer' });
    }
  }

  const names = [name, ...stacks.map((s) => s.stack), ...streams.map((s) => s.id), ...deliveryStreams.map((d) => `${d.id} ${d.name}`)];
  const requiredFields = deliveryStreams.flatMap((d) => (d.transform ? transformRequiredFields(d.transform) : []));
  return {
    name,
    assemblyDir,
    streams,
    producers,
    consumers,
    deliveryStreams,
    tables,
    queues,
    skipped,
    useCase: inferUseCase(names.join(' '), requiredFields),
  };
}

function transformRequiredFields(fn: LocalFunction): string[] {
  try {
    return JSON.parse(fn.environment[TRANSFORM_CONFIG_ENV] ?? '{}').requiredFields ?? [];
  } catch {
    return [];
  }
}

interface Resolvers {
  streamOf(stack: StackTemplate, ref: unknown): LocalStream | undefined;
  functionOf(stack: StackTemplate, ref: unknown): LocalFunction | undefined;
  resolve(stack: StackTemplate, value: unknown): string | undefined;
}

function readDeliveryStream(stack: StackTemplate, id: string, p: any, r: Resolvers): LocalDeliveryStream | string {
  const streamName = typeof p.DeliveryStreamName === 'string' ? p.DeliveryStreamName : `${stack.stack}-${id}`;
  const other = ['AmazonopensearchserviceDestinationConfiguration', 'ElasticsearchDestinationConfiguration', 'AmazonOpenSearchServerlessDestinationConfiguration',
    'SplunkDestinationConfiguration', 'HttpEndpointDestinationConfiguration', 'SnowflakeDestinationConfiguration', 'IcebergDestinationConfiguration']
    .find((k) => p[k] !== undefined);
  if (other) return `${id}: delivery stream to ${other.replace(/DestinationConfiguration$/, '')}, not simulated`;
  const s3 = p.ExtendedS3DestinationConfiguration ?? p.S3DestinationConfiguration;
  const redshift = p.RedshiftDestinationConfiguration;
  const config = s3 ?? redshift?.S3Configuration;
  if (!config) return `${id}: delivery stream without an S3 or Redshift destination, not simulated`;
  const notes: string[] = [];
  const source = p.DeliveryStreamType === 'KinesisStreamAsSource' ? r.streamOf(stack, p.KinesisStreamSourceConfiguration?.KinesisStreamARN) : undefined;
  if (p.DeliveryStreamType === 'KinesisStreamAsSource' && !source) return `${id}: delivery stream reading a stream outside this app, not simulated`;
  if (p.DeliveryStreamType === 'MSKAsSource') return `${id}: delivery stream reading Amazon MSK, not simulated`;
  const processors: any[] = (s3 ?? redshift)?.ProcessingConfiguration?.Enabled === false ? [] : ((s3 ?? redshift)?.ProcessingConfiguration?.Processors ?? []);
  let transform: LocalFunction | undefined;
  let metadataQuery: string | undefined;
  let appendDelimiter = false;
  for (const proc of processors) {
    const params = new Map<string, unknown>((proc.Parameters ?? []).map((x: any) => [x.ParameterName, x.ParameterValue]));
    if (proc.Type === 'Lambda') {
      const arn = params.get('LambdaArn') as any;
      const fnId = Array.isArray(arn?.['Fn::GetAtt']) ? arn['Fn::GetAtt'][0] : refId(arn);
      transform = r.functionOf(stack, { Ref: fnId });
      if (!transform) notes.push('its transform function is outside this app: records are delivered untransformed');
    } else if (proc.Type === 'MetadataExtraction') {
      metadataQuery = String(params.get('MetadataExtractionQuery') ?? '');
    } else if (proc.Type === 'AppendDelimiterToRecord') {
      appendDelimiter = true;
    } else if (proc.Type === 'RecordDeAggregation') {
      notes.push('record de-aggregation is not simulated');
    }
  }
  if (s3?.DataFormatConversionConfiguration?.Enabled) notes.push('format conversion (Parquet/ORC) is not simulated: objects hold the JSON the transform returns');
  if (redshift) notes.push(`Redshift COPY into ${redshift.CopyCommand?.DataTableName ?? 'the table'} is not simulated: objects are staged in S3 as Firehose stages them for the COPY`);
  const output = bucketOutput(stack, config, r);
  if (!['UNCOMPRESSED', 'GZIP'].includes(output.compression)) notes.push(`${output.compression} compression is not simulated: objects are written uncompressed`);
  const backupConfig = s3?.S3BackupMode === 'Enabled' ? s3.S3BackupConfiguration : (redshift?.S3BackupMode === 'Enabled' ? redshift.S3BackupConfiguration : undefined);
  return {
    id,
    name: streamName,
    source,
    destination: redshift ? 'redshift' : 's3',
    output,
    bufferSeconds: Number(config.BufferingHints?.IntervalInSeconds ?? 300),
    bufferBytes: Number(config.BufferingHints?.SizeInMBs ?? 5) * 1024 * 1024,
    dynamicPartitioning: s3?.DynamicPartitioningConfiguration?.Enabled === true,
    transform,
    metadataQuery,
    appendDelimiter,
    backup: backupConfig ? bucketOutput(stack, backupConfig, r) : undefined,
    notes,
  };
}

function bucketOutput(stack: StackTemplate, config: any, r: Resolvers): LocalBucketOutput {
  const bucketId = Array.isArray(config.BucketARN?.['Fn::GetAtt']) ? config.BucketARN['Fn::GetAtt'][0] : (r.resolve(stack, config.BucketARN) ?? 'bucket').split(':').pop()!;
  return {
    bucket: bucketId,
    prefix: typeof config.Prefix === 'string' ? config.Prefix : undefined,
    errorPrefix: typeof config.ErrorOutputPrefix === 'string' ? config.ErrorOutputPrefix : undefined,
    compression: String(config.CompressionFormat ?? 'UNCOMPRESSED'),
    fileExtension: typeof config.FileExtension === 'string' ? config.FileExtension : undefined,
  };
}

function readStacks(dir: string): StackTemplate[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const out: StackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      out.push(...readStacks(path.join(dir, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
    const assets: Record<string, string> = {};
    const assetManifest = Object.values<any>(manifest.artifacts).find((a) => a.type === 'cdk:asset-manifest' && (artifact.dependencies ?? []).includes(Object.keys(manifest.artifacts).find((k) => manifest.artifacts[k] === a)));
    if (assetManifest?.properties?.file) {
      const files = JSON.parse(fs.readFileSync(path.join(dir, assetManifest.properties.file), 'utf8')).files ?? {};
      for (const [hash, f] of Object.entries<any>(files)) if (f.source?.path) assets[hash] = path.join(dir, f.source.path);
    }
    out.push({ stack: artifact.properties.stackName ?? artifact.displayName ?? artifactId, dir, resources: template.Resources ?? {}, assets });
  }
  return out;
}

function assetDirOf(stack: StackTemplate, resource: Resource): string | undefined {
  const fromMetadata = resource.Metadata?.['aws:asset:path'];
  if (typeof fromMetadata === 'string' && fs.existsSync(path.join(stack.dir, fromMetadata))) return path.join(stack.dir, fromMetadata);
  const s3Key = resource.Properties?.Code?.S3Key;
  const hash = typeof s3Key === 'string' ? s3Key.replace(/\.zip$/, '') : undefined;
  const dir = hash ? stack.assets[hash] ?? path.join(stack.dir, `asset.${hash}`) : undefined;
  return dir && fs.existsSync(dir) ? dir : undefined;
}

function refId(ref: unknown): string | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const r = ref as Record<string, any>;
  if (typeof r.Ref === 'string') return r.Ref;
  if (Array.isArray(r['Fn::GetAtt'])) return r['Fn::GetAtt'][0];
  return undefined;
}

export function streamArn(name: string): string {
  return `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${name}`;
}

export function queueUrl(stack: string, id: string): string {
  return `https://sqs.${LOCAL_REGION}.localhost/${LOCAL_ACCOUNT}/${stack}-${id}`;
}
