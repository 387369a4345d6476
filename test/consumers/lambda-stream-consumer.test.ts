import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { HANDLER_FILE, inlineFunction, stackWithStream, template, warningsOf } from './helpers';
import { ConsumerCode, FailureDestination, LambdaStreamConsumer, StreamReadMode } from '../../src/consumers';
import { DataStream } from '../../src/streams/data-stream';

describe('event source mapping defaults', () => {
  const { stack, stream } = stackWithStream();
  const consumer = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)) });
  const t = template(stack);

  test('safe defaults, unlike Lambda\'s: partial batch responses, bisection, bounded retries and record age', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(stream.node.defaultChild as never), 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      Enabled: true,
    });
    expect(consumer.retryAttempts).toBe(5);
    expect(consumer.maxRecordAge.toSeconds()).toBe(86400);
  });

  test('an encrypted, TLS-only failure queue keeping messages 14 days is the on-failure destination', () => {
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [stack.getLogicalId(consumer.failureQueue!.node.defaultChild as never), 'Arn'] } } },
    });
    expect(consumer.failureTopic).toBeUndefined();
  });

  test('the function may read the stream and send to the failure queue', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['kinesis:GetRecords', 'kinesis:GetShardIterator']), Effect: 'Allow' }),
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Effect: 'Allow' }),
        ]),
      },
    });
  });

  test('alarms name their resource: iterator age and errors and throttles of the function, messages of the queue', () => {
    const fnRef = { Ref: stack.getLogicalId(consumer.function.node.defaultChild as never) };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Statistic: 'Maximum', Dimensions: [{ Name: 'FunctionName', Value: fnRef }] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fnRef }], Threshold: 1, EvaluationPeriods: 1 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: fnRef }], EvaluationPeriods: 5 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(consumer.failureQueue!.node.defaultChild as never), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test('metric helpers name the function and the failure queue', () => {
    const fnName = stack.resolve(consumer.function.functionName);
    expect(stack.resolve((consumer.metricIteratorAge() as any).dimensions)).toEqual({ FunctionName: fnName });
    expect(consumer.metricIteratorAge().statistic).toBe('Maximum');
    expect(stack.resolve((consumer.metricFailedBatches() as any).dimensions)).toEqual({ QueueName: stack.resolve(consumer.failureQueue!.queueName) });
  });

  test('the iterator age threshold comes from the settings: (retries + 1) × (timeout + batching window), at least a minute', () => {
    // Inline function: 3 s timeout (Lambda's default); 6 attempts × 3 s = 18 s, so the 1-minute floor applies.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 60_000 });
  });
});

test('the iterator age threshold follows timeout, batching window and retries, capped at half the record age', () => {
  const { stack, stream } = stackWithStream();
  const slow = new lambda.Function(stack, 'Slow', {
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    timeout: Duration.minutes(2),
  });
  new LambdaStreamConsumer(stack, 'A', { stream, code: ConsumerCode.fromFunction(slow), retryAttempts: 2, maxBatchingWindow: Duration.seconds(30) });
  new LambdaStreamConsumer(stack, 'B', { stream, code: ConsumerCode.fromFunction(slow), retryAttempts: 100, maxRecordAge: Duration.hours(1) });
  const t = template(stack);
  t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 3 * 150 * 1000 });
  t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 1800 * 1000 });
});

test('every mapping setting is passed through', () => {
  const { stack, stream } = stackWithStream();
  new LambdaStreamConsumer(stack, 'Consumer', {
    stream,
    code: ConsumerCode.fromFunction(inlineFunction(stack)),
    startingPosition: lambda.StartingPosition.AT_TIMESTAMP,
    startingPositionTimestamp: 1_700_000_000,
    batchSize: 10_000,
    maxBatchingWindow: Duration.seconds(300),
    parallelizationFactor: 10,
    aggregatedRecords: false,
    retryAttempts: 0,
    maxRecordAge: Duration.seconds(60),
    bisectBatchOnError: false,
    filters: [lambda.FilterCriteria.filter({ data: { type: lambda.FilterRule.isEqual('click') } })],
    tumblingWindow: Duration.seconds(900),
    enabled: false,
    alarms: { enabled: false },
  });
  const t = template(stack);
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    StartingPosition: 'AT_TIMESTAMP',
    StartingPositionTimestamp: 1_700_000_000,
    BatchSize: 10_000,
    MaximumBatchingWindowInSeconds: 300,
    ParallelizationFactor: 10,
    MaximumRetryAttempts: 0,
    MaximumRecordAgeInSeconds: 60,
    BisectBatchOnFunctionError: false,
    FilterCriteria: { Filters: [{ Pattern: '{"data":{"type":["click"]}}' }] },
    TumblingWindowInSeconds: 900,
    Enabled: false,
  });
  t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
});

