/**
 * Clickstream to Parquet: a web tier writes click events into a data stream; Firehose reads the stream (as one of its
 * shared-throughput consumers, counted in the stream's capacity plan), drops the client IP, converts the JSON events
 * to Snappy-compressed Parquet with the schema of a Glue table, and writes them under Hive-style date and hour
 * folders that Athena reads through partition projection. The source records are also backed up, raw, for replay.
 *
 * Run: npm run synth:examples -- clickstream-to-parquet
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataStream, DeliveryBucket, DeliverySource, RecordFormatConversion, RecordTransform, S3DeliveryStream } from '../../src';

const COLUMNS: glue.CfnTable.ColumnProperty[] = [
  { name: 'event_time', type: 'timestamp' },
  { name: 'event_type', type: 'string' },
  { name: 'user_id', type: 'string' },
  { name: 'session_id', type: 'string' },
  { name: 'page', type: 'string' },
  { name: 'referrer', type: 'string' },
  { name: 'device', type: 'string' },
];

export class ClickstreamToParquetStack extends Stack {
  public readonly clicks: DataStream;
  public readonly delivery: S3DeliveryStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.clicks = new DataStream(this, 'Clicks', {
      // 1,000 events/s of about 600 bytes at peak; Firehose is the one shared-throughput reader.
      throughput: { recordsPerSecond: 1000, averageRecordSize: Size.bytes(600), sharedThroughputConsumers: 1 },
      retentionPeriod: Duration.days(1),
    });

    // The bucket comes first: the Glue table's location names it, and the delivery stream needs the table.
    const storage = new DeliveryBucket(this, 'Lake');
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: { name: 'clickstream', description: 'Clickstream events delivered by Firehose' },
    });
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: this.account,
      databaseName: 'clickstream',
      tableInput: {
        name: 'clicks',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'dt', type: 'string' }, { name: 'hour', type: 'string' }],
        parameters: {
          'classification': 'parquet',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2024-01-01,NOW',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `s3://${storage.bucket.bucketName}/clicks/dt=\${dt}/hour=\${hour}/`,
        },
        storageDescriptor: {
          columns: COLUMNS,
          location: `s3://${storage.bucket.bucketName}/clicks/`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    table.addResourceDependency(database);

    this.delivery = new S3DeliveryStream(this, 'ToParquet', {
      source: DeliverySource.kinesisStream(this.clicks),
      bucket: storage.bucket,
      encryptionKey: storage.encryptionKey,
      transform: RecordTransform.bundled({ requiredFields: ['event_time', 'user_id'], dropFields: ['ip'] }),
      recordFormatConversion: RecordFormatConversion.toParquet(table),
      dataOutputPrefix: 'clicks/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/',
      errorOutputPrefix: 'clicks-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
      // Parquet needs at least 64 MiB of buffer; 128 MiB writes fewer, larger files for Athena.
      buffering: { size: Size.mebibytes(128), interval: Duration.minutes(15) },
      sourceBackup: { prefix: 'clicks-raw/dt=!{timestamp:yyyy-MM-dd}/' },
    });

    const webTier = new iam.Role(this, 'WebTierRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes click events keyed by user_id',
    });
    this.clicks.grantWrite(webTier);

    new CfnOutput(this, 'StreamName', { value: this.clicks.streamName });
    new CfnOutput(this, 'TableName', { value: 'clickstream.clicks' });
  }
}

export function build(app: App): App {
  new ClickstreamToParquetStack(app, 'ClickstreamToParquet');
  return app;
}

if (require.main === module) build(new App()).synth();
