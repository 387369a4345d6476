import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmTopic, DataStream, RouteAlarms } from '../../src';
import { nagFindings } from '../support/nag';

describe('AlarmTopic', () => {
  const stack = new Stack(new App(), 'Stack');
  const stream = new DataStream(stack, 'Stream', { shardCount: 2 });
  const topic = new AlarmTopic(stack, 'Alarms', { emailAddresses: ['oncall@example.com'] });
  topic.routeAlarmsOf(stack);
  // An alarm added after routing is routed too: the aspect runs at synthesis.
  new cloudwatch.Alarm(stack, 'Late', { metric: stream.metricIncomingBytes(), threshold: 1, evaluationPeriods: 1 });
  const t = Template.fromStack(stack);
  const topicRef = { Ref: stack.getLogicalId(topic.topic.node.defaultChild as sns.CfnTopic) };

  test('is encrypted with a rotated customer managed key that CloudWatch may use', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchAlarmsToPublish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        })]),
      },
    });
  });

  test('refuses publishing without TLS and subscribes the given addresses', () => {
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('every alarm of the stack, the stream\'s and one added later, notifies the topic when it fires and recovers', () => {
    const alarms = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([topicRef]);
      expect(a.Properties.OKActions).toEqual([topicRef]);
    }
  });

  test('is cdk-nag clean', () => {
    expect(nagFindings((app) => {
      const s = new Stack(app, 'Nag');
      new AlarmTopic(s, 'Alarms').routeAlarmsOf(s);
    })).toEqual([]);
  });
});

describe('RouteAlarms', () => {
  test('adds the user\'s actions once, even when visited twice', () => {
    const stack = new Stack(new App(), 'R');
    const target = new sns.Topic(stack, 'Mine');
    const alarm = new cloudwatch.Alarm(stack, 'A', {
      metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1,
    });
    const aspect = new RouteAlarms([new cloudwatchActions.SnsAction(target)]);
    aspect.visit(alarm);
    Aspects.of(stack).add(aspect);
    const props = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    expect(Object.values<any>(props)[0].Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(target.node.defaultChild as sns.CfnTopic) }]);
  });
});
