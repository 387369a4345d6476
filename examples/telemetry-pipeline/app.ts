/**
 * IoT telemetry as one pipeline: 25,000 devices post a reading every 10 seconds over HTTPS (IAM); a stream
 * partitioned by device id keeps each device's readings in order; a DynamoDB table holds each device's latest
 * state (a late reading never overwrites a newer one); Firehose archives every reading to S3 by date and hour. The
 * throughput is declared once: shards, sink concurrency, API throttling, buffering and table capacity follow, and
 * the monthly cost of every part is printed at synth.
 *
 * Run: npm run synth:examples -- telemetry-pipeline
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TelemetryPipeline } from '../../src';

export class TelemetryPipelineStack extends Stack {
  public readonly pipeline: TelemetryPipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.pipeline = new TelemetryPipeline(this, 'Telemetry', {
      throughput: { recordsPerSecond: 2500, averageRecordsPerSecond: 2000, averageRecordSize: Size.bytes(350) },
      deviceIdField: 'deviceId',
      maxEventsPerRequest: 50,
      retentionPeriod: Duration.days(3),
      dashboardName: 'telemetry',
    });

    // Devices get temporary AWS credentials (for example from the AWS IoT credentials provider) for this role.
    const devices = new iam.Role(this, 'DeviceRole', {
      assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com'),
      description: 'Assumed by telemetry devices to post readings',
    });
    this.pipeline.api.grantIngest(devices);

    new CfnOutput(this, 'IngestUrl', { value: this.pipeline.api.url });
    new CfnOutput(this, 'LatestStateTable', { value: this.pipeline.sink.table.tableName });
  }
}

export function build(app: App): App {
  new TelemetryPipelineStack(app, 'TelemetryPipeline');
  return app;
}

if (require.main === module) build(new App()).synth();
