/**
 * IoT telemetry: 20,000 devices post a reading every 10 seconds, in batches, to an HTTPS endpoint. The bundled
 * producer writes them to a stream partitioned by device id, so each device's readings stay in order, and queues any
 * reading it could not write.
 *
 * Run: npm run synth:examples -- iot-telemetry
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataStream, HttpIngestionApi, PartitionKey } from '../../src';

export class IotTelemetryStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const telemetry = new DataStream(this, 'Telemetry', {
      throughput: {
        recordsPerSecond: 2000, // 20,000 devices / 10 s
        averageRecordSize: Size.bytes(350), // JSON reading + device id
        sharedThroughputConsumers: 1,
      },
      retentionPeriod: Duration.days(3),
    });

    const ingest = new HttpIngestionApi(this, 'Ingest', {
      stream: telemetry,
      producer: {
        partitionKey: PartitionKey.fromField('deviceId'),
        // Devices send up to 50 readings per request; give the producer a little time to fill PutRecords calls.
        bufferTime: Duration.millis(50),
      },
      maxEventsPerRequest: 50,
      maxPayloadSize: Size.kibibytes(64),
      throttlingRateLimit: 500,
      throttlingBurstLimit: 1000,
    });

    // Devices get temporary AWS credentials (for example from the AWS IoT credentials provider) for this role.
    const devices = new iam.Role(this, 'DeviceRole', {
      assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com'),
      description: 'Assumed by telemetry devices to post readings',
    });
    ingest.grantIngest(devices);

    new CfnOutput(this, 'IngestUrl', { value: ingest.url });
    new CfnOutput(this, 'FailureQueueUrl', { value: ingest.producer.failureQueue.queueUrl });
  }
}

export function build(app: App): App {
  new IotTelemetryStack(app, 'IotTelemetry');
  return app;
}

if (require.main === module) build(new App()).synth();
