import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { appProps, infos, stack, statements, warnings } from './support';
import { DataStream, StudioNotebook, StudioRuntime } from '../../src';
import { consoleErrorOf } from '../support/console';

describe('StudioNotebook', () => {
  test('defaults: interactive Zeppelin runtime, its Glue database, deploy location in a created bucket, log option', () => {
    const s = stack();
    const nb = new StudioNotebook(s, 'Nb', { databaseName: 'clicks_db' });
    const p = appProps(s);
    expect(p.RuntimeEnvironment).toBe('ZEPPELIN-FLINK-3_0');
    expect(p.ApplicationMode).toBe('INTERACTIVE');
    const z = p.ApplicationConfiguration.ZeppelinApplicationConfiguration;
    expect(JSON.stringify(z.CatalogConfiguration.GlueDataCatalogConfiguration.DatabaseARN)).toContain(':glue:eu-west-1:111111111111:database/clicks_db');
    expect(z.DeployAsApplicationConfiguration.S3ContentLocation).toEqual({ BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^NbBucket/), 'Arn'] }, BasePath: 'notebooks' });
    expect(z.MonitoringConfiguration).toEqual({ LogLevel: 'INFO' });
    expect(p.ApplicationConfiguration.FlinkApplicationConfiguration.ParallelismConfiguration).toEqual({ ConfigurationType: 'CUSTOM', Parallelism: 4, ParallelismPerKPU: 1, AutoScalingEnabled: true });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Glue::Database', { CatalogId: '111111111111', DatabaseInput: { Name: 'clicks_db' } });
    t.resourceCountIs('AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption', 1);
    expect(nb.capacityPlan.billedKpus).toBe(6);
    expect(infos(s)).toEqual([expect.stringContaining('+ 2 orchestration KPUs = 6 billed')]);
  });

  test('read access to the given streams, counted as shared-throughput consumers; KMS decrypt', () => {
    const s = stack();
    const clicks = new DataStream(s, 'Clicks', { encryption: kinesis.StreamEncryption.KMS });
    const nb = new StudioNotebook(s, 'Nb', { streams: [clicks] });
    expect(clicks.sharedThroughputConsumerCount).toBe(1);
    expect(nb.streams).toEqual([clicks]);
    const st = statements(s);
    expect(st).toContainEqual(expect.objectContaining({ Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords'] }));
    expect(st).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt' }));
    expect(st).toContainEqual(expect.objectContaining({ Sid: 'GlueDataCatalog', Action: expect.arrayContaining(['glue:GetTable', 'glue:CreateTable']) }));
    expect(st.flatMap((x) => [x.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
  });

  test('a bucket and prefix of yours, a runtime by name, a VPC', () => {
    const s = stack();
    const bucket = new s3.Bucket(s, 'Out');
    const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 1 });
    new StudioNotebook(s, 'Nb', { bucket, prefix: 'team/a/', runtime: StudioRuntime.of('ZEPPELIN-FLINK-4_0'), vpc, parallelism: 2, parallelismPerKpu: 2, autoScaling: false });
    // A runtime aws-cdk-lib's schema does not know yet passes through, and aws-cdk-lib's validation says so (W3030).
    const { result: p, output } = consoleErrorOf(() => appProps(s));
    expect(output).toMatch(/'ZEPPELIN-FLINK-4_0' is not one of[\s\S]*W3030/);
    expect(p.RuntimeEnvironment).toBe('ZEPPELIN-FLINK-4_0');
    expect(p.ApplicationConfiguration.ZeppelinApplicationConfiguration.DeployAsApplicationConfiguration.S3ContentLocation.BasePath).toBe('team/a');
    expect(p.ApplicationConfiguration.VpcConfigurations).toHaveLength(1);
    expect(consoleErrorOf(() => warnings(s)).result).toEqual([]);
  });

  test('alarms: downtime and full restarts only', () => {
    const s = stack();
    new StudioNotebook(s, 'Nb');
    Template.fromStack(s).resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('rules: database name, prefix, cross-Region streams, parallelism', () => {
    expect(() => new StudioNotebook(stack(), 'Nb', { databaseName: 'Clicks-DB' })).toThrow("S/Nb: databaseName may only contain lower-case letters, digits and underscores, got 'Clicks-DB'");
    expect(() => new StudioNotebook(stack(), 'Nb', { prefix: 'out' })).toThrow("S/Nb: prefix must not start with '/' and must end with '/', got 'out'");
    expect(() => new StudioNotebook(stack(), 'Nb', { parallelismPerKpu: 9 })).toThrow('S/Nb: parallelismPerKpu must be between 1 and 8, got 9');
    const s = stack();
    const remote = kinesis.Stream.fromStreamArn(s, 'Remote', 'arn:aws:kinesis:us-east-1:111111111111:stream/remote');
    expect(() => new StudioNotebook(s, 'Nb', { streams: [remote] })).toThrow(/S\/Nb: stream S\/Remote is in us-east-1 but the application runs in eu-west-1/);
  });
});