test('an SNS failure destination is granted, wired and alarmed by topic name', () => {
  const { stack, stream } = stackWithStream();
  const topic = new sns.Topic(stack, 'Failures', { enforceSSL: true });
  const consumer = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), onFailure: FailureDestination.sns(topic) });
  const t = template(stack);
  const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as never) };
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { DestinationConfig: { OnFailure: { Destination: topicRef } } });
  t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NumberOfMessagesPublished', Namespace: 'AWS/SNS', Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [stack.getLogicalId(topic.node.defaultChild as never), 'TopicName'] } }] });
  t.resourceCountIs('AWS::SQS::Queue', 0);
  expect(consumer.failureTopic).toBe(topic);
});

test('enhanced fan-out registers a stream consumer and maps the function to it', () => {
  const { stack, stream } = stackWithStream();
  const consumer = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), readMode: StreamReadMode.enhancedFanOut('clicks-to-lambda') });
  const t = template(stack);
  t.hasResourceProperties('AWS::Kinesis::StreamConsumer', { ConsumerName: 'clicks-to-lambda' });
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(consumer.streamConsumer!.node.defaultChild as never), 'ConsumerARN'] } });
  const consumerArn = { 'Fn::GetAtt': [stack.getLogicalId(consumer.streamConsumer!.node.defaultChild as never), 'ConsumerARN'] };
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kinesis:SubscribeToShard']), Resource: consumerArn })]) },
  });
});

test('on a DataStream, enhanced fan-out goes through the stream, and shared readers are counted by it', () => {
  const { stack } = stackWithStream();
  const stream = new DataStream(stack, 'Data', { shardCount: 1 });
  new LambdaStreamConsumer(stack, 'Fan', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack, 'F1')), readMode: StreamReadMode.enhancedFanOut() });
  for (let i = 0; i < 6; i++) new LambdaStreamConsumer(stack, `Shared${i}`, { stream, code: ConsumerCode.fromFunction(inlineFunction(stack, `S${i}`)) });
  expect(stream.enhancedFanOutConsumers).toHaveLength(1);
  expect(stream.sharedThroughputConsumerCount).toBe(6);
  expect(warningsOf(stack).some((w) => w.includes('6 shared-throughput consumers read this stream'))).toBe(true);
});

test('on a DataStream, the maximum record age defaults to its retention (7 days at most)', () => {
  const { stack } = stackWithStream();
  const stream = new DataStream(stack, 'Data', { shardCount: 1, retentionPeriod: Duration.hours(48) });
  const consumer = new LambdaStreamConsumer(stack, 'C', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)) });
  expect(consumer.maxRecordAge.toHours()).toBe(48);
});

test('on a plain stream, more shared readers than a shard carries are warned about', () => {
  const { stack, stream } = stackWithStream();
  for (let i = 0; i < 6; i++) new LambdaStreamConsumer(stack, `C${i}`, { stream, code: ConsumerCode.fromFunction(inlineFunction(stack, `F${i}`)) });
  const warnings = warningsOf(stack);
  expect(warnings.find((w) => w.includes('3 shared-throughput consumers read Stack/Stream'))).toMatch(/2 MiB\/s to all of them together.*at most 2 keep up/);
  expect(warnings.find((w) => w.includes('6 shared-throughput consumers read Stack/Stream'))).toMatch(/5 GetRecords calls\/s.*throttled/);
});

test('idempotency creates a checkpoint table the function may use, and hands it to the runtime', () => {
  const { stack, stream } = stackWithStream();
  const consumer = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), idempotency: true, strict: true, keyConcurrency: 4 });
  const t = template(stack);
  t.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
  t.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: {
        CONSUMER_CHECKPOINT_TABLE: { Ref: stack.getLogicalId(consumer.checkpointTable!.node.defaultChild as never) },
        CONSUMER_CHECKPOINT_TTL_SECONDS: String(86400 + 86400),
        CONSUMER_STRICT: 'true',
        CONSUMER_KEY_CONCURRENCY: '4',
      },
    },
  });
  t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']) })]) } });
});

test('a function the construct cannot configure gets a warning naming the variables to set', () => {
  const { stack, stream } = stackWithStream();
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/existing');
  const imported = lambda.Function.fromFunctionAttributes(stack, 'Imported', { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:existing', role });
  new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(imported), strict: true });
  expect(warningsOf(stack).some((w) => w.includes('set CONSUMER_STRICT on it yourself (values: CONSUMER_STRICT=true)'))).toBe(true);
});

test('a function without a known role is refused with the way to import it', () => {
  const { stack, stream } = stackWithStream();
  const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:123456789012:function:existing');
  expect(() => new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(imported) }))
    .toThrow('Stack/Consumer: the function Stack/Imported has no known role, so it cannot be granted reads of the stream and sends to the failure destination: import it with lambda.Function.fromFunctionAttributes({ functionArn, role })');
});

test('a handler file is bundled with the runtime onto the library\'s Node.js runtime', () => {
  const { stack, stream } = stackWithStream();
  const consumer = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE, { memorySize: 1024, timeout: Duration.seconds(30) }) });
  const t = template(stack);
  t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', MemorySize: 1024, Timeout: 30, Architectures: ['arm64'] });
  expect(consumer.function).toBeInstanceOf(lambda.Function);
  // 6 attempts × 30 s = 180 s
  t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 180_000 });
});
