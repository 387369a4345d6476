/**
 * Financial transactions as one pipeline: the payment service writes booked transactions into a stream partitioned
 * by account (per-account order); Firehose loads them into `ledger.transactions` on an existing Redshift cluster by
 * COPY through S3, keeping every raw record as the audit trail; the anomaly-detection PyFlink job of the
 * anomaly-detection example reads them through enhanced fan-out and writes alerts to a second stream, whose consumer
 * logs each alert. The throughput is declared once; the plan prints the monthly cost of every part.
 *
 * The cluster and its loader user exist already (see the transactions-to-redshift example for creating both).
 *
 * Run: npm run synth:examples -- transactions-pipeline
 */
import * as path from 'path';
import { Annotations, App, CfnOutput, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ConsumerCode, FlinkCode, FlinkRuntime, RedshiftTarget, TransactionsPipeline } from '../../src';

export class TransactionsPipelineStack extends Stack {
  public readonly pipeline: TransactionsPipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const loader = secretsmanager.Secret.fromSecretNameV2(this, 'Loader', 'ledger/firehose-loader');
    this.pipeline = new TransactionsPipeline(this, 'Payments', {
      throughput: { recordsPerSecond: 400, averageRecordsPerSecond: 120, averageRecordSize: Size.bytes(450) },
      accountIdField: 'cardId',
      redshift: {
        target: RedshiftTarget.cluster({ endpointAddress: 'ledger.c1a2b3c4d5e6.us-east-1.redshift.amazonaws.com', port: 5439, databaseName: 'finance' }),
        credentials: loader,
        tableName: 'ledger.transactions',
      },
      anomalyDetection: {
        runtime: FlinkRuntime.FLINK_1_20,
        code: FlinkCode.fromPythonProject(path.join(__dirname, '..', 'anomaly-detection', 'job'), {
          entryPoint: 'main.py',
          jarFile: 'lib/pyflink-dependencies.jar',
        }),
        properties: { 'zscore.threshold': '3.0' },
        alertHandler: ConsumerCode.fromHandlerFile(path.join(__dirname, '..', 'anomaly-detection', 'alert-handler.ts')),
      },
      dashboardName: 'payments',
    });

    // The connector jar is built from the job's pom.xml before deploying (see examples/anomaly-detection/job/README.md).
    Annotations.of(this.pipeline.anomalyDetection!).acknowledgeWarning('cdk-kinesis-patterns:FlinkJarMissing',
      'lib/pyflink-dependencies.jar is built with `mvn -q package` in the job folder before deploying; it is not committed');
    // The cluster is managed elsewhere: its security group admits the Firehose CIDR block of the Region on 5439.
    Annotations.of(this.pipeline.ledger).acknowledgeWarning('cdk-kinesis-patterns:RedshiftSecurityGroupNotOpened',
      'The existing cluster\'s security group, managed with the cluster, admits the Region\'s Firehose CIDR block on port 5439');

    const payments = new iam.Role(this, 'PaymentServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes booked transactions to the transactions stream',
    });
    this.pipeline.stream.grantWrite(payments);

    new CfnOutput(this, 'StreamName', { value: this.pipeline.stream.streamName });
    new CfnOutput(this, 'AlertsStreamName', { value: this.pipeline.alerts!.streamName });
  }
}

export function build(app: App): App {
  new TransactionsPipelineStack(app, 'TransactionsPipeline', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) build(new App()).synth();
