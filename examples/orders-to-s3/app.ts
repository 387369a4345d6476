/**
 * Orders to S3: the example every language builds. A producer function writes orders (keyed by customer) into a
 * capacity-planned data stream; the team's own handler file (fulfilment.ts) reads them in per-customer order; and
 * a Firehose delivery stream archives them to S3, the bundled transform checking each order and dropping the card
 * number on the way.
 *
 * The same app is in python/app.py and java/ (src/main/java/.../OrdersToS3App.java): test/packaging/ synthesizes
 * those with the built Python wheel and Maven artifact and compares their templates with this one.
 *
 * Run: npm run synth:examples -- orders-to-s3
 */
import * as path from 'path';
import { App, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ConsumerCode, DataStream, DeliverySource, LambdaStreamConsumer, PartitionKey, ProducerFunction, RecordFilter, RecordTransform, S3DeliveryStream,
} from '../../src';

export class OrdersToS3Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // 500 orders/s of about 1 KiB at peak, read by the fulfilment function and the archive (two shared readers).
    const orders = new DataStream(this, 'Orders', {
      throughput: { recordsPerSecond: 500, averageRecordSize: Size.kibibytes(1), sharedThroughputConsumers: 2 },
      retentionPeriod: Duration.days(2),
    });

    // A customer's orders keep their order: the customer id is the partition key.
    new ProducerFunction(this, 'Ingest', { stream: orders, partitionKey: PartitionKey.fromField('customerId') });

    new LambdaStreamConsumer(this, 'Fulfilment', {
      stream: orders,
      code: ConsumerCode.fromHandlerFile(path.join(__dirname, 'fulfilment.ts'), { timeout: Duration.seconds(30) }),
      batchSize: 100,
    });

    new S3DeliveryStream(this, 'Archive', {
      source: DeliverySource.kinesisStream(orders),
      transform: RecordTransform.bundled({
        requiredFields: ['orderId', 'customerId', 'amount'],
        filters: [RecordFilter.fieldNotEquals('status', 'TEST')],
        dropFields: ['cardNumber'],
      }),
      dataOutputPrefix: 'orders/!{timestamp:yyyy/MM/dd}/',
      errorOutputPrefix: 'orders-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
    });
  }
}

export function build(app: App): App {
  new OrdersToS3Stack(app, 'OrdersToS3');
  return app;
}

if (require.main === module) build(new App()).synth();
