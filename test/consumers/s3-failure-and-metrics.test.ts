import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { HANDLER_FILE, inlineFunction, stackWithStream, template } from './helpers';
import { ConsumerCode, FailureDestination, LambdaStreamConsumer, StreamConsumerOptions } from '../../src/consumers';
import { DataStream } from '../../src/streams/data-stream';
import { nagFindings } from '../support/nag';

function consumer(options: StreamConsumerOptions) {
  const { stack, stream } = stackWithStream();
  const c = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), ...options });
  return { stack, consumer: c, t: template(stack) };
}

describe('FailureDestination.s3() with the bucket it creates', () => {
  const { stack, consumer: c, t } = consumer({ onFailure: FailureDestination.s3() });
  const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(c.failureBucket!.node.defaultChild as never), 'Arn'] };
  const mappingRef = { Ref: stack.getLogicalId(c.eventSourceMapping.node.defaultChild as never) };

  test('the bucket is encrypted, versioned, private, owner-enforced, with lifecycle rules, and retained', () => {
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
            { Id: 'expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' },
          ],
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the bucket refuses requests without TLS', () => {
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the mapping sends failures to the bucket and produces EventCount metrics', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: bucketArn } },
      MetricsConfig: { Metrics: ['EventCount'] },
    });
    t.resourceCountIs('AWS::SQS::Queue', 0);
    expect(c.failureQueue).toBeUndefined();
    expect(c.failureTopic).toBeUndefined();
  });

  test('the role may put objects and list the bucket, and nothing more on it', () => {
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((s) => JSON.stringify(s.Resource).includes(stack.getLogicalId(c.failureBucket!.node.defaultChild as never)));
    const actions = statements.flatMap((s) => ([] as string[]).concat(s.Action)).sort();
    expect(actions).toEqual(['s3:ListBucket', 's3:PutObject']);
  });

  test('the failure alarm watches the records the mapping sent to the bucket, by mapping UUID', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OnFailureDestinationDeliveredEventCount',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'EventSourceMappingUUID', Value: mappingRef }],
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect((c.metricFailedBatches() as any).metricName).toBe('OnFailureDestinationDeliveredEventCount');
  });

  test('failed writes to the bucket are alarmed on the function\'s DestinationDeliveryFailures', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DestinationDeliveryFailures',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: stack.getLogicalId(c.function.node.defaultChild as never) } }],
      Threshold: 1,
      EvaluationPeriods: 1,
    });
    expect(c.failureDestinationDeliveryAlarm).toBeDefined();
  });

  test('dropped events have a metric of their own', () => {
    expect(stack.resolve(c.metricDroppedEvents().dimensions)).toEqual({ EventSourceMappingUUID: mappingRef });
    expect(c.metricDroppedEvents().metricName).toBe('DroppedEventCount');
  });
});

test('a bucket the user brings is used, and its key may be used to encrypt', () => {
  const { stack, stream } = stackWithStream();
  const key = new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Mine', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const c = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), onFailure: FailureDestination.s3(bucket) });
  const t = template(stack);
  expect(c.failureBucket).toBe(bucket);
  t.resourceCountIs('AWS::S3::Bucket', 1);
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as never), 'Arn'] } } } });
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kms:Encrypt', 'kms:GenerateDataKey*']), Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as never), 'Arn'] } })]) },
  });
});

describe('metricsConfig', () => {
  test('EventCount is passed to the mapping', () => {
    const { t } = consumer({ metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MetricsConfig: { Metrics: ['EventCount'] } });
  });

  test('without it and with a queue, the mapping produces no metrics of its own', () => {
    const { t } = consumer({});
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MetricsConfig: Match.absent() });
  });

  test('with an S3 destination and its alarm off, EventCount is not forced on, and only the delivery alarm remains', () => {
    const { t } = consumer({ onFailure: FailureDestination.s3(), alarms: { failureDestination: { enabled: false } } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MetricsConfig: Match.absent() });
    t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'OnFailureDestinationDeliveredEventCount' }, 0);
    t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'DestinationDeliveryFailures' }, 1);
  });

  test('with an S3 destination and an empty metrics list, EventCount is added for the alarm', () => {
    const { t } = consumer({ onFailure: FailureDestination.s3(), metricsConfig: { metrics: [] } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { MetricsConfig: { Metrics: ['EventCount'] } });
  });

  test('a queue or topic destination gets no delivery-failure alarm (its depth already tells)', () => {
    const { t } = consumer({});
    t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'DestinationDeliveryFailures' }, 0);
  });

  test.each<[string, StreamConsumerOptions, string]>([
    ['the Kafka-only ErrorCount group', { metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT, lambda.MetricType.ERROR_COUNT] } },
      'Stack/Consumer: metricsConfig.metrics may only hold EventCount for a Kinesis event source mapping, got ErrorCount: the ErrorCount and KafkaMetrics groups are produced for Amazon MSK and self-managed Kafka sources only'],
    ['the Kafka-only KafkaMetrics group', { metricsConfig: { metrics: [lambda.MetricType.KAFKA_METRICS] } },
      'Stack/Consumer: metricsConfig.metrics may only hold EventCount for a Kinesis event source mapping, got KafkaMetrics'],
    ['a repeated group', { metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT, lambda.MetricType.EVENT_COUNT] } },
      'Stack/Consumer: metricsConfig.metrics must not repeat a metric group, got EventCount, EventCount'],
  ])('refuses %s', (_rule, options, message) => {
    expect(() => consumer(options)).toThrow(message);
  });
});

test('cdk-nag: the failure bucket the construct creates is clean', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Nag');
    const stream = new DataStream(stack, 'Stream', {});
    new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE), onFailure: FailureDestination.s3() });
  });
  expect(findings.sort()).toEqual([]);
});
