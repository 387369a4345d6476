/**
 * Clickstream analytics as one pipeline: browsers post clicks over HTTPS into a stream partitioned by user; the
 * sessionizer of the clickstream-sessions example folds each user's clicks into sessions in DynamoDB; Firehose
 * archives every click to S3 as Parquet by date (queryable with Athena through the Glue table); a Studio notebook
 * runs Flink SQL over the stream (see examples/clickstream-sql/README.md for a session query). The throughput is
 * declared once; the plan prints the monthly cost of every part.
 *
 * Run: npm run synth:examples -- clickstream-pipeline
 */
import * as path from 'path';
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ClickstreamPipeline, ConsumerCode } from '../../src';

export class ClickstreamPipelineStack extends Stack {
  public readonly pipeline: ClickstreamPipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const sessions = new dynamodb.Table(this, 'Sessions', {
      partitionKey: { name: 'user', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });

    this.pipeline = new ClickstreamPipeline(this, 'Clicks', {
      throughput: { recordsPerSecond: 3000, averageRecordsPerSecond: 800, averageRecordSize: Size.bytes(600) },
      userIdField: 'user',
      eventColumns: [
        { name: 'user', type: 'string' },
        { name: 'page', type: 'string' },
        { name: 'at', type: 'bigint' },
        { name: 'referrer', type: 'string' },
      ],
      sessionHandler: ConsumerCode.fromHandlerFile(path.join(__dirname, '..', 'clickstream-sessions', 'sessionizer.ts'), {
        environment: { SESSIONS_TABLE: sessions.tableName },
        timeout: Duration.seconds(30),
      }),
      dashboardName: 'clickstream',
    });
    sessions.grantReadWriteData(this.pipeline.sessions!.function);

    new CfnOutput(this, 'IngestUrl', { value: this.pipeline.api!.url });
    new CfnOutput(this, 'NotebookName', { value: this.pipeline.analytics.applicationName });
  }
}

export function build(app: App): App {
  new ClickstreamPipelineStack(app, 'ClickstreamPipeline', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) build(new App()).synth();
