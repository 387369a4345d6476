import { Duration, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { actions, appProps, flinkApp, groups, infos, PYJOB, NOJAR, stack, statements, warnings } from './support';
import { DataStream, FlinkCode, FlinkLogLevel, FlinkMetricsLevel, FlinkReadMode, FlinkRestore, FlinkRuntime, FlinkStartingPosition, S3DeliveryStream } from '../../src';

describe('FlinkApplication: code and runtime', () => {
  test('defaults: newest runtime, a zipped PyFlink project, the run options group, checkpoints, snapshots, restore from latest', () => {
    const s = stack();
    flinkApp(s);
    const p = appProps(s);
    expect(p.RuntimeEnvironment).toBe('FLINK-2_2');
    expect(p.ApplicationConfiguration.ApplicationCodeConfiguration).toEqual({
      CodeContentType: 'ZIPFILE',
      CodeContent: { S3ContentLocation: { BucketARN: expect.anything(), FileKey: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) } },
    });
    expect(groups(s)['kinesis.analytics.flink.run.options']).toEqual({ python: 'main.py', jarfile: 'lib/deps.jar' });
    expect(p.ApplicationConfiguration.FlinkApplicationConfiguration).toEqual({
      CheckpointConfiguration: { ConfigurationType: 'CUSTOM', CheckpointingEnabled: true, CheckpointInterval: 60000, MinPauseBetweenCheckpoints: 5000 },
      MonitoringConfiguration: { ConfigurationType: 'CUSTOM', LogLevel: 'INFO', MetricsLevel: 'APPLICATION' },
      ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 1, ParallelismPerKPU: 1, AutoScalingEnabled: true },
    });
    expect(p.ApplicationConfiguration.ApplicationSnapshotConfiguration).toEqual({ SnapshotsEnabled: true });
    expect(p.RunConfiguration).toEqual({
      ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
      FlinkRunConfiguration: { AllowNonRestoredState: false },
    });
  });

  test('the optional Python run options are rendered when given', () => {
    const s = stack();
    flinkApp(s, { code: FlinkCode.fromPythonProject(PYJOB, { entryPoint: 'main.py', pyFiles: 'lib/extra.py', pyArchives: 'venv.zip', pyRequirements: 'requirements.txt' }) });
    expect(groups(s)['kinesis.analytics.flink.run.options']).toEqual({ python: 'main.py', pyFiles: 'lib/extra.py', pyArchives: 'venv.zip', pyRequirements: 'requirements.txt' });
  });

  test('a jar in S3 is a Java application: no run options group, object version passed, read right on the object only', () => {
    const s = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'Code', 'my-code');
    flinkApp(s, { code: FlinkCode.fromBucket(bucket, 'apps/job.jar', { objectVersion: 'v1' }), runtime: FlinkRuntime.FLINK_1_20 });
    const p = appProps(s);
    expect(p.RuntimeEnvironment).toBe('FLINK-1_20');
    expect(p.ApplicationConfiguration.ApplicationCodeConfiguration.CodeContent.S3ContentLocation).toEqual({ BucketARN: expect.anything(), FileKey: 'apps/job.jar', ObjectVersion: 'v1' });
    expect(groups(s)['kinesis.analytics.flink.run.options']).toBeUndefined();
    expect(statements(s)).toContainEqual(expect.objectContaining({ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':s3:::my-code/apps/job.jar'])] }) }));
  });

  test('a Python package in S3 gets its run options', () => {
    const s = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'Code', 'my-code');
    flinkApp(s, { code: FlinkCode.fromBucket(bucket, 'apps/job.zip', { python: { entryPoint: 'app/main.py', jarFile: 'lib/deps.jar' } }) });
    expect(groups(s)['kinesis.analytics.flink.run.options']).toEqual({ python: 'app/main.py', jarfile: 'lib/deps.jar' });
  });

  test('a local jar is uploaded as it is', () => {
    const s = stack();
    flinkApp(s, { code: FlinkCode.fromJarFile(`${PYJOB}/lib/deps.jar`) });
    expect(appProps(s).ApplicationConfiguration.ApplicationCodeConfiguration.CodeContent.S3ContentLocation.FileKey).toMatch(/^[0-9a-f]{64}\.jar$/);
  });

  test('a missing dependency jar is a warning naming the fix, the package is still zipped', () => {
    const s = stack();
    flinkApp(s, { code: FlinkCode.fromPythonProject(NOJAR, { entryPoint: 'main.py', jarFile: 'lib/pyflink-dependencies.jar' }) });
    expect(warnings(s)).toEqual([expect.stringMatching(/jarFile lib\/pyflink-dependencies\.jar is not in .*nojar: .*Build the jar .* before deploying/)]);
  });

  test('runtimes: of() for newer versions, version numbers', () => {
    expect(FlinkRuntime.of('FLINK-2_4').value).toBe('FLINK-2_4');
    expect(FlinkRuntime.FLINK_1_20.version).toBe('1.20');
    expect(FlinkRuntime.LATEST).toBe(FlinkRuntime.FLINK_2_2);
    expect(FlinkRuntime.FLINK_2_2.value).toBe('FLINK-2_2');
  });
});

