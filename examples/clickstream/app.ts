/**
 * Clickstream: a web tier writes page views and clicks, keyed by user id, into a stream whose shard count is planned
 * from the declared traffic. Two shared-throughput readers (a Lambda sessionizer and a Firehose archive) and one
 * enhanced fan-out reader (real-time analytics) consume it.
 *
 * Run: npm run synth:examples -- clickstream   (the capacity plan is printed as an info message)
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataStream } from '../../src';

export class ClickstreamStack extends Stack {
  public readonly clicks: DataStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.clicks = new DataStream(this, 'Clicks', {
      // Peak of 3,000 events/s of about 1.5 KiB each (JSON event plus a 36-character user id as the partition key),
      // 800 events/s on average over the month.
      throughput: {
        recordsPerSecond: 3000,
        averageRecordsPerSecond: 800,
        averageRecordSize: Size.bytes(1536),
        sharedThroughputConsumers: 2,
        enhancedFanOutConsumers: 1,
      },
      // Keep a week, so a consumer bug found on Monday can be replayed from the weekend.
      retentionPeriod: Duration.days(7),
    });

    // Real-time analytics reads through its own 2 MiB/s per shard.
    this.clicks.addEnhancedFanOutConsumer('Analytics', { consumerName: 'clickstream-analytics' });

    // The web tier writes with PutRecords, partition key = user id: a user's events stay in order on one shard,
    // and millions of users spread evenly over the shards.
    const webTier = new iam.Role(this, 'WebTierRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes clickstream events keyed by userId',
    });
    this.clicks.grantWrite(webTier);

    new CfnOutput(this, 'StreamName', { value: this.clicks.streamName });
    new CfnOutput(this, 'PlannedShards', { value: String(this.clicks.capacityPlan!.shardCount) });
    new CfnOutput(this, 'PartitionKey', { value: 'userId' });
  }
}

export function build(app: App): App {
  new ClickstreamStack(app, 'Clickstream');
  return app;
}

if (require.main === module) build(new App()).synth();
