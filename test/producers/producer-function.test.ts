import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataStream, PartitionKey, ProducerFunction } from '../../src';
import { nagFindings } from '../support/nag';

let n = 0;
function setup(streamProps: any = {}) {
  const stack = new Stack(new App(), `P${n++}`);
  const stream = new DataStream(stack, 'Stream', streamProps);
  return { stack, stream };
}

function env(stack: Stack): Record<string, unknown> {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const producer = Object.values<any>(fns).find((f) => f.Properties.Environment?.Variables?.STREAM_ARN);
  return producer.Properties.Environment.Variables;
}

describe('ProducerFunction', () => {
  test('runs the bundled handler with the stream, key path and defaults in its environment', () => {
    const { stack, stream } = setup();
    new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.fromField('device.id') });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 30,
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
    expect(env(stack)).toEqual({
      STREAM_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^Stream/), 'Arn'] },
      PARTITION_KEY_PATH: 'device.id',
      AGGREGATION_ENABLED: 'false',
      BUFFER_TIME_MS: '100',
      MAX_RECORD_SIZE_KIB: '1024',
      FAILURE_QUEUE_URL: { Ref: expect.stringMatching(/^ProducerFailureQueue/) },
    });
  });

  test('random keys leave the key path unset', () => {
    const { stack, stream } = setup();
    new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.random() });
    expect(env(stack).PARTITION_KEY_PATH).toBeUndefined();
  });

  test('tuning reaches the handler', () => {
    const { stack, stream } = setup({ maxRecordSize: Size.mebibytes(4) });
    new ProducerFunction(stack, 'Producer', {
      stream,
      partitionKey: PartitionKey.fromField('userId'),
      aggregation: true,
      bufferTime: Duration.millis(250),
      maxBufferedRecords: 2000,
      rateLimitPercent: 80,
      maxAttempts: 5,
    });
    expect(env(stack)).toMatchObject({
      AGGREGATION_ENABLED: 'true', BUFFER_TIME_MS: '250', MAX_BUFFERED_RECORDS: '2000', RATE_LIMIT_PERCENT: '80', MAX_ATTEMPTS: '5', MAX_RECORD_SIZE_KIB: '4096',
    });
  });

  test('a plain Stream gets the default 1 MiB record size unless told', () => {
    const stack = new Stack(new App(), 'Plain');
    const stream = new kinesis.Stream(stack, 'Stream');
    new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.random(), maxRecordSize: Size.mebibytes(2) });
    expect(env(stack).MAX_RECORD_SIZE_KIB).toBe('2048');
  });

  test('may write to the stream (PutRecords, ListShards for the shard map) and send to its failure queue, nothing more', () => {
    const { stack, stream } = setup({ encryption: kinesis.StreamEncryption.KMS });
    new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.random() });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Stream'), 'Arn'] } }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Encrypt', 'kms:GenerateDataKey*']) }),
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProducerFailureQueue'), 'Arn'] } }),
        ]),
      },
    });
    t.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  test('the failure queue is encrypted, TLS only and keeps messages 14 days; a queue can be brought', () => {
    const { stack, stream } = setup();
    new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.random() });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600, MaximumMessageSize: 1_048_576 });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });

    const other = setup();
    const queue = new sqs.Queue(other.stack, 'Mine');
    const p = new ProducerFunction(other.stack, 'Producer', { stream: other.stream, partitionKey: PartitionKey.random(), failureQueue: queue });
    expect(p.failureQueue).toBe(queue);
    Template.fromStack(other.stack).resourceCountIs('AWS::SQS::Queue', 1);
  });

  test('a brought queue that refuses the largest failure messages is a warning naming both paths, the size and the limit', () => {
    const small = setup();
    const queue = new sqs.Queue(small.stack, 'Legacy', { maxMessageSizeBytes: 262_144 });
    new ProducerFunction(small.stack, 'Producer', { stream: small.stream, partitionKey: PartitionKey.random(), failureQueue: queue });
    const texts = Annotations.fromStack(small.stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
    const at = small.stack.node.path;
    expect(texts).toContainEqual(expect.stringContaining(`${at}/Producer: failureQueue ${at}/Legacy accepts`
      + " messages up to 262144 bytes, but failure messages carry the record's data"
      + ' and reach 1048576 bytes: records above about 191 KiB that cannot be written would not be queued either (they are reported to the caller). '
      + 'Set maxMessageSizeBytes to 1048576'));

    for (const failureQueue of [(s: Stack) => new sqs.Queue(s, 'Big', { maxMessageSizeBytes: 1_048_576 }), (s: Stack) => new sqs.Queue(s, 'Default'),
      (s: Stack) => sqs.Queue.fromQueueArn(s, 'Imported', 'arn:aws:sqs:eu-west-1:123456789012:failures')]) {
      const other = setup();
      new ProducerFunction(other.stack, 'Producer', { stream: other.stream, partitionKey: PartitionKey.random(), failureQueue: failureQueue(other.stack) });
      expect(Annotations.fromStack(other.stack).findWarning('*', Match.stringLikeRegexp('accepts messages up to'))).toEqual([]);
    }
  });

  test('alarms on errors, throttles and failed records, each on its own resource', () => {
    const { stack, stream } = setup();
    const p = new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.random() });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1, EvaluationPeriods: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('ProducerFunction') } }] });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', EvaluationPeriods: 5 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProducerFailureQueue'), 'QueueName'] } }] });
    expect(p.failedRecordsAlarm).toBeDefined();

    const off = setup();
    new ProducerFunction(off.stack, 'Producer', { stream: off.stream, partitionKey: PartitionKey.random(), alarms: { enabled: false } });
    // The stream's own three alarms remain.
    Template.fromStack(off.stack).resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  test('grantInvoke lets a caller invoke the function', () => {
    const { stack, stream } = setup();
    const p = new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.random() });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    p.grantInvoke(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Caller') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction' })] },
    });
  });

  test('is clean under cdk-nag AwsSolutions', () => {
    expect(nagFindings((app) => {
      const stack = new Stack(app, 'Nag');
      new ProducerFunction(stack, 'Producer', { stream: new DataStream(stack, 'Stream'), partitionKey: PartitionKey.fromField('id') });
    })).toEqual([]);
  });

  describe('rules', () => {
    const { stack, stream } = setup({ maxRecordSize: Size.mebibytes(2) });
    let i = 0;
    const make = (props: any) => () => new ProducerFunction(stack, `R${i++}`, { stream, partitionKey: PartitionKey.random(), ...props });

    test.each([
      ['a key path with spaces', { partitionKey: PartitionKey.fromField('device id') }, /partitionKey field path must be dot-separated field names without spaces, e.g. 'deviceId' or 'device.id', got 'device id'/],
      ['a key path with an empty part', { partitionKey: PartitionKey.fromField('device..id') }, /got 'device..id'/],
      ['a buffer time that leaves no time to write', { bufferTime: Duration.seconds(29) }, /bufferTime must be between 0 and 28000 ms, got 29000 ms. It must leave the handler time to write before its timeout of 30 seconds/],
      ['a fractional buffered record count', { maxBufferedRecords: 1.5 }, /maxBufferedRecords must be a whole number, got 1.5/],
      ['zero buffered records', { maxBufferedRecords: 0 }, /maxBufferedRecords must be between 1 and/],
      ['a rate limit above 100%', { rateLimitPercent: 120 }, /rateLimitPercent must be between 1 and 100 %, got 120 %. Above 100% the producer would only earn throttling/],
      ['zero attempts', { maxAttempts: 0 }, /maxAttempts must be between 1 and 100, got 0/],
      ['a record size the stream does not have', { maxRecordSize: Size.mebibytes(1) }, /maxRecordSize is 1024 KiB but the stream P\d+\/Stream accepts records up to 2048 KiB/],
      ['a record size above 10 MiB', { maxRecordSize: Size.mebibytes(11) }, /maxRecordSize must be between 1024 and 10240 KiB, got 11264 KiB/],
      ['a memory size Lambda does not take', { memorySize: 64 }, /memorySize must be between 128 and 10240 MiB, got 64 MiB/],
      ['a timeout above 15 minutes', { timeout: Duration.minutes(16) }, /timeout must be between 1 and 900 seconds, got 960 seconds/],
    ])('rejects %s', (_what, props, message) => {
      expect(make(props)).toThrow(message);
    });

    test('messages start with the construct path', () => {
      expect(make({ maxAttempts: 0 })).toThrow(new RegExp(`^${stack.node.path}/R\\d+: `));
    });
  });
});
