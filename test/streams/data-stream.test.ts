import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CapacityLimit, DataStream } from '../../src';

let n = 0;
function stack(region?: string): Stack {
  return new Stack(new App(), `S${n++}`, region ? { env: { region, account: '123456789012' } } : undefined);
}

describe('DataStream capacity', () => {
  test('with no capacity given, the stream is on-demand', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
      RetentionPeriodHours: 24,
    });
    expect(ds.streamMode).toBe(kinesis.StreamMode.ON_DEMAND);
    expect(ds.shardCount).toBeUndefined();
    expect(ds.capacityPlan).toBeUndefined();
  });

  test('a shard count makes a provisioned stream', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream', { shardCount: 3 });
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 3, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
    expect(ds.shardCount).toBe(3);
  });

  test('declared throughput plans the shard count and reports the plan as info in synth output', () => {
    const s = stack();
    const ds = new DataStream(s, 'Clicks', { throughput: { recordsPerSecond: 2000, averageRecordSize: Size.kibibytes(2) } });
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 5, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
    expect(ds.capacityPlan!.decidingLimit).toBe(CapacityLimit.WRITE_BYTES);
    const infos = Annotations.fromStack(s).findInfo('/S' + (n - 1) + '/Clicks', Match.stringLikeRegexp('Capacity plan \\(PROVISIONED\\): 5 shards, decided by WRITE_BYTES'));
    expect(infos).toHaveLength(1);
  });

  test('declared throughput with on-demand mode plans no shards but warns about ramp-up', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream', { streamMode: kinesis.StreamMode.ON_DEMAND, throughput: { recordsPerSecond: 10_000, averageRecordSize: Size.kibibytes(1) } });
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: Match.absent(), StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    expect(ds.capacityPlan!.streamMode).toBe(kinesis.StreamMode.ON_DEMAND);
    Annotations.fromStack(s).hasWarning('*', Match.stringLikeRegexp('a new on-demand stream starts with'));
  });

  test('warm throughput and the maximum record size are set on the L1', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream', { warmThroughputMiBps: 50, maxRecordSize: Size.mebibytes(5) });
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { WarmThroughputMiBps: 50, MaxRecordSizeInKiB: 5120 });
    expect(ds.maxRecordSizeBytes).toBe(5 * 1024 * 1024);
    expect(ds.putRecordsRequestBytes).toBe(5 * 1024 * 1024);
  });

  test('a 10 MiB record size raises the PutRecords request size to fit one record', () => {
    const ds = new DataStream(stack(), 'Stream', { maxRecordSize: Size.mebibytes(10) });
    expect(ds.putRecordsRequestBytes).toBe(10 * 1024 * 1024);
  });

  test('the default maximum record size is left to the service', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { MaxRecordSizeInKiB: Match.absent(), WarmThroughputMiBps: Match.absent() });
    expect(ds.maxRecordSizeBytes).toBe(1024 * 1024);
  });

  test('retention is set in hours', () => {
    const s = stack();
    new DataStream(s, 'Stream', { retentionPeriod: Duration.days(365) });
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 8760 });
  });
});

describe('DataStream encryption and grants', () => {
  test('encrypted with the AWS-managed key by default', () => {
    const s = stack();
    new DataStream(s, 'Stream');
    Template.fromStack(s).hasResourceProperties('AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } });
  });

  test('in a China Region, the default keeps aws-cdk-lib\'s condition (no encryption where the Region lacks it)', () => {
    const s = stack('cn-north-1');
    new DataStream(s, 'Stream');
    expect(JSON.stringify(Template.fromStack(s).findResources('AWS::Kinesis::Stream'))).toContain('AwsCdkKinesisEncryptedStreamsUnsupportedRegions');
  });

  test('a customer key encrypts the stream, and grants include the key', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    const ds = new DataStream(s, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    ds.grantWrite(role);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['kinesis:PutRecord', 'kinesis:PutRecords']) }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Encrypt', 'kms:GenerateDataKey*']) }),
        ]),
      },
    });
  });

  test('a key the stream creates for KMS encryption rotates', () => {
    const s = stack();
    new DataStream(s, 'Stream', { encryption: kinesis.StreamEncryption.KMS });
    Template.fromStack(s).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('read grants cover GetRecords and the key', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream', { encryption: kinesis.StreamEncryption.KMS });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    ds.grantRead(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kinesis:GetRecords', 'kinesis:GetShardIterator']) }), Match.objectLike({ Action: 'kms:Decrypt' })]) },
    });
  });

  test('an unencrypted stream is a warning', () => {
    const s = stack();
    new DataStream(s, 'Stream', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
    Annotations.fromStack(s).hasWarning('*', Match.stringLikeRegexp('not encrypted at rest'));
  });
});

