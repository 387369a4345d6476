import { App, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ClickstreamPipeline, ConsumerCode, FlinkApplication, FlinkCode, RedshiftTarget, StudioNotebook, TransactionsPipeline } from '../../src';

let n = 0;
const newStack = () => new Stack(new App(), `F${n++}`, { env: { account: '123456789012', region: 'us-east-1' } });
const COLUMNS: glue.CfnTable.ColumnProperty[] = [
  { name: 'userId', type: 'string' }, { name: 'page', type: 'string' }, { name: 'ts', type: 'timestamp' },
];
const fn = (stack: Stack, id: string) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] })'),
});
const groups = (t: Template) => {
  const apps = t.findResources('AWS::KinesisAnalyticsV2::Application', { Properties: { RuntimeEnvironment: Match.stringLikeRegexp('^FLINK') } });
  const [app] = Object.values<any>(apps);
  type Group = { PropertyGroupId: string; PropertyMap: Record<string, string> };
  return app.Properties.ApplicationConfiguration.EnvironmentProperties.PropertyGroups as Group[];
};

describe('ClickstreamPipeline with a Studio notebook (the default)', () => {
  const stack = newStack();
  const clicks = new ClickstreamPipeline(stack, 'Clicks', {
    throughput: { recordsPerSecond: 3000, averageRecordsPerSecond: 800, averageRecordSize: Size.bytes(1024) },
    eventColumns: COLUMNS,
    sessionHandler: ConsumerCode.fromFunction(fn(stack, 'Sessionizer')),
  });
  const t = Template.fromStack(stack);

  test('plans the stream for its three shared readers (sessions, archive, notebook), partitioned by user id', () => {
    expect(clicks.stream.capacityPlan!.shardCount).toBeGreaterThanOrEqual(4);
    expect(clicks.stream.sharedThroughputConsumerCount).toBe(3);
    const fns = Object.values<any>(t.findResources('AWS::Lambda::Function'));
    expect(fns.find((f) => f.Properties.Environment?.Variables?.PARTITION_KEY_PATH)!.Properties.Environment.Variables.PARTITION_KEY_PATH).toBe('userId');
  });

  test('archives Parquet through a Glue table of the given columns', () => {
    t.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ StorageDescriptor: Match.objectLike({ Columns: COLUMNS.map((c) => ({ Name: c.name, Type: c.type })), Location: Match.anyValue() }) }) });
    const [delivery] = Object.values<any>(t.findResources('AWS::KinesisFirehose::DeliveryStream'));
    const config = delivery.Properties.ExtendedS3DestinationConfiguration;
    expect(config.DataFormatConversionConfiguration.Enabled).toBe(true);
    expect(config.Prefix).toBe('events/date=!{timestamp:yyyy-MM-dd}/');
    expect(config.BufferingHints.SizeInMBs).toBe(128);
  });

  test('creates a Studio notebook over the stream, and prices it in the plan', () => {
    expect(clicks.analytics).toBeInstanceOf(StudioNotebook);
    t.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', { ApplicationMode: 'INTERACTIVE' });
    expect(clicks.plan.lines.map((l) => l.resource)).toEqual([
      'API Gateway REST API', 'Lambda function (arm64)', 'Kinesis data stream (provisioned)', 'Lambda function (arm64)', 'Firehose delivery stream',
      'S3 bucket (Standard)', 'Managed Service for Apache Flink (Studio notebook)', 'CloudWatch alarms and dashboard',
    ]);
    expect(clicks.plan.lines[4].basis).toContain('format conversion');
  });
});