describe('FlinkApplication: scale, state, logging, monitoring', () => {
  test('scale settings, checkpoint timing, snapshots off with restore NONE, rollback, log and metrics level', () => {
    const s = stack();
    flinkApp(s, {
      parallelism: 12,
      parallelismPerKpu: 4,
      autoScaling: false,
      checkpointInterval: Duration.seconds(30),
      minPauseBetweenCheckpoints: Duration.seconds(2),
      snapshots: false,
      systemRollback: true,
      logLevel: FlinkLogLevel.WARN,
      metricsLevel: FlinkMetricsLevel.OPERATOR,
    });
    const p = appProps(s);
    expect(p.ApplicationConfiguration.FlinkApplicationConfiguration).toEqual({
      CheckpointConfiguration: { ConfigurationType: 'CUSTOM', CheckpointingEnabled: true, CheckpointInterval: 30000, MinPauseBetweenCheckpoints: 2000 },
      MonitoringConfiguration: { ConfigurationType: 'CUSTOM', LogLevel: 'WARN', MetricsLevel: 'OPERATOR' },
      ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 12, ParallelismPerKPU: 4, AutoScalingEnabled: false },
    });
    expect(p.ApplicationConfiguration.ApplicationSnapshotConfiguration).toEqual({ SnapshotsEnabled: false });
    expect(p.ApplicationConfiguration.ApplicationSystemRollbackConfiguration).toEqual({ RollbackEnabled: true });
    expect(p.RunConfiguration.ApplicationRestoreConfiguration).toEqual({ ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' });
  });

  test('restore from a named snapshot, allowing non-restored state', () => {
    const s = stack();
    flinkApp(s, { restore: FlinkRestore.fromSnapshot('before-v2'), allowNonRestoredState: true });
    expect(appProps(s).RunConfiguration).toEqual({
      ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT', SnapshotName: 'before-v2' },
      FlinkRunConfiguration: { AllowNonRestoredState: true },
    });
  });

  test('start without state while keeping snapshots: FlinkRestore.NONE', () => {
    const s = stack();
    flinkApp(s, { restore: FlinkRestore.NONE });
    expect(appProps(s).RunConfiguration.ApplicationRestoreConfiguration.ApplicationRestoreType).toBe('SKIP_RESTORE_FROM_SNAPSHOT');
    expect(appProps(s).ApplicationConfiguration.ApplicationSnapshotConfiguration.SnapshotsEnabled).toBe(true);
  });

  test('checkpointing off outside production mode: rendered off, with a warning', () => {
    const s = stack();
    flinkApp(s, { checkpointing: false, production: false });
    expect(appProps(s).ApplicationConfiguration.FlinkApplicationConfiguration.CheckpointConfiguration).toEqual({ ConfigurationType: 'CUSTOM', CheckpointingEnabled: false });
    expect(warnings(s)).toEqual([expect.stringContaining('checkpointing is off')]);
  });

  test('a KMS-encrypted log group with retention, its log stream, the logging option and exact log rights', () => {
    const s = stack();
    flinkApp(s, { logRetention: logs.RetentionDays.ONE_YEAR });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppLogKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudWatchLogsEncryption', Principal: { Service: 'logs.eu-west-1.amazonaws.com' } })]) },
    });
    t.resourceCountIs('AWS::Logs::LogStream', 1);
    t.hasResourceProperties('AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption', {
      ApplicationName: { Ref: Match.stringLikeRegexp('^App') },
      CloudWatchLoggingOption: { LogStreamARN: { 'Fn::Join': ['', Match.arrayWith([':log-stream:'])] } },
    });
    expect(actions(s)).toEqual(expect.arrayContaining(['logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents']));
  });

  test('a log group of yours is used as it is', () => {
    const s = stack();
    const mine = new logs.LogGroup(s, 'Mine');
    const app = flinkApp(s, { logGroup: mine });
    expect(app.logGroup).toBe(mine);
    Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('the application group carries the user properties; addPropertyGroup adds more', () => {
    const s = stack();
    const app = flinkApp(s, { properties: { 'zscore.threshold': '3.5' } });
    app.addPropertyGroup('features', { enabled: 'true' });
    expect(groups(s).application).toEqual({ 'zscore.threshold': '3.5' });
    expect(groups(s).features).toEqual({ enabled: 'true' });
  });

  test('the capacity plan: KPUs, orchestration KPU, running storage and the monthly cost, shown as info', () => {
    const s = stack();
    const app = flinkApp(s, { parallelism: 5, parallelismPerKpu: 2 });
    const plan = app.capacityPlan;
    expect(plan.kpus).toBe(3);
    expect(plan.billedKpus).toBe(4);
    expect(plan.runningStorageGb).toBe(150);
    expect(plan.monthlyCost.monthlyUsd).toBeCloseTo(4 * 730 * 0.11 + 150 * 0.10, 6);
    expect(plan.maxParallelism).toBe(128);
    expect(plan.maxMonthlyCost!.monthlyUsd).toBeCloseTo(65 * 730 * 0.11 + 64 * 50 * 0.10, 6);
    expect(infos(s)).toEqual([expect.stringContaining('Flink capacity plan: 3 KPUs for parallelism 5 at 2 per KPU, + 1 orchestration KPU = 4 billed, 150 GB running storage')]);
  });

  test('prices are overridable', () => {
    const s = stack();
    const app = flinkApp(s, { pricing: { kpuHour: 0.2, runningStorageGbMonth: 0 }, autoScaling: false });
    expect(app.capacityPlan.monthlyCost.monthlyUsd).toBeCloseTo(2 * 730 * 0.2, 6);
    expect(app.capacityPlan.maxMonthlyCost).toBeUndefined();
  });
});

describe('FlinkApplication: sources and sinks', () => {
  test('a polling source: property group, counted as a shared-throughput consumer, exact read rights', () => {
    const s = stack();
    const stream = new DataStream(s, 'CardTransactions', { throughput: { recordsPerSecond: 100, averageRecordSize: Size.bytes(100), sharedThroughputConsumers: 1 } });
    const app = flinkApp(s);
    const source = app.addSource(stream, { startingPosition: FlinkStartingPosition.TRIM_HORIZON });
    expect(source.propertyGroupId).toBe('source.card-transactions');
    expect(stream.sharedThroughputConsumerCount).toBe(1);
    expect(groups(s)['source.card-transactions']).toEqual({
      'connector': 'kinesis',
      'stream.name': { Ref: expect.stringMatching(/^CardTransactions/) },
      'stream.arn': { 'Fn::GetAtt': [expect.stringMatching(/^CardTransactions/), 'Arn'] },
      'aws.region': 'eu-west-1',
      'read.mode': 'POLLING',
      'initial.position': 'TRIM_HORIZON',
    });
    expect(statements(s)).toContainEqual(expect.objectContaining({
      Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CardTransactions/), 'Arn'] },
    }));
  });

  test('an EFO source registers a consumer on the DataStream and reads through it; KMS decrypt on the stream key', () => {
    const s = stack();
    const stream = new DataStream(s, 'Transactions', { encryption: kinesis.StreamEncryption.KMS });
    const app = flinkApp(s);
    app.addSource(stream, { readMode: FlinkReadMode.enhancedFanOut('fraud-flink'), startingPosition: FlinkStartingPosition.atTimestamp(new Date('2026-12-01T00:00:00Z')) });
    expect(stream.enhancedFanOutConsumers).toHaveLength(1);
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::StreamConsumer', { ConsumerName: 'fraud-flink' });
    const g = groups(s)['source.transactions'];
    expect(g).toMatchObject({ 'read.mode': 'EFO', 'initial.position': 'AT_TIMESTAMP', 'initial.timestamp': '2026-12-01T00:00:00.000Z' });
    expect(g['efo.consumer.arn']).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ConsumerARN'] });
    expect(g['efo.consumer.name']).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ConsumerName'] });
    const st = statements(s);
    expect(st).toContainEqual(expect.objectContaining({ Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'] }));
    expect(st).toContainEqual(expect.objectContaining({ Action: ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'], Resource: { 'Fn::GetAtt': [expect.any(String), 'ConsumerARN'] } }));
    expect(st).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TransactionsKey/), 'Arn'] } }));
    expect(actions(s)).not.toContain('kinesis:GetRecords');
  });

  test('a Kinesis sink: property group and PutRecords with GenerateDataKey on its key', () => {
    const s = stack();
    const alerts = new DataStream(s, 'Alerts', { encryption: kinesis.StreamEncryption.KMS });
    flinkApp(s).addKinesisSink(alerts);
    expect(groups(s)['sink.alerts']).toMatchObject({ 'connector': 'kinesis', 'aws.region': 'eu-west-1' });
    const st = statements(s);
    expect(st).toContainEqual(expect.objectContaining({ Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'] }));
    expect(st).toContainEqual(expect.objectContaining({ Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AlertsKey/), 'Arn'] } }));
  });

  test('a Firehose sink to one of our delivery streams, named after the construct', () => {
    const s = stack();
    const archive = new S3DeliveryStream(s, 'Archive');
    flinkApp(s).addFirehoseSink(archive.deliveryStream);
    expect(groups(s)['sink.archive']).toEqual({
      'connector': 'firehose',
      'delivery.stream.name': { Ref: expect.stringMatching(/^ArchiveDeliveryStream/) },
      'delivery.stream.arn': { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveDeliveryStream/), 'Arn'] },
      'aws.region': 'eu-west-1',
    });
    expect(statements(s)).toContainEqual(expect.objectContaining({ Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'] }));
  });

  test('an S3 sink under a prefix: path, multipart and listing rights, the bucket key', () => {
    const s = stack();
    const bucket = new s3.Bucket(s, 'Lake', { encryption: s3.BucketEncryption.KMS });
    flinkApp(s).addS3Sink(bucket, { name: 'lake', prefix: 'alerts/' });
    const g = groups(s)['sink.lake'];
    expect(g).toMatchObject({ 'connector': 's3', 'aws.region': 'eu-west-1' });
    expect(g.path).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^Lake/) }, '/alerts/']] });
    const st = statements(s);
    expect(st).toContainEqual(expect.objectContaining({ Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] }));
    expect(st).toContainEqual(expect.objectContaining({ Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'] }));
    expect(st).toContainEqual(expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] }));
  });

  test('a cross-Region sink is accepted with the opt-in, and its Region rendered', () => {
    const s = stack();
    const remote = kinesis.Stream.fromStreamArn(s, 'Remote', 'arn:aws:kinesis:us-east-1:111111111111:stream/remote');
    flinkApp(s).addKinesisSink(remote, { allowCrossRegion: true });
    expect(groups(s)['sink.remote']['aws.region']).toBe('us-east-1');
  });

  test('no grant has a wildcard action', () => {
    const s = stack();
    const app = flinkApp(s, { vpc: new ec2.Vpc(s, 'Vpc', { natGateways: 1 }) });
    app.addSource(new DataStream(s, 'In', { encryption: kinesis.StreamEncryption.KMS }), { readMode: FlinkReadMode.EFO });
    app.addKinesisSink(new DataStream(s, 'Out', { encryption: kinesis.StreamEncryption.KMS }));
    app.addS3Sink(new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.KMS }));
    app.addFirehoseSink(new S3DeliveryStream(s, 'D').deliveryStream);
    const roleLogical = s.resolve((app.role.node.defaultChild as any).logicalId);
    const appPolicy = Object.values(Template.fromStack(s).findResources('AWS::IAM::Policy'))
      .find((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleLogical)) as any;
    const appActions = appPolicy.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat());
    expect(appActions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(appActions.length).toBeGreaterThan(20);
  });
});

describe('FlinkApplication: network', () => {
  test('VPC placement with a created security group and the EC2 rights', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 1 });
    const app = flinkApp(s, { vpc });
    const cfg = appProps(s).ApplicationConfiguration.VpcConfigurations;
    expect(cfg).toHaveLength(1);
    expect(cfg[0].SubnetIds).toHaveLength(3);
    expect(cfg[0].SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^AppSecurityGroup/), 'GroupId'] }]);
    expect(app.connections.securityGroups).toHaveLength(1);
    expect(actions(s)).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeVpcs']));
    expect(warnings(s)).toEqual([]);
  });

  test('a VPC with neither a Kinesis endpoint nor NAT is a warning', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    flinkApp(s, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    expect(warnings(s)).toEqual([expect.stringContaining('neither an interface endpoint for Kinesis Data Streams nor a NAT gateway')]);
  });

  test('a Kinesis interface endpoint silences the warning', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    flinkApp(s, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    vpc.addInterfaceEndpoint('Kinesis', { service: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS });
    expect(warnings(s)).toEqual([]);
  });
});