describe('DataStream consumers', () => {
  test('enhanced fan-out consumers are registered through the construct', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    const c = ds.addEnhancedFanOutConsumer('Analytics', { consumerName: 'analytics' });
    ds.addEnhancedFanOutConsumer('Other');
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Kinesis::StreamConsumer', 2);
    t.hasResourceProperties('AWS::Kinesis::StreamConsumer', { ConsumerName: 'analytics', StreamARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('Stream'), 'Arn'] } });
    expect(c.stream).toBe(ds);
    expect(ds.enhancedFanOutConsumers).toHaveLength(2);
  });

  test('registering more consumers than declared is a warning', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream', { throughput: { recordsPerSecond: 100, averageRecordSize: Size.kibibytes(1), sharedThroughputConsumers: 1 } });
    ds.registerSharedThroughputConsumer(new Construct(s, 'A'));
    ds.registerSharedThroughputConsumer(new Construct(s, 'B'));
    ds.addEnhancedFanOutConsumer('E');
    const a = Annotations.fromStack(s);
    a.hasWarning('*', Match.stringLikeRegexp('2 shared-throughput consumers read this stream but throughput declares 1 \\(the latest: S\\d+/B\\)'));
    a.hasWarning('*', Match.stringLikeRegexp('1 enhanced fan-out consumers are registered but throughput declares 0'));
    expect(ds.sharedThroughputConsumerCount).toBe(2);
  });

  test('registering the same consumer twice counts once', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    const c = new Construct(s, 'A');
    ds.registerSharedThroughputConsumer(c);
    ds.registerSharedThroughputConsumer(c);
    expect(ds.sharedThroughputConsumerCount).toBe(1);
  });

  test('more than 5 shared consumers oversubscribe GetRecords', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    for (let i = 0; i < 6; i++) ds.registerSharedThroughputConsumer(new Construct(s, `C${i}`));
    Annotations.fromStack(s).hasWarning('*', Match.stringLikeRegexp('6 shared-throughput consumers read this stream, but a shard serves 5 GetRecords calls/s'));
  });

  test('isDataStream tells a DataStream from a plain Stream', () => {
    const s = stack();
    expect(DataStream.isDataStream(new DataStream(s, 'A'))).toBe(true);
    expect(DataStream.isDataStream(new kinesis.Stream(s, 'B'))).toBe(false);
    expect(DataStream.isDataStream(undefined)).toBe(false);
  });
});

describe('DataStream alarms', () => {
  test('three alarms by default, each on this stream', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Statistic: 'Maximum',
      Threshold: 3_600_000,
      Dimensions: [{ Name: 'StreamName', Value: { Ref: Match.stringLikeRegexp('Stream') } }],
    });
    for (const metric of ['WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 1,
        Metrics: Match.arrayWith([Match.objectLike({
          MetricStat: { Metric: { MetricName: metric, Namespace: 'AWS/Kinesis', Dimensions: [{ Name: 'StreamName', Value: { Ref: Match.stringLikeRegexp('Stream') } }] }, Period: 60, Stat: 'Average' },
        })]),
      });
    }
    expect(ds.iteratorAgeAlarm).toBeDefined();
    expect(ds.writeThrottlingAlarm).toBeDefined();
    expect(ds.readThrottlingAlarm).toBeDefined();
  });

  test('the iterator age threshold comes from the retention period when that is short', () => {
    // 24 h retention: 1 h threshold. The default can never reach the retention period.
    const s = stack();
    new DataStream(s, 'Stream', { alarms: { iteratorAge: { threshold: Duration.hours(12) } } });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'GetRecords.IteratorAgeMilliseconds', Threshold: 12 * 3_600_000 });
  });

  test('alarms can be turned off all at once or one by one, and tuned', () => {
    const off = stack();
    new DataStream(off, 'Stream', { alarms: { enabled: false } });
    Template.fromStack(off).resourceCountIs('AWS::CloudWatch::Alarm', 0);

    const some = stack();
    const ds = new DataStream(some, 'Stream', { alarms: { readThrottling: { enabled: false }, writeThrottling: { thresholdPercent: 5, evaluationPeriods: 3, datapointsToAlarm: 2, period: Duration.minutes(5) } } });
    const t = Template.fromStack(some);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    expect(ds.readThrottlingAlarm).toBeUndefined();
  });

  test('alarm actions are added to every alarm, for alarm and OK', () => {
    const s = stack();
    const topic = new sns.Topic(s, 'Topic');
    const action = { bind: () => ({ alarmActionArn: topic.topicArn }) } as cloudwatch.IAlarmAction;
    new DataStream(s, 'Stream', { alarms: { actions: [action] } });
    const alarms = Template.fromStack(s).findResources('AWS::CloudWatch::Alarm');
    for (const alarm of Object.values<any>(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
    }
  });
});

