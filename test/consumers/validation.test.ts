import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER_FILE, inlineFunction, stackWithStream, warningsOf } from './helpers';
import { ConsumerCode, DynamoDbStreamSink, LambdaStreamConsumer, StreamConsumerOptions } from '../../src/consumers';
import { DataStream } from '../../src/streams/data-stream';

function consumer(options: StreamConsumerOptions) {
  const { stack, stream } = stackWithStream();
  new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), ...options });
  return stack;
}

describe('each rule fails with the construct path, the value and the limit', () => {
  test.each<[string, StreamConsumerOptions, string]>([
    ['batch size below 1', { batchSize: 0 }, 'Stack/Consumer: batchSize must be between 1 and 10000 records, got 0 records'],
    ['batch size above 10,000', { batchSize: 10_001 }, 'Stack/Consumer: batchSize must be between 1 and 10000 records, got 10001 records'],
    ['fractional batch size', { batchSize: 1.5 }, 'Stack/Consumer: batchSize must be a whole number, got 1.5'],
    ['batching window above 300 s', { maxBatchingWindow: Duration.seconds(301) }, 'Stack/Consumer: maxBatchingWindow must be between 0 and 300 seconds, got 301 seconds'],
    ['parallelization factor above 10', { parallelizationFactor: 11 }, 'Stack/Consumer: parallelizationFactor must be between 1 and 10, got 11'],
    ['parallelization factor below 1', { parallelizationFactor: 0 }, 'Stack/Consumer: parallelizationFactor must be between 1 and 10, got 0'],
    ['retrying forever', { retryAttempts: -1 }, 'Stack/Consumer: retryAttempts must be between 0 and 10000, got -1 (retry forever): one poison record would block its shard for the whole retention period'],
    ['retry attempts above 10,000', { retryAttempts: 10_001 }, 'Stack/Consumer: retryAttempts must be between 0 and 10000, got 10001'],
    ['record age below 60 s', { maxRecordAge: Duration.seconds(59) }, 'Stack/Consumer: maxRecordAge must be between 60 and 604800 seconds, got 59 seconds'],
    ['record age above 7 days', { maxRecordAge: Duration.days(8) }, 'Stack/Consumer: maxRecordAge must be between 60 and 604800 seconds, got 691200 seconds'],
    ['tumbling window above 900 s', { tumblingWindow: Duration.seconds(901) }, 'Stack/Consumer: tumblingWindow must be between 0 and 900 seconds, got 901 seconds'],
    ['key concurrency below 1', { keyConcurrency: 0 }, 'Stack/Consumer: keyConcurrency must be between 1 and 10000, got 0'],
    ['AT_TIMESTAMP without a timestamp', { startingPosition: lambda.StartingPosition.AT_TIMESTAMP },
      'Stack/Consumer: startingPositionTimestamp must be given with StartingPosition.AT_TIMESTAMP and only with it, got startingPosition AT_TIMESTAMP and startingPositionTimestamp undefined'],
    ['a timestamp without AT_TIMESTAMP', { startingPositionTimestamp: 1 },
      'Stack/Consumer: startingPositionTimestamp must be given with StartingPosition.AT_TIMESTAMP and only with it, got startingPosition TRIM_HORIZON and startingPositionTimestamp 1'],
    ['parallelization with KPL aggregation', { parallelizationFactor: 2, aggregatedRecords: true },
      'Stack/Consumer: parallelizationFactor must be 1 with aggregatedRecords, got 2: Lambda routes a KPL aggregate by its own partition key'],
    ['an iterator age threshold beyond the record age', { maxRecordAge: Duration.hours(1), alarms: { iteratorAge: { threshold: Duration.hours(2) } } },
      'Stack/Consumer: alarms.iteratorAge.threshold must be above 0 and shorter than maxRecordAge (1 hour), got 2 hours'],
    ['an alarm with more breaching periods than evaluated', { alarms: { functionErrors: { evaluationPeriods: 2, datapointsToAlarm: 3 } } },
      'Stack/Consumer: alarms.functionErrors.datapointsToAlarm must be between 1 and 2, got 3. It cannot exceed evaluationPeriods'],
  ])('%s', (_rule, options, message) => {
    expect(() => consumer(options)).toThrow(message);
  });

  test('values unknown until deploy time are not checked', () => {
    expect(() => consumer({ batchSize: Token.asNumber({ Ref: 'BatchSize' }) })).not.toThrow();
  });

  test('a handler file\'s memory and timeout', () => {
    const { stack, stream } = stackWithStream();
    expect(() => new LambdaStreamConsumer(stack, 'A', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE, { memorySize: 64 }) }))
      .toThrow('Stack/A: memorySize must be between 128 and 10240 MiB, got 64 MiB');
    expect(() => new LambdaStreamConsumer(stack, 'B', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE, { timeout: Duration.minutes(16) }) }))
      .toThrow('Stack/B: timeout must be between 1 and 900 seconds, got 960 seconds');
  });

  test('a sink\'s sort key attribute and field come together', () => {
    const { stack, stream } = stackWithStream();
    expect(() => new DynamoDbStreamSink(stack, 'Sink', { stream, sortKeyAttribute: 'sk' }))
      .toThrow('Stack/Sink: sortKeyAttribute and sortKeyField must be given together, got sortKeyAttribute sk and sortKeyField undefined');
  });

  test('a sink\'s memory', () => {
    const { stack, stream } = stackWithStream();
    expect(() => new DynamoDbStreamSink(stack, 'Sink', { stream, memorySize: 20_000 })).toThrow('Stack/Sink: memorySize must be between 128 and 10240 MiB, got 20000 MiB');
  });
});

describe('each warning names what to do', () => {
  test('parallelization without saying whether records are aggregated', () => {
    expect(warningsOf(consumer({ parallelizationFactor: 4 }))).toEqual([
      expect.stringContaining('parallelizationFactor is 4: if producers write KPL-aggregated records, per-key order is lost across concurrent batches. Set aggregatedRecords'),
    ]);
    expect(warningsOf(consumer({ parallelizationFactor: 4, aggregatedRecords: false }))).toEqual([]);
  });

  test('filters on aggregated records', () => {
    const filters = [lambda.FilterCriteria.filter({ data: { type: lambda.FilterRule.isEqual('click') } })];
    expect(warningsOf(consumer({ filters, aggregatedRecords: true }))).toEqual([expect.stringContaining('filters see the KPL aggregate, not the user records in it')]);
  });

  test('batch item failures turned off', () => {
    expect(warningsOf(consumer({ reportBatchItemFailures: false }))).toEqual([expect.stringContaining('reportBatchItemFailures is off: Lambda ignores the runtime\'s response')]);
  });

  test('a maximum record age beyond the DataStream\'s retention', () => {
    const { stack } = stackWithStream();
    const stream = new DataStream(stack, 'Data', { shardCount: 1 });
    new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack)), maxRecordAge: Duration.days(3) });
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('maxRecordAge (3 days) is longer than the stream\'s retention (24 hours): records expire from the stream first'));
  });
});
