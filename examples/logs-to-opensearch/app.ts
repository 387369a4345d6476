/**
 * Logs to OpenSearch: services write JSON log events straight to a Firehose delivery stream (direct PUT). The bundled
 * transform checks each event and drops secrets; Firehose indexes the events into a daily `app-logs-yyyy-MM-dd` index
 * of an OpenSearch Service domain inside a VPC, through network interfaces in the private subnets. Documents the
 * domain refuses (mapping conflicts, a full cluster) are retried for an hour, then written to S3 under
 * `failed-documents/`, with the reason, for replay.
 *
 * By hand: the domain uses fine-grained access control with IAM as the master; map the delivery role (output
 * `DeliveryRoleArn`) to a role that may write `app-logs-*` (OpenSearch Dashboards > Security > Roles > Mapped users).
 *
 * Run: npm run synth:examples -- logs-to-opensearch
 */
import { App, CfnOutput, Duration, RemovalPolicy, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DocumentIdFormat, IndexRotation, OpenSearchDeliveryStream, OpenSearchTarget, RecordFilter, RecordTransform } from '../../src';

export class LogsToOpenSearchStack extends Stack {
  public readonly domain: opensearch.Domain;
  public readonly logs: OpenSearchDeliveryStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    const searchLogs = new logs.LogGroup(this, 'SearchLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    new logs.ResourcePolicy(this, 'SearchLogsPolicy', {
      policyStatements: [new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('es.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${searchLogs.logGroupArn}`],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      })],
    });
    const admin = new iam.Role(this, 'SearchAdmin', { assumedBy: new iam.AccountRootPrincipal(), description: 'Master user of the logs domain' });
    this.domain = new opensearch.Domain(this, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_17,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      capacity: { dataNodes: 2, dataNodeInstanceType: 'r7g.large.search', masterNodes: 3, masterNodeInstanceType: 'm7g.large.search', multiAzWithStandbyEnabled: false },
      zoneAwareness: { enabled: true, availabilityZoneCount: 2 },
      ebs: { volumeSize: 100, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      fineGrainedAccessControl: { masterUserArn: admin.roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: searchLogs,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: searchLogs,
        appLogEnabled: true,
        appLogGroup: searchLogs,
      },
      // The log group's resource policy is declared above, instead of the custom resource aws-cdk-lib would add.
      suppressLogsResourcePolicy: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const onCall = new sns.Topic(this, 'OnCall', { enforceSSL: true });
    this.logs = new OpenSearchDeliveryStream(this, 'AppLogs', {
      deliveryStreamName: 'app-logs-to-search',
      target: OpenSearchTarget.domain(this.domain),
      indexName: 'app-logs',
      indexRotation: IndexRotation.ONE_DAY,
      // Firehose's own ids: a batch retried after a partial failure does not index its events twice.
      documentIdFormat: DocumentIdFormat.FIREHOSE_DEFAULT,
      transform: RecordTransform.bundled({
        requiredFields: ['timestamp', 'service', 'level', 'message'],
        filters: [RecordFilter.fieldNotEquals('level', 'DEBUG')],
        dropFields: ['authorization', 'password', 'sessionToken'],
        // Firehose makes each record one document of its bulk requests itself: no delimiter between records.
        appendNewline: false,
      }),
      // Logs are searchable within a minute; 5 MiB bulk requests are well within what two data nodes take.
      buffering: { size: Size.mebibytes(5), interval: Duration.seconds(60) },
      retryDuration: Duration.hours(1),
      backup: {
        mode: firehose.BackupMode.FAILED,
        prefix: 'failed-documents/date=!{timestamp:yyyy-MM-dd}/',
        errorOutputPrefix: 'failed-documents-errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/',
      },
      vpc: { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
      alarmOptions: { alarmActions: [new cwActions.SnsAction(onCall)] },
    });

    const services = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes application log events to the app-logs-to-search delivery stream',
    });
    this.logs.deliveryStream.grantPutRecords(services);
    Validations.of(this.domain).acknowledge(
      { id: 'AwsSolutions-OS3', reason: 'The domain is reachable only inside the VPC; access is by IAM through fine-grained access control, not by IP allow list' },
      {
        id: 'AwsSolutions-OS5',
        reason: 'No resource-based policy (aws-cdk-lib would apply it through a custom resource): fine-grained access control with an IAM master user ' +
          'authenticates every request, and the internal user database is off',
      },
    );

    new CfnOutput(this, 'DeliveryStreamName', { value: this.logs.deliveryStream.deliveryStreamName });
    new CfnOutput(this, 'DeliveryRoleArn', { value: this.logs.role.roleArn });
    new CfnOutput(this, 'FailedDocumentsBucket', { value: this.logs.backupBucket.bucketName });
  }
}

export function build(app: App): App {
  new LogsToOpenSearchStack(app, 'LogsToOpenSearch');
  return app;
}

if (require.main === module) build(new App()).synth();