describe('DataStream rules', () => {
  const s = stack();
  let i = 0;
  const make = (props: any, st: Stack = s) => () => new DataStream(st, `Rule${i++}`, props);

  test.each([
    ['a shard count below 1', { shardCount: 0 }, /shardCount must be between 1 and 500, got 0. The account shard quota here is 500/],
    ['a shard count above the account quota', { shardCount: 501 }, /shardCount must be between 1 and 500, got 501/],
    ['a fractional shard count', { shardCount: 1.5 }, /shardCount must be a whole number, got 1.5/],
    ['a shard count with on-demand mode', { shardCount: 2, streamMode: kinesis.StreamMode.ON_DEMAND }, /shardCount \(2\) cannot be given with on-demand mode/],
    ['a shard count with throughput', { shardCount: 2, throughput: { recordsPerSecond: 1, averageRecordSize: Size.bytes(1) } }, /shardCount and throughput cannot be given together/],
    ['retention below 24 hours', { retentionPeriod: Duration.hours(23) }, /retentionPeriod must be between 24 and 8760 hours, got 23 hours/],
    ['retention above 365 days', { retentionPeriod: Duration.days(366) }, /retentionPeriod must be between 24 and 8760 hours, got 8784 hours/],
    ['retention in part hours', { retentionPeriod: Duration.minutes(24 * 60 + 30) }, /retentionPeriod must be a whole number of hours, got 24.5 hours/],
    ['a maximum record size below 1 MiB', { maxRecordSize: Size.kibibytes(512) }, /maxRecordSize must be between 1024 and 10240 KiB, got 512 KiB/],
    ['a maximum record size above 10 MiB', { maxRecordSize: Size.mebibytes(11) }, /maxRecordSize must be between 1024 and 10240 KiB, got 11264 KiB/],
    ['a maximum record size in part KiB', { maxRecordSize: Size.bytes(1024 * 1024 + 1) }, /maxRecordSize must be a whole number of KiB, got 1048577 bytes/],
    ['warm throughput on a provisioned stream', { shardCount: 1, warmThroughputMiBps: 10 }, /warmThroughputMiBps \(10\) is only for on-demand streams/],
    ['warm throughput above 10 GiB/s', { warmThroughputMiBps: 10241 }, /warmThroughputMiBps must be between 1 and 10240 MiB\/s, got 10241 MiB\/s/],
    ['warm throughput of 0', { warmThroughputMiBps: 0 }, /warmThroughputMiBps must be between 1 and 10240/],
    ['a fractional warm throughput', { warmThroughputMiBps: 2.5 }, /warmThroughputMiBps must be a whole number, got 2.5/],
    ['a stream name with bad characters', { streamName: 'my stream' }, /streamName may only contain letters, digits, underscores, periods and hyphens, got 'my stream'/],
    ['a stream name over 128 characters', { streamName: 'a'.repeat(129) }, /streamName must be 1 to 128 characters, got 129/],
    ['a key with managed encryption', { encryption: kinesis.StreamEncryption.MANAGED, encryptionKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:123456789012:key/abc') }, /encryptionKey is given, so encryption must be StreamEncryption.KMS, got MANAGED/],
    ['an account shard quota below 1', { accountShardQuota: 0 }, /accountShardQuota must be between 1 and/],
    ['an iterator age threshold at or beyond retention', { alarms: { iteratorAge: { threshold: Duration.hours(24) } } }, /alarms.iteratorAge.threshold must be above 0 and shorter than the retention period of 24 hours .* got 1 day/],
    ['datapoints to alarm above evaluation periods', { alarms: { writeThrottling: { evaluationPeriods: 2, datapointsToAlarm: 3 } } }, /alarms.writeThrottling.datapointsToAlarm must be between 1 and 2, got 3. It cannot exceed evaluationPeriods/],
    ['zero evaluation periods', { alarms: { readThrottling: { evaluationPeriods: 0 } } }, /alarms.readThrottling.evaluationPeriods must be between 1 and 100, got 0/],
    ['an alarm period CloudWatch does not take', { alarms: { iteratorAge: { period: Duration.seconds(45) } } }, /alarms.iteratorAge.period must be 10 or 30 seconds or a whole number of minutes \(what a CloudWatch alarm accepts\), got 45 seconds/],
    ['a throttling threshold above 100%', { alarms: { writeThrottling: { thresholdPercent: 101 } } }, /alarms.writeThrottling.thresholdPercent must be between 0 and 100 %, got 101 %/],
  ])('rejects %s', (_what, props, message) => {
    expect(make(props)).toThrow(message);
  });

  test('every message starts with the construct path', () => {
    expect(make({ shardCount: 0 })).toThrow(new RegExp(`^${s.node.path}/Rule\\d+: `));
  });

  test('the shard quota is 200 in Regions other than the three large ones, and can be raised', () => {
    const tokyo = stack('ap-northeast-1');
    expect(make({ shardCount: 201 }, tokyo)).toThrow(/shardCount must be between 1 and 200, got 201. The account shard quota here is 200/);
    expect(make({ shardCount: 201, accountShardQuota: 1000 }, tokyo)).not.toThrow();
    expect(make({ shardCount: 500 }, stack('eu-west-1'))).not.toThrow();
  });

  test('a 21st enhanced fan-out consumer is rejected', () => {
    const st = stack();
    const ds = new DataStream(st, 'Stream');
    for (let c = 0; c < 20; c++) ds.addEnhancedFanOutConsumer(`C${c}`);
    expect(() => ds.addEnhancedFanOutConsumer('C20')).toThrow(/Stream\/C20: cannot register enhanced fan-out consumer number 21: a stream has at most 20/);
  });

  test('a consumer name with bad characters is rejected', () => {
    const ds = new DataStream(stack(), 'Stream');
    expect(() => ds.addEnhancedFanOutConsumer('C', { consumerName: 'a/b' })).toThrow(/Stream\/C: consumerName may only contain letters, digits, underscores, periods and hyphens, got 'a\/b'/);
  });
});

describe('DataStream write utilization', () => {
  test('a provisioned stream alarms at 80% of its shards\' write capacity, bytes or records', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream', { shardCount: 4 });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 80,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: `100 * MAX([bytes / ${60 * 4 * 1048576}, records / ${60 * 4 * 1000}])` }),
        Match.objectLike({ Id: 'bytes', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'IncomingBytes' }), Stat: 'Sum' }) }),
        Match.objectLike({ Id: 'records', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'IncomingRecords' }), Stat: 'Sum' }) }),
      ]),
    });
    expect(ds.writeUtilizationAlarm).toBeDefined();
  });

  test('the capacity follows the period', () => {
    const s = stack();
    new DataStream(s, 'Stream', { shardCount: 2, alarms: { writeUtilization: { period: Duration.minutes(5), thresholdPercent: 90 } } });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 90,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: `100 * MAX([bytes / ${300 * 2 * 1048576}, records / ${300 * 2 * 1000}])` })]),
    });
  });

  test('an on-demand stream has no utilization alarm, and asking for the metric is an error', () => {
    const s = stack();
    const ds = new DataStream(s, 'Stream');
    Template.fromStack(s).resourceCountIs('AWS::CloudWatch::Alarm', 3);
    expect(ds.writeUtilizationAlarm).toBeUndefined();
    expect(() => ds.metricWriteUtilization()).toThrow(/Stream: metricWriteUtilization is only for provisioned streams/);
  });

  test('rejects a utilization threshold above 100%', () => {
    expect(() => new DataStream(stack(), 'Stream', { shardCount: 1, alarms: { writeUtilization: { thresholdPercent: 120 } } }))
      .toThrow(/alarms.writeUtilization.thresholdPercent must be between 1 and 100 %, got 120 %/);
  });
});
