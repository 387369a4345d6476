/**
 * Real-time anomaly detection: card transactions (keyed by card id) flow into a data stream; a PyFlink job on
 * Managed Service for Apache Flink keeps per-card statistics over a sliding window and flags a transaction whose
 * amount is an outlier (z-score above a threshold); the alerts go to a second stream, which a Lambda consumer
 * stores in DynamoDB for the fraud team.
 *
 * The job's Python source is in job/ (entry point main.py, see job/README.md); its connectors come in
 * lib/pyflink-dependencies.jar, built from job/pom.xml (`cd job && mvn -q package`) and not committed. Synth without
 * the jar still works and warns (cdk-kinesis-patterns:FlinkJarMissing): build it before deploying.
 *
 * Run: npm run synth:examples -- anomaly-detection   (the KPU plan and its monthly cost are printed as info)
 */
import * as path from 'path';
import { Annotations, App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ConsumerCode, DataStream, FlinkApplication, FlinkCode, FlinkReadMode, FlinkRuntime, LambdaStreamConsumer } from '../../src';

export class AnomalyDetectionStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // 1,500 card transactions/s at peak, about 400 bytes of JSON each; the Flink job reads them through its own
    // enhanced fan-out consumer, so the stream plans for it.
    const transactions = new DataStream(this, 'Transactions', {
      throughput: { recordsPerSecond: 1500, averageRecordSize: Size.bytes(400), sharedThroughputConsumers: 0, enhancedFanOutConsumers: 1 },
      retentionPeriod: Duration.days(2),
    });
    // Alerts are rare (a fraction of a percent of transactions).
    const alerts = new DataStream(this, 'Alerts', { shardCount: 1 });

    const detector = new FlinkApplication(this, 'Detector', {
      runtime: FlinkRuntime.FLINK_1_20,
      code: FlinkCode.fromPythonProject(path.join(__dirname, 'job'), {
        entryPoint: 'main.py',
        jarFile: 'lib/pyflink-dependencies.jar',
      }),
      // Four parallel tasks, two per KPU (the job waits on Kinesis as much as it computes): 2 KPUs + 1 for orchestration.
      parallelism: 4,
      parallelismPerKpu: 2,
      checkpointInterval: Duration.seconds(30),
      properties: {
        'zscore.threshold': '3.0',
        'min.prior.transactions': '5',
        'window.minutes': '60',
        'watermark.delay.seconds': '5',
      },
    });
    // The connector jar is built from job/pom.xml before deploying (see job/README.md); the examples are synthesized
    // without it, so the warning that says so is acknowledged here and only here.
    Annotations.of(detector).acknowledgeWarning('cdk-kinesis-patterns:FlinkJarMissing',
      'lib/pyflink-dependencies.jar is built with `mvn -q package` in job/ before deploying; it is not committed');
    detector.addSource(transactions, { readMode: FlinkReadMode.EFO });
    detector.addKinesisSink(alerts);

    const alertsTable = new dynamodb.TableV2(this, 'CardAlerts', {
      partitionKey: { name: 'cardId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'transactionId', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const consumer = new LambdaStreamConsumer(this, 'AlertConsumer', {
      stream: alerts,
      code: ConsumerCode.fromHandlerFile(path.join(__dirname, 'alert-handler.ts'), {
        environment: { ALERTS_TABLE: alertsTable.tableName },
      }),
      batchSize: 100,
    });
    alertsTable.grantWriteData(consumer.function);

    // The payment service writes transactions with partition key = card id, so a card's transactions stay in order.
    const payments = new iam.Role(this, 'PaymentServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes card transactions keyed by cardId',
    });
    transactions.grantWrite(payments);

    new CfnOutput(this, 'ApplicationName', { value: detector.applicationName });
    new CfnOutput(this, 'BilledKpus', { value: String(detector.capacityPlan.billedKpus) });
    new CfnOutput(this, 'EstimatedMonthlyUsd', { value: detector.capacityPlan.monthlyCost.monthlyUsd.toFixed(2) });
  }
}

export function build(app: App): App {
  new AnomalyDetectionStack(app, 'AnomalyDetection');
  return app;
}

if (require.main === module) build(new App()).synth();
