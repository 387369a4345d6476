/**
 * Clickstream SQL: analysts explore a clickstream interactively with Flink SQL in a Managed Service for Apache Flink
 * Studio notebook. The notebook reads the stream (counted as one of its shared-throughput consumers), keeps its
 * table definitions in its own Glue Data Catalog database, and writes its output, and the notes it deploys as
 * durable applications, to an encrypted bucket. README.md in this folder has the session query.
 *
 * Run: npm run synth:examples -- clickstream-sql
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataStream, StudioNotebook, StudioRuntime } from '../../src';

export class ClickstreamSqlStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const clicks = new DataStream(this, 'Clicks', {
      // 800 page views/s at peak of about 500 bytes (JSON with user id, page, referrer, timestamp).
      throughput: { recordsPerSecond: 800, averageRecordSize: Size.bytes(500), sharedThroughputConsumers: 1 },
      retentionPeriod: Duration.days(1),
    });

    const notebook = new StudioNotebook(this, 'Analysis', {
      runtime: StudioRuntime.ZEPPELIN_FLINK_3_0,
      streams: [clicks],
      databaseName: 'clickstream',
      // Interactive queries over one stream: 2 parallel tasks on 2 KPUs (+ 2 KPUs for the notebook itself).
      parallelism: 2,
      autoScaling: false,
    });

    const webTier = new iam.Role(this, 'WebTierRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes clickstream events keyed by userId',
    });
    clicks.grantWrite(webTier);

    new CfnOutput(this, 'StreamName', { value: clicks.streamName });
    new CfnOutput(this, 'NotebookName', { value: notebook.applicationName });
    new CfnOutput(this, 'GlueDatabase', { value: notebook.databaseName });
    new CfnOutput(this, 'EstimatedMonthlyUsdWhileRunning', { value: notebook.capacityPlan.monthlyCost.monthlyUsd.toFixed(2) });
  }
}

export function build(app: App): App {
  new ClickstreamSqlStack(app, 'ClickstreamSql');
  return app;
}

if (require.main === module) build(new App()).synth();
