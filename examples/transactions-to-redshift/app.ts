/**
 * Transactions to Redshift: the payment service writes booked transactions into a data stream; Firehose reads it (as
 * one of its shared-throughput consumers, counted in the stream's capacity plan), checks each transaction with the
 * bundled transform, stages GZIP JSON in an encrypted bucket and loads `ledger.transactions` with a COPY command whose
 * options are typed props. Every source record is also backed up, raw, as the audit trail.
 *
 * The cluster is publicly accessible because Firehose loads Redshift over its public endpoint; its security group
 * admits the region's Firehose CIDR block on the cluster port and nothing else. The loader's credentials are a
 * Secrets Manager secret that Firehose reads at delivery time.
 *
 * By hand, once, in the database (as an admin):
 *   CREATE USER firehose_loader PASSWORD '<the password of the LoaderCredentials secret>';
 *   CREATE SCHEMA ledger;
 *   CREATE TABLE ledger.transactions (transaction_id VARCHAR(36) NOT NULL, account_id VARCHAR(34) NOT NULL,
 *     amount DECIMAL(18,2) NOT NULL, currency CHAR(3) NOT NULL, booked_at TIMESTAMP NOT NULL, channel VARCHAR(16));
 *   GRANT USAGE ON SCHEMA ledger TO firehose_loader; GRANT INSERT ON ledger.transactions TO firehose_loader;
 *
 * Run: npm run synth:examples -- transactions-to-redshift
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DataStream, DeliverySource, RecordTransform, RedshiftCopyOptions, RedshiftDataFormat, RedshiftDeliveryStream, RedshiftTarget, RedshiftTimeFormat,
} from '../../src';

const COLUMNS = ['transaction_id', 'account_id', 'amount', 'currency', 'booked_at', 'channel'];
// Not the default 5439: scanners probe it first. The delivery stream opens whichever port the cluster listens on.
const PORT = 5492;

export class TransactionsToRedshiftStack extends Stack {
  public readonly transactions: DataStream;
  public readonly ledger: RedshiftDeliveryStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.transactions = new DataStream(this, 'Transactions', {
      // 300 transactions/s of about 400 bytes at peak; Firehose is the one shared-throughput reader.
      throughput: { recordsPerSecond: 300, averageRecordSize: Size.bytes(400), sharedThroughputConsumers: 1 },
      retentionPeriod: Duration.days(7),
    });

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    // With enhanced VPC routing, COPY reads the staged files through the VPC: a gateway endpoint keeps that traffic
    // off the internet, and the cluster may call out (to S3 over HTTPS).
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // No inbound rule of its own: the delivery stream adds the Firehose CIDR block on the cluster port.
    const clusterSg = new ec2.SecurityGroup(this, 'ClusterSecurityGroup', { vpc, description: 'Ledger cluster', allowAllOutbound: true });
    const subnets = new redshift.CfnClusterSubnetGroup(this, 'ClusterSubnets', {
      description: 'Public subnets of the ledger cluster (Firehose loads it over its public endpoint)',
      subnetIds: vpc.publicSubnets.map((s) => s.subnetId),
    });
    Validations.of(clusterSg).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The only inbound rule is the region\'s Firehose CIDR block on the cluster port, looked up at deploy time (Fn::FindInMap), which cdk-nag cannot read',
    });
    // Firehose connects over TLS; the cluster refuses anything else, and logs every query for the auditors.
    const parameters = new redshift.CfnClusterParameterGroup(this, 'ClusterParameters', {
      description: 'Ledger cluster: TLS required, user activity logged',
      parameterGroupFamily: 'redshift-1.0',
      parameters: [
        { parameterName: 'require_ssl', parameterValue: 'true' },
        { parameterName: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });
    const clusterKey = new kms.Key(this, 'ClusterKey', { enableKeyRotation: true, description: 'Encrypts the ledger cluster' });
    const cluster = new redshift.CfnCluster(this, 'Ledger', {
      clusterType: 'multi-node',
      numberOfNodes: 2,
      nodeType: 'ra3.large',
      dbName: 'finance',
      port: PORT,
      masterUsername: 'admin',
      // Redshift keeps the admin password in Secrets Manager itself; Firehose uses the loader's secret below.
      manageMasterPassword: true,
      encrypted: true,
      kmsKeyId: clusterKey.keyId,
      publiclyAccessible: true,
      clusterParameterGroupName: parameters.ref,
      clusterSubnetGroupName: subnets.ref,
      vpcSecurityGroupIds: [clusterSg.securityGroupId],
      enhancedVpcRouting: true,
      loggingProperties: { logDestinationType: 'cloudwatch', logExports: ['connectionlog', 'userlog', 'useractivitylog'] },
      allowVersionUpgrade: true,
      automatedSnapshotRetentionPeriod: 7,
      preferredMaintenanceWindow: 'sun:03:00-sun:03:30',
    });
    Validations.of(cluster).acknowledge({
      id: 'AwsSolutions-RS8',
      reason: 'Firehose loads Redshift over the cluster\'s public endpoint; the security group admits only the Firehose CIDR block, and TLS is required',
    });

    const loader = new secretsmanager.Secret(this, 'LoaderCredentials', {
      description: 'firehose_loader: INSERT on ledger.transactions only',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'firehose_loader' }),
        generateStringKey: 'password',
        // Characters Redshift refuses in a password, or that need quoting in CREATE USER.
        excludeCharacters: '\'"\\/@ ',
      },
    });

    Validations.of(loader).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotated by hand with ALTER USER in the same change; Firehose re-reads the secret every 10 minutes',
    });

    const onCall = new sns.Topic(this, 'OnCall', { enforceSSL: true });
    this.ledger = new RedshiftDeliveryStream(this, 'ToLedger', {
      source: DeliverySource.kinesisStream(this.transactions),
      target: RedshiftTarget.cluster({ endpointAddress: cluster.attrEndpointAddress, port: PORT, databaseName: 'finance', connections: clusterSg }),
      credentials: loader,
      tableName: 'ledger.transactions',
      columns: COLUMNS,
      transform: RecordTransform.bundled({
        requiredFields: ['transaction_id', 'account_id', 'amount', 'currency', 'booked_at'],
        keepFields: COLUMNS,
      }),
      copyOptions: RedshiftCopyOptions.of({
        dataFormat: RedshiftDataFormat.jsonAuto(),
        timeFormat: RedshiftTimeFormat.AUTO,
        // Amounts and ids are never truncated, and a row that does not load fails its batch, which Firehose retries
        // and then leaves under errors/ for replay: no TRUNCATECOLUMNS, no MAXERROR.
      }),
      // One COPY every five minutes at most: Redshift prefers few large loads to many small ones.
      buffering: { size: Size.mebibytes(128), interval: Duration.minutes(5) },
      retryDuration: Duration.hours(2),
      sourceBackup: { prefix: 'audit/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/', errorOutputPrefix: 'audit-errors/!{firehose:error-output-type}/' },
      alarmOptions: { alarmActions: [new cwActions.SnsAction(onCall)] },
    });

    const payments = new iam.Role(this, 'PaymentServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes booked transactions to the transactions stream',
    });
    this.transactions.grantWrite(payments);

    new CfnOutput(this, 'StreamName', { value: this.transactions.streamName });
    new CfnOutput(this, 'DeliveryStreamName', { value: this.ledger.deliveryStream.deliveryStreamName });
    new CfnOutput(this, 'LoaderSecretArn', { value: loader.secretArn });
  }
}

export function build(app: App): App {
  new TransactionsToRedshiftStack(app, 'TransactionsToRedshift');
  return app;
}

if (require.main === module) build(new App()).synth();