describe('ClickstreamPipeline with a Flink job', () => {
  test('reads the stream through enhanced fan-out, with parallelism following the shards', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Code', 'code-bucket');
    const clicks = new ClickstreamPipeline(stack, 'Clicks', {
      throughput: { recordsPerSecond: 3000, averageRecordSize: Size.bytes(1024) },
      eventColumns: COLUMNS,
      httpIngestion: false,
      flinkCode: FlinkCode.fromBucket(bucket, 'sessions.jar'),
    });
    expect(clicks.analytics).toBeInstanceOf(FlinkApplication);
    expect(clicks.api).toBeUndefined();
    expect(clicks.stream.enhancedFanOutConsumers).toHaveLength(1);
    const t = Template.fromStack(stack);
    const source = groups(t).find((g) => g.PropertyGroupId === 'source.clicks')!;
    expect(source.PropertyMap['read.mode']).toBe('EFO');
    t.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationConfiguration: Match.objectLike({
        FlinkApplicationConfiguration: Match.objectLike({ ParallelismConfiguration: Match.objectLike({ Parallelism: clicks.stream.shardCount }) }),
      }),
    });
  });

  test('refuses a pipeline without event columns', () => {
    expect(() => new ClickstreamPipeline(newStack(), 'Clicks', { throughput: { recordsPerSecond: 1, averageRecordSize: Size.bytes(1) }, eventColumns: [] }))
      .toThrow(/F\d+\/Clicks: eventColumns must list at least one column/);
  });
});

describe('TransactionsPipeline', () => {
  const stack = newStack();
  const credentials = new secretsmanager.Secret(stack, 'Loader');
  const bucket = s3.Bucket.fromBucketName(stack, 'Code', 'code-bucket');
  const tx = new TransactionsPipeline(stack, 'Tx', {
    throughput: { recordsPerSecond: 500, averageRecordSize: Size.bytes(400) },
    redshift: {
      target: RedshiftTarget.cluster({ endpointAddress: 'ledger.abc.us-east-1.redshift.amazonaws.com', databaseName: 'finance' }),
      credentials,
      tableName: 'ledger.transactions',
    },
    anomalyDetection: {
      code: FlinkCode.fromBucket(bucket, 'anomaly.zip', { python: { entryPoint: 'main.py', jarFile: 'lib/pyflink-dependencies.jar' } }),
      properties: { 'zscore.threshold': '3.5' },
      alertHandler: ConsumerCode.fromFunction(fn(stack, 'Alerts')),
    },
  });
  const t = Template.fromStack(stack);

  test('keeps per-account order: the stream is read by Redshift delivery and the job, with a raw backup as the audit trail', () => {
    const deliveries = Object.values<any>(t.findResources('AWS::KinesisFirehose::DeliveryStream'));
    expect(deliveries).toHaveLength(1);
    const redshift = deliveries[0].Properties.RedshiftDestinationConfiguration;
    expect(redshift.S3BackupMode).toBe('Enabled');
    expect(redshift.CopyCommand.DataTableName).toBe('ledger.transactions');
    expect(deliveries[0].Properties.DeliveryStreamType).toBe('KinesisStreamAsSource');
  });

  test('wires the anomaly job: source transactions (EFO), sink alerts, the application settings', () => {
    const g = groups(t);
    expect(g.find((x) => x.PropertyGroupId === 'source.transactions')!.PropertyMap['read.mode']).toBe('EFO');
    expect(g.find((x) => x.PropertyGroupId === 'sink.alerts')!.PropertyMap.connector).toBe('kinesis');
    expect(g.find((x) => x.PropertyGroupId === 'application')!.PropertyMap['zscore.threshold']).toBe('3.5');
    expect(tx.alerts!.sharedThroughputConsumerCount).toBe(1);
    expect(tx.alertConsumer).toBeDefined();
  });

  test('lists every part in the plan and on the dashboard', () => {
    expect(tx.plan.lines.map((l) => l.resource)).toEqual([
      'Kinesis data stream (provisioned)', 'Firehose delivery stream', 'Kinesis data stream (provisioned)', 'Managed Service for Apache Flink',
      'Lambda function (arm64)', 'CloudWatch alarms and dashboard',
    ]);
    const body = JSON.stringify(Object.values<any>(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('DeliveryToRedshift.Success');
    expect(body).toContain('millisBehindLatest');
  });

  test('refuses a pipeline without a ledger', () => {
    expect(() => new TransactionsPipeline(newStack(), 'Tx', { throughput: { recordsPerSecond: 1, averageRecordSize: Size.bytes(1) } } as any))
      .toThrow(/F\d+\/Tx: redshift is required/);
  });
});
