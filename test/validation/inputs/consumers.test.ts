import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { lazyNumber, numberParam, onlyResource, probe, ProbeCase } from './probe';
import {
  ConsumerCode, DynamoDbStreamSink, DynamoDbStreamSinkProps, FailureDestination, LambdaStreamConsumer, LambdaStreamConsumerProps, StreamReadMode,
} from '../../../src/consumers';
import { DataStream } from '../../../src/streams';

const fn = (s: any) => new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
const consumer = (props: Partial<LambdaStreamConsumerProps> | ((s: any) => Partial<LambdaStreamConsumerProps>) | null) => (s: any) => new LambdaStreamConsumer(s, 'Consumer', props === null ? null as any : {
  stream: new DataStream(s, 'Stream'), code: ConsumerCode.fromFunction(fn(s)), ...(typeof props === 'function' ? props(s) : props),
} as LambdaStreamConsumerProps);
const sink = (props: Partial<DynamoDbStreamSinkProps> | ((s: any) => Partial<DynamoDbStreamSinkProps>)) => (s: any) => new DynamoDbStreamSink(s, 'Sink', {
  stream: new DataStream(s, 'Stream'), ...(typeof props === 'function' ? props(s) : props),
} as DynamoDbStreamSinkProps);
const table = (pk: string, sk?: string, type = dynamodb.AttributeType.STRING) => (s: any) => new dynamodb.Table(s, 'T', {
  partitionKey: { name: pk, type }, sortKey: sk ? { name: sk, type: dynamodb.AttributeType.STRING } : undefined,
});
const mapping = (t: any) => onlyResource(t, 'AWS::Lambda::EventSourceMapping');
const NOW = Math.floor(Date.now() / 1000);

