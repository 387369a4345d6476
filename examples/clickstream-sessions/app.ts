/**
 * Clickstream sessions: a web tier writes click events (keyed by user) into a data stream, and three consumers read it.
 *
 * - Sessions: the team's own handler file (sessionizer.ts), bundled with the consumer runtime at synth time, folds
 *   each user's clicks into sessions in DynamoDB, in per-user order and, with idempotency, exactly once.
 * - Last seen: the ready stream-to-DynamoDB sink keeps each user's newest click; its conditional writes never let an
 *   older click overwrite a newer one.
 * - Fraud scoring: a function another team already runs (any IFunction) reads through enhanced fan-out, so it does
 *   not share the shards' read capacity with the two others. Its failures go to an S3 bucket, which keeps the whole
 *   batch (not only its sequence numbers), so fraud can be re-scored after the stream's retention; the mapping's
 *   EventCount metrics count what it polls, drops and sends there.
 *
 * Every consumer gets bounded retries, bisection, an encrypted failure queue and alarms by default.
 *
 * Run: npm run synth:examples -- clickstream-sessions
 */
import * as path from 'path';
import { App, ArnFormat, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DataStream, ConsumerCode, DynamoDbStreamSink, FailureDestination, LambdaStreamConsumer, StreamReadMode } from '../../src';

export class ClickstreamSessionsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const clicks = new DataStream(this, 'Clicks', {
      // 2,000 clicks/s of about 300 bytes at peak, read by two shared-throughput consumers and one fan-out consumer.
      throughput: { recordsPerSecond: 2000, averageRecordSize: Size.bytes(300), sharedThroughputConsumers: 2, enhancedFanOutConsumers: 1 },
      retentionPeriod: Duration.days(3),
    });

    const sessions = new dynamodb.TableV2(this, 'Sessions', {
      partitionKey: { name: 'user', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const sessionizer = new LambdaStreamConsumer(this, 'Sessionizer', {
      stream: clicks,
      code: ConsumerCode.fromHandlerFile(path.join(__dirname, 'sessionizer.ts'), {
        environment: { SESSIONS_TABLE: sessions.tableName },
        timeout: Duration.seconds(30),
      }),
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(5),
      idempotency: true,
      keyConcurrency: 25,
    });
    sessions.grantReadWriteData(sessionizer.function);

    new DynamoDbStreamSink(this, 'LastSeen', {
      stream: clicks,
      partitionKeyAttribute: 'user',
      partitionKeyField: 'user',
      versionField: 'at',
      batchSize: 1000,
    });

    const fraudScorerRole = iam.Role.fromRoleName(this, 'FraudScorerRole', 'fraud-scorer');
    const fraudScorer = lambda.Function.fromFunctionAttributes(this, 'FraudScorer', {
      functionArn: this.formatArn({ service: 'lambda', resource: 'function', resourceName: 'fraud-scorer', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      role: fraudScorerRole,
      sameEnvironment: true,
    });
    const fraud = new LambdaStreamConsumer(this, 'Fraud', {
      stream: clicks,
      code: ConsumerCode.fromFunction(fraudScorer),
      readMode: StreamReadMode.enhancedFanOut('fraud-scorer'),
      startingPosition: lambda.StartingPosition.LATEST,
      parallelizationFactor: 4,
      aggregatedRecords: false,
      onFailure: FailureDestination.s3(),
      metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
    });

    new CfnOutput(this, 'StreamName', { value: clicks.streamName });
    new CfnOutput(this, 'SessionsTable', { value: sessions.tableName });
    new CfnOutput(this, 'SessionizerFailures', { value: sessionizer.failureQueue!.queueUrl });
    new CfnOutput(this, 'FraudFailures', { value: fraud.failureBucket!.bucketName });
  }
}

export function build(app: App): App {
  new ClickstreamSessionsStack(app, 'ClickstreamSessions');
  return app;
}

if (require.main === module) build(new App()).synth();
