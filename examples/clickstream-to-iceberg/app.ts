/**
 * Clickstream to Apache Iceberg: a web tier writes click events into a data stream; Firehose reads it and writes each
 * event into the Iceberg table of its type (page_view, add_to_cart, purchase) in the Glue Data Catalog. The bundled
 * transform drops the client IP, checks the fields every table needs, and returns each record's table in its routing
 * metadata (`otfMetadata`), so one delivery stream feeds three tables. Purchases carry an order id as their unique
 * key, so a corrected purchase replaces the earlier row. Records a table refuses (a wrong type, an unknown event
 * type) go to the backup bucket, and an alarm counts them.
 *
 * Run: npm run synth:examples -- clickstream-to-iceberg
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataStream, DeliveryBucket, DeliverySource, IcebergCatalog, IcebergDeliveryStream, IcebergRouting, RecordTransform } from '../../src';

const DATABASE = 'clickstream';
const COMMON: glue.CfnTable.ColumnProperty[] = [
  { name: 'event_time', type: 'timestamp' },
  { name: 'event_type', type: 'string' },
  { name: 'user_id', type: 'string' },
  { name: 'session_id', type: 'string' },
];
const TABLES: Record<string, glue.CfnTable.ColumnProperty[]> = {
  page_view: [...COMMON, { name: 'page', type: 'string' }, { name: 'referrer', type: 'string' }],
  add_to_cart: [...COMMON, { name: 'product_id', type: 'string' }, { name: 'quantity', type: 'int' }],
  purchase: [...COMMON, { name: 'order_id', type: 'string' }, { name: 'amount', type: 'double' }, { name: 'currency', type: 'string' }],
};

export class ClickstreamToIcebergStack extends Stack {
  public readonly clicks: DataStream;
  public readonly delivery: IcebergDeliveryStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.clicks = new DataStream(this, 'Clicks', {
      // 1,000 events/s of about 500 bytes at peak; Firehose is the one shared-throughput reader.
      throughput: { recordsPerSecond: 1000, averageRecordSize: Size.bytes(500), sharedThroughputConsumers: 1 },
      retentionPeriod: Duration.days(1),
    });

    // The warehouse holds the tables' data and metadata files; the tables exist before Firehose, which checks them
    // when the delivery stream is created.
    const lake = new DeliveryBucket(this, 'Lake');
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: { name: DATABASE, description: 'Clickstream events, one Iceberg table per event type' },
    });
    const tables = Object.entries(TABLES).map(([name, columns]) => {
      const table = new glue.CfnTable(this, `Table-${name}`, {
        catalogId: this.account,
        databaseName: DATABASE,
        tableInput: { name, tableType: 'EXTERNAL_TABLE', storageDescriptor: { columns, location: `s3://${lake.bucket.bucketName}/warehouse/${name}/` } },
        openTableFormatInput: { icebergInput: { metadataOperation: 'CREATE', version: '2' } },
      });
      table.addResourceDependency(database);
      return table;
    });

    this.delivery = new IcebergDeliveryStream(this, 'ToIceberg', {
      source: DeliverySource.kinesisStream(this.clicks),
      catalog: IcebergCatalog.glueDataCatalog({ warehouseBucket: lake.bucket }),
      encryptionKey: lake.encryptionKey,
      tables: [
        { database: DATABASE, table: 'page_view' },
        { database: DATABASE, table: 'add_to_cart' },
        { database: DATABASE, table: 'purchase', uniqueKeys: ['order_id'], errorOutputPrefix: 'errors/purchase/' },
      ],
      transform: RecordTransform.bundled({
        requiredFields: ['event_time', 'event_type', 'user_id'],
        dropFields: ['ip'],
        appendNewline: false,
        icebergRouting: { database: DATABASE, tableField: 'event_type' },
      }),
      routing: IcebergRouting.fromTransform(),
      // New fields (a new column on page views) are added to the table instead of failing the rows.
      schemaEvolution: true,
      // One commit a minute per table keeps the number of small files, and of snapshots, in check.
      buffering: { size: Size.mebibytes(64), interval: Duration.seconds(60) },
      retryDuration: Duration.minutes(15),
    });
    for (const table of tables) this.delivery.node.addDependency(table);

    const webTier = new iam.Role(this, 'WebTierRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes click events keyed by user_id',
    });
    this.clicks.grantWrite(webTier);

    new CfnOutput(this, 'StreamName', { value: this.clicks.streamName });
    new CfnOutput(this, 'Tables', { value: Object.keys(TABLES).map((t) => `${DATABASE}.${t}`).join(', ') });
    new CfnOutput(this, 'RefusedRecords', { value: `s3://${this.delivery.backupBucket.bucketName}/` });
  }
}

export function build(app: App): App {
  new ClickstreamToIcebergStack(app, 'ClickstreamToIceberg');
  return app;
}

if (require.main === module) build(new App()).synth();
