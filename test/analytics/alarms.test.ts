import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { flinkApp, stack } from './support';
import { DataStream } from '../../src';

describe('FlinkApplication alarms', () => {
  test('by default: downtime, full restarts, failed checkpoints, checkpoint duration against the interval', () => {
    const s = stack();
    const app = flinkApp(s, { checkpointInterval: Duration.seconds(30) });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'downtime',
      Namespace: 'AWS/KinesisAnalytics',
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      Dimensions: [{ Name: 'Application', Value: { Ref: Match.stringLikeRegexp('^App') } }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      EvaluationPeriods: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'DIFF(m)' }), Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'fullRestarts' }) }) })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'numberOfFailedCheckpoints' }) }) })]),
    });
    // 80% of the 30 s interval.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'lastCheckpointDuration', Threshold: 24000, ComparisonOperator: 'GreaterThanThreshold' });
    expect(app.checkpointDurationAlarm).toBeDefined();
  });

  test('millisBehindLatest per source, against half the source stream retention; share tunable', () => {
    const s = stack();
    const app = flinkApp(s, { alarms: { millisBehindLatest: { maxShareOfRetention: 0.25 } } });
    app.addSource(new DataStream(s, 'Orders', { retentionPeriod: Duration.hours(48) }));
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'millisBehindLatest',
      Threshold: 48 * 3_600_000 * 0.25,
      Statistic: 'Maximum',
      Dimensions: Match.arrayWith([{ Name: 'Flow', Value: 'Input' }, { Name: 'Id', Value: { Ref: Match.stringLikeRegexp('^Orders') } }]),
    });
    expect(app.millisBehindLatestAlarms).toHaveLength(1);
  });

  test('no checkpoint alarms without checkpointing; all off with enabled: false; one off by its settings', () => {
    const s1 = stack();
    flinkApp(s1, { checkpointing: false, production: false });
    Template.fromStack(s1).resourceCountIs('AWS::CloudWatch::Alarm', 2);
    const s2 = stack();
    flinkApp(s2, { alarms: { enabled: false } }).addSource(new DataStream(s2, 'In', { alarms: { enabled: false } }));
    Template.fromStack(s2).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const s3 = stack();
    const app = flinkApp(s3, { alarms: { downtime: { enabled: false } } });
    expect(app.downtimeAlarm).toBeUndefined();
    Template.fromStack(s3).resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  test('actions run on alarm and on recovery', () => {
    const s = stack();
    const topic = new sns.Topic(s, 'Ops');
    flinkApp(s, { alarms: { actions: [new actions.SnsAction(topic)] } });
    const alarms = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms.every((a) => a.Properties.AlarmActions?.length === 1 && a.Properties.OKActions?.length === 1)).toBe(true);
  });

  test('metric methods carry the application dimension', () => {
    const s = stack();
    const app = flinkApp(s);
    for (const m of [app.metricKpus(), app.metricCpuUtilization(), app.metricHeapMemoryUtilization(), app.metricUptime(), app.metricLastCheckpointSize()]) {
      expect(m.namespace).toBe('AWS/KinesisAnalytics');
      expect(Object.keys(m.dimensions!)).toEqual(['Application']);
    }
    expect(app.metricKpus().statistic).toBe(cloudwatch.Stats.AVERAGE);
  });

  test('grantStartStop grants exactly the three actions on the application', () => {
    const s = stack();
    const app = flinkApp(s);
    const role = new iam.Role(s, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
    app.grantStartStop(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Ops') }],
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: ['kinesisanalytics:StartApplication', 'kinesisanalytics:StopApplication', 'kinesisanalytics:DescribeApplication'],
          Resource: { 'Fn::Join': ['', Match.arrayWith([':kinesisanalytics:eu-west-1:111111111111:application/'])] },
        })],
      },
    });
  });
});
