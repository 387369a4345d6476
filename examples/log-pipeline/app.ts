/**
 * Log ingestion as one pipeline: services put JSON log events to Firehose (direct PUT); they land in S3 as GZIP JSON
 * Lines under `logs/service=<service>/date=<yyyy-MM-dd>/`, without DEBUG noise or leaked secrets. The pipeline plans
 * buffering from the declared throughput, checks Firehose's direct PUT quota, sends every alarm to one encrypted
 * topic, draws one dashboard and prints the monthly cost of every part at synth.
 *
 * Run: npm run synth:examples -- log-pipeline
 */
import { App, CfnOutput, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LogIngestionPipeline, RecordFilter } from '../../src';

export class LogPipelineStack extends Stack {
  public readonly pipeline: LogIngestionPipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.pipeline = new LogIngestionPipeline(this, 'AppLogs', {
      // 40 services, 1,500 events/s at peak, 400 on average, about 600 bytes each.
      throughput: { recordsPerSecond: 1500, averageRecordsPerSecond: 400, averageRecordSize: Size.bytes(600) },
      expectedServiceCount: 40,
      requiredFields: ['timestamp', 'service', 'level', 'message'],
      filters: [RecordFilter.fieldNotEquals('level', 'DEBUG')],
      dropFields: ['authorization', 'password', 'sessionToken'],
      dashboardName: 'app-logs',
    });

    const services = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes application log events to the log pipeline',
    });
    this.pipeline.deliveryStream.grantPutRecords(services);

    new CfnOutput(this, 'DeliveryStreamName', { value: this.pipeline.deliveryStream.deliveryStreamName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.pipeline.alarmTopic!.topic.topicArn });
  }
}

export function build(app: App): App {
  new LogPipelineStack(app, 'LogPipeline', { env: { account: '123456789012', region: 'eu-west-1' } });
  return app;
}

if (require.main === module) build(new App()).synth();