const consumerCases: ProbeCase[] = [
  { name: 'no props (JavaScript)', build: consumer(null), error: /props are required \(with stream, code\), got null/ },
  { name: 'no stream (JavaScript)', build: consumer({ stream: undefined }), error: /stream is required, got undefined/ },
  { name: 'no code (JavaScript)', build: consumer({ code: undefined }), error: /code is required, got undefined/ },
  { name: 'ConsumerCode.fromFunction without a function (JavaScript)', build: () => ConsumerCode.fromFunction(undefined as any), error: /^ConsumerCode.fromFunction: fn must be a Lambda function/ },
  { name: 'ConsumerCode.fromHandlerFile with an empty path', build: () => ConsumerCode.fromHandlerFile(''), error: /^ConsumerCode.fromHandlerFile: entry must be the path of a handler file, got ''/ },
  { name: 'FailureDestination.sns without a topic (JavaScript)', build: () => FailureDestination.sns(undefined as any), error: /^FailureDestination.sns: topic must be an SNS topic/ },
  { name: 'a stream in another region', build: consumer((s) => ({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks') })), error: /stream 'arn:aws:kinesis:us-east-1:123456789012:stream\/clicks' is in us-east-1, but this stack is in eu-west-1: a Lambda event source mapping reads streams of its own Region only/ },
  { name: 'a stream ARN of another service', build: consumer((s) => ({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:sqs:eu-west-1:123456789012:stream/clicks') })), error: /which is not a Kinesis data stream ARN/ },
  { name: 'batch size 0', build: consumer({ batchSize: 0 }), error: /batchSize must be between 1 and 10000 records, got 0 records/ },
  { name: 'batch size 10,001', build: consumer({ batchSize: 10_001 }), error: /batchSize must be between 1 and 10000 records, got 10001/ },
  { name: 'batch size fraction', build: consumer({ batchSize: 10.5 }), error: /batchSize must be a whole number, got 10.5/ },
  { name: 'batch size NaN', build: consumer({ batchSize: NaN }), error: /batchSize must be a whole number, got NaN/ },
  { name: 'batching window above 300 s', build: consumer({ maxBatchingWindow: Duration.seconds(301) }), error: /maxBatchingWindow must be between 0 and 300 seconds, got 301 seconds/ },
  { name: 'batching window of 1.5 s', build: consumer({ maxBatchingWindow: Duration.millis(1500) }), error: /maxBatchingWindow must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'batching window from a token in minutes', token: true, build: (s) => consumer({ maxBatchingWindow: Duration.minutes(numberParam(s)) })(s), error: /maxBatchingWindow comes from a token in another unit than seconds/ },
  { name: 'parallelization 11', build: consumer({ parallelizationFactor: 11 }), error: /parallelizationFactor must be between 1 and 10, got 11/ },
  { name: 'parallelization fraction', build: consumer({ parallelizationFactor: 1.5 }), error: /parallelizationFactor must be a whole number, got 1.5/ },
  { name: 'parallelization with aggregated records', build: consumer({ parallelizationFactor: 2, aggregatedRecords: true }), error: /parallelizationFactor must be 1 with aggregatedRecords, got 2/ },
  { name: 'retry forever', build: consumer({ retryAttempts: -1 }), error: /retryAttempts must be between 0 and 10000, got -1 \(retry forever\)/ },
  { name: 'retries 10,001', build: consumer({ retryAttempts: 10_001 }), error: /retryAttempts must be between 0 and 10000, got 10001/ },
  { name: 'retries fraction', build: consumer({ retryAttempts: 2.5 }), error: /retryAttempts must be a whole number, got 2.5/ },
  { name: 'record age 59 s', build: consumer({ maxRecordAge: Duration.seconds(59) }), error: /maxRecordAge must be between 60 and 604800 seconds, got 59 seconds/ },
  { name: 'record age 8 days', build: consumer({ maxRecordAge: Duration.days(8) }), error: /maxRecordAge must be between 60 and 604800 seconds, got 691200 seconds/ },
  { name: 'record age of a fraction of a second', build: consumer({ maxRecordAge: Duration.millis(60_500) }), error: /maxRecordAge must be a whole number of seconds, got 60.5 seconds/ },
  { name: 'record age from a token in minutes', token: true, build: (s) => consumer({ maxRecordAge: Duration.minutes(numberParam(s)) })(s), error: /maxRecordAge must be a literal value, got a token/ },
  { name: 'tumbling window above 900 s', build: consumer({ tumblingWindow: Duration.seconds(901) }), error: /tumblingWindow must be between 0 and 900 seconds, got 901 seconds/ },
  { name: 'key concurrency 0', build: consumer({ keyConcurrency: 0 }), error: /keyConcurrency must be between 1 and 10000, got 0/ },
  { name: 'key concurrency fraction', build: consumer({ keyConcurrency: 2.5 }), error: /keyConcurrency must be a whole number, got 2.5/ },
  { name: 'timestamp without AT_TIMESTAMP', build: consumer({ startingPositionTimestamp: NOW - 60 }), error: /startingPositionTimestamp must be given with StartingPosition.AT_TIMESTAMP and only with it/ },
  { name: 'AT_TIMESTAMP without a timestamp', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP }), error: /startingPositionTimestamp must be given with StartingPosition.AT_TIMESTAMP/ },
  { name: 'timestamp in milliseconds', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: Date.now() }), error: /startingPositionTimestamp must be a time in seconds since the epoch.*looks like milliseconds/ },
  { name: 'timestamp before Kinesis', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: 1_000_000 }), error: /startingPositionTimestamp must be a time in seconds since the epoch between 1384387200 \(2013-11-14\)/ },
  { name: 'timestamp negative', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: -1 }), error: /startingPositionTimestamp must be a time in seconds since the epoch, ?|got -1/ },
  { name: 'timestamp NaN', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: NaN }), error: /startingPositionTimestamp must be a time in seconds since the epoch.*got NaN/ },
  { name: 'timestamp next year', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: NOW + 365 * 86400 }), error: /startingPositionTimestamp must be a time in seconds since the epoch.*a day from now/ },
  { name: 'enhanced fan-out name with a space', build: () => StreamReadMode.enhancedFanOut('my app'), error: /^StreamReadMode.enhancedFanOut: consumerName may only contain letters/ },
  { name: 'two enhanced fan-out consumers with one name', build: (s) => { const stream = new DataStream(s, 'Stream'); const code = ConsumerCode.fromFunction(fn(s)); new LambdaStreamConsumer(s, 'A', { stream, code, readMode: StreamReadMode.enhancedFanOut('app') }); new LambdaStreamConsumer(s, 'B', { stream, code, readMode: StreamReadMode.enhancedFanOut('app') }); }, error: /consumerName 'app' is already taken by/ },
  {
    name: 'two enhanced fan-out consumers with one name on an imported stream',
    build: (s) => {
      const stream = kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks');
      const code = ConsumerCode.fromFunction(fn(s));
      new LambdaStreamConsumer(s, 'A', { stream, code, readMode: StreamReadMode.enhancedFanOut('app') });
      new LambdaStreamConsumer(s, 'B', { stream, code, readMode: StreamReadMode.enhancedFanOut('app') });
    },
    error: /Stack\/B: consumerName 'app' is already taken on Stack\/I by Stack\/A\/StreamConsumer/,
  },
  { name: 'alarm period of 45 s', build: consumer({ alarms: { iteratorAge: { period: Duration.seconds(45) } } }), error: /alarms.iteratorAge.period must be 10 or 30 seconds/ },
  { name: 'alarm threshold at the record age', build: consumer({ maxRecordAge: Duration.hours(1), alarms: { iteratorAge: { threshold: Duration.hours(1) } } }), error: /alarms.iteratorAge.threshold must be above 0 and shorter than maxRecordAge \(1 hour\), got 1 hour/ },
  { name: 'alarm window above a day', build: consumer({ alarms: { functionErrors: { period: Duration.minutes(30), evaluationPeriods: 49 } } }), error: /alarms.functionErrors: period x evaluationPeriods is 1800 x 49 = 88200 seconds/ },
  { name: 'batch size from a parameter', token: true, build: (s) => consumer({ batchSize: numberParam(s) })(s), check: (t) => expect(mapping(t).BatchSize).toEqual({ Ref: 'N' }) },
  { name: 'retries from a parameter', token: true, build: (s) => consumer({ retryAttempts: numberParam(s) })(s), check: (t) => expect(mapping(t).MaximumRetryAttempts).toEqual({ Ref: 'N' }) },
  { name: 'parallelization from a parameter', token: true, build: (s) => consumer({ parallelizationFactor: numberParam(s), aggregatedRecords: false })(s), check: (t) => expect(mapping(t).ParallelizationFactor).toEqual({ Ref: 'N' }) },
  { name: 'record age from a parameter', token: true, build: (s) => consumer({ maxRecordAge: Duration.seconds(numberParam(s)) })(s), error: /maxRecordAge must be a literal value, got a token.*event source mapping checks it at synth time/ },
  { name: 'batching window from a parameter in seconds', token: true, build: (s) => consumer({ maxBatchingWindow: Duration.seconds(numberParam(s)) })(s), check: (t) => expect(mapping(t).MaximumBatchingWindowInSeconds).toEqual({ Ref: 'N' }) },
  { name: 'key concurrency from a parameter', token: true, build: (s) => consumer({ keyConcurrency: numberParam(s) })(s), check: (t) => expect(onlyResource(t, 'AWS::Lambda::Function').Environment.Variables).toMatchObject({ CONSUMER_KEY_CONCURRENCY: { Ref: 'N' } }) },
  { name: 'key concurrency from Lazy', token: true, build: consumer({ keyConcurrency: lazyNumber(8) }), check: (t) => expect(onlyResource(t, 'AWS::Lambda::Function').Environment.Variables).toMatchObject({ CONSUMER_KEY_CONCURRENCY: '8' }) },
  { name: 'a timestamp from a parameter', token: true, build: (s) => consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: numberParam(s) })(s), check: (t) => expect(mapping(t).StartingPositionTimestamp).toEqual({ Ref: 'N' }) },
  { name: 'a timestamp an hour ago', build: consumer({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP, startingPositionTimestamp: NOW - 3600 }), check: (t) => expect(mapping(t).StartingPositionTimestamp).toBe(NOW - 3600) },
  { name: 'a stream of this region by ARN', build: consumer((s) => ({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks') })), check: (t) => expect(mapping(t).EventSourceArn).toBe('arn:aws:kinesis:eu-west-1:123456789012:stream/clicks') },
  { name: 'a stream of a data stream with a token retention', token: true, build: (s) => new LambdaStreamConsumer(s, 'Consumer', { stream: new DataStream(s, 'Stream', { retentionPeriod: Duration.hours(numberParam(s)) }), code: ConsumerCode.fromFunction(fn(s)) }), check: (t) => expect(mapping(t).MaximumRecordAgeInSeconds).toBe(86400) },
];

const sinkCases: ProbeCase[] = [
  { name: 'no stream (JavaScript)', build: (s) => new DynamoDbStreamSink(s, 'Sink', {} as DynamoDbStreamSinkProps), error: /stream is required, got undefined/ },
  { name: 'a table keyed by another attribute', build: sink((s) => ({ table: table('id')(s) })), error: /partitionKeyAttribute is 'pk' \(the default\), but the table Stack\/T is keyed by 'id': set partitionKeyAttribute to 'id'/ },
  { name: 'a table with a sort key the sink is not told of', build: sink((s) => ({ table: table('pk', 'at')(s) })), error: /the table Stack\/T has the sort key 'at', but sortKeyAttribute is undefined/ },
  { name: 'a sort key the table does not have', build: sink((s) => ({ table: table('pk')(s), sortKeyAttribute: 'at', sortKeyField: 'at' })), error: /sortKeyAttribute is 'at', but the table Stack\/T has no sort key/ },
  { name: 'another sort key than the table\'s', build: sink((s) => ({ table: table('pk', 'at')(s), sortKeyAttribute: 'ts', sortKeyField: 'ts' })), error: /the table Stack\/T has the sort key 'at', but sortKeyAttribute is 'ts'/ },
  { name: 'a numeric partition key without a field', build: sink((s) => ({ table: table('pk', undefined, dynamodb.AttributeType.NUMBER)(s) })), error: /has a N partition key, but without partitionKeyField the sink writes the record's Kinesis partition key/ },
  { name: 'a binary partition key', build: sink((s) => ({ table: table('pk', undefined, dynamodb.AttributeType.BINARY)(s), partitionKeyField: 'id' })), error: /has a binary partition key 'pk'/ },
  { name: 'a key named like an attribute the sink writes', build: sink({ partitionKeyAttribute: 'kinesisShardId' }), error: /partitionKeyAttribute 'kinesisShardId' is an attribute the sink writes into every item/ },
  { name: 'a sort key named like an attribute the sink writes', build: sink({ sortKeyAttribute: 'kinesisPosition', sortKeyField: 'at' }), error: /sortKeyAttribute 'kinesisPosition' is an attribute the sink writes/ },
  { name: 'one name for both keys', build: sink({ partitionKeyAttribute: 'id', sortKeyAttribute: 'id', sortKeyField: 'at' }), error: /sortKeyAttribute and partitionKeyAttribute must differ, both are 'id'/ },
  { name: 'an empty key attribute', build: sink({ partitionKeyAttribute: '' }), error: /partitionKeyAttribute must be an attribute name of 1 to 255 characters, got ''/ },
  { name: 'a version field the sink writes', build: sink({ versionField: 'kinesisSequenceNumber' }), error: /versionField 'kinesisSequenceNumber' is an attribute the sink writes itself/ },
  { name: 'sort key attribute without a field', build: sink({ sortKeyAttribute: 'at' }), error: /sortKeyAttribute and sortKeyField must be given together/ },
  { name: 'memory 64 MiB', build: sink({ memorySize: 64 }), error: /memorySize must be between 128 and 10240 MiB, got 64 MiB/ },
  { name: 'timeout of 0.5 s', build: sink({ timeout: Duration.millis(500) }), error: /timeout must be a whole number of seconds, got 0.5 seconds/ },
  { name: 'batch size 0', build: sink({ batchSize: 0 }), error: /batchSize must be between 1 and 10000 records, got 0/ },
  { name: 'a table matching the sink', build: sink((s) => ({ table: table('id', 'at')(s), partitionKeyAttribute: 'id', sortKeyAttribute: 'at', sortKeyField: 'at' })), check: (t) => expect(onlyResource(t, 'AWS::DynamoDB::Table').KeySchema).toHaveLength(2) },
  { name: 'a numeric key read from a field', build: sink((s) => ({ table: table('pk', undefined, dynamodb.AttributeType.NUMBER)(s), partitionKeyField: 'id' })) },
  { name: 'an imported table (schema unknown) is accepted', build: sink((s) => ({ table: dynamodb.Table.fromTableName(s, 'T', 'items'), partitionKeyAttribute: 'id' })) },
  { name: 'the default table', build: sink({}), check: (t) => expect(onlyResource(t, 'AWS::DynamoDB::Table').KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]) },
];

probe('LambdaStreamConsumer', consumerCases);
probe('DynamoDbStreamSink', sinkCases);
