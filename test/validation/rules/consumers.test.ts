import { Duration, Size } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { findingsOf, fn, mapping, stream } from './support';
import { KinesisDesign } from '../../../src';

describe('KPX6 maximum record age beyond retention', () => {
  test('a 2-day record age on a 24-hour stream', () => {
    const found = findingsOf('KPX6', (stack) => mapping(stack, 'Reader', stream(stack, 'S').streamArn, { maxRecordAge: Duration.days(2) }));
    expect(found[0].message).toMatch(/maximum record age 172800 s is longer than the retention of Design\/S\/Resource, 24 hours \(86400 s\)/);
    expect(found[0].location).toBe('Properties/MaximumRecordAgeInSeconds');
  });
  test('silent when the stream keeps records longer', () => {
    expect(findingsOf('KPX6', (stack) => mapping(stack, 'Reader', stream(stack, 'S', { retentionPeriod: Duration.days(3) }).streamArn, { maxRecordAge: Duration.days(2) }))).toEqual([]);
  });
});

describe('KPX7 iterator-age alarm beyond retention', () => {
  test('a Kinesis iterator-age alarm at 24 hours on a 24-hour stream', () => {
    const found = findingsOf('KPX7', (stack) => {
      const s = stream(stack, 'S');
      s.metricGetRecordsIteratorAgeMilliseconds().createAlarm(stack, 'Age', { threshold: 24 * 3600 * 1000, evaluationPeriods: 1 });
    });
    expect(found[0].message).toMatch(/threshold 86400000 ms \(24 hours\) is not below the retention of Design\/S\/Resource, 24 hours \(86400000 ms\)/);
  });
  test('a Lambda IteratorAge alarm on a consumer of the stream', () => {
    const found = findingsOf('KPX7', (stack) => {
      const s = stream(stack, 'S');
      const f = fn(stack, 'Consumer');
      f.addEventSource(new KinesisEventSource(s, { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 2 }));
      new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensionsMap: { FunctionName: f.functionName } })
        .createAlarm(stack, 'Age', { threshold: 30 * 3600 * 1000, evaluationPeriods: 1 });
    });
    expect(found[0].constructPath).toBe('Design/Age/Resource');
  });
  test('silent at half the retention', () => {
    expect(findingsOf('KPX7', (stack) => {
      stream(stack, 'S').metricGetRecordsIteratorAgeMilliseconds().createAlarm(stack, 'Age', { threshold: 12 * 3600 * 1000, evaluationPeriods: 1 });
    })).toEqual([]);
  });
});

describe('KPX8 failure destination and KPX9 unbounded retries', () => {
  test('aws-cdk-lib\'s KinesisEventSource with its defaults has neither', () => {
    const build = (stack: any) => fn(stack, 'Consumer').addEventSource(new KinesisEventSource(stream(stack, 'S'), { startingPosition: lambda.StartingPosition.LATEST }));
    const noDestination = findingsOf('KPX8', build);
    expect(noDestination[0].message).toMatch(/no on-failure destination: records Lambda gives up on are dropped without a trace/);
    expect(noDestination[0].severity).toBe('warning');
    const unbounded = findingsOf('KPX9', build);
    expect(unbounded[0].message).toMatch(/MaximumRetryAttempts is not set \(-1: forever\) and MaximumRecordAgeInSeconds is not set \(-1: forever\)/);
    expect(unbounded[0].severity).toBe('error');
  });
  test('retryAttempts -1 is unbounded too', () => {
    expect(findingsOf('KPX9', (stack) => fn(stack, 'C').addEventSource(new KinesisEventSource(stream(stack, 'S'), { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: -1 })))).toHaveLength(1);
  });
  test('silent with bounded retries and a destination', () => {
    const build = (stack: any) => mapping(stack, 'Reader', stream(stack, 'S').streamArn);
    expect(findingsOf('KPX8', build)).toEqual([]);
    expect(findingsOf('KPX9', build)).toEqual([]);
  });
});

describe('KPX10 parallelization factor on aggregated records', () => {
  const build = (factor: number, aggregation: string) => (stack: any) => {
    const s = stream(stack, 'S');
    const producer = fn(stack, 'Producer', { environment: { AGGREGATION_ENABLED: aggregation, STREAM_ARN: s.streamArn } });
    s.grantWrite(producer);
    mapping(stack, 'Reader', s.streamArn, { parallelizationFactor: factor });
  };
  test('factor 4 on a stream an aggregating producer writes to', () => {
    const found = findingsOf('KPX10', build(4, 'true'));
    expect(found[0].message).toMatch(/parallelization factor 4 \(at most 1 keeps order\) on Design\/S\/Resource, which Design\/Producer\/Resource write KPL aggregated records to/);
  });
  test('the producer is found through its policy too', () => {
    expect(findingsOf('KPX10', (stack) => {
      const s = stream(stack, 'S');
      s.grantWrite(fn(stack, 'Producer', { environment: { AGGREGATION_ENABLED: 'true' } }));
      mapping(stack, 'Reader', s.streamArn, { parallelizationFactor: 2 });
    })).toHaveLength(1);
  });
  test('silent without aggregation, or with factor 1', () => {
    expect(findingsOf('KPX10', build(4, 'false'))).toEqual([]);
    expect(findingsOf('KPX10', build(1, 'true'))).toEqual([]);
  });
});

describe('KPX11 batch above the 6 MB payload', () => {
  test('1,000 records of 8 KiB', () => {
    const found = findingsOf('KPX11', (stack) => {
      const s = stream(stack, 'S', { shardCount: 10 });
      KinesisDesign.declareProducer(fn(stack, 'P'), s, { recordsPerSecond: 1000, averageRecordSize: Size.kibibytes(8) });
      mapping(stack, 'Reader', s.streamArn, { batchSize: 1000 });
    });
    expect(found[0].message).toMatch(/batch size 1000 x 8192 bytes average \(declared producers Design\/P\) x 4\/3 base64 is 10.42 MiB, above Lambda's payload limit of 6 MiB; at most 576 records fit/);
  });
  test('silent at 500 records', () => {
    expect(findingsOf('KPX11', (stack) => {
      const s = stream(stack, 'S', { shardCount: 10 });
      KinesisDesign.declareProducer(fn(stack, 'P'), s, { recordsPerSecond: 1000, averageRecordSize: Size.kibibytes(8) });
      mapping(stack, 'Reader', s.streamArn, { batchSize: 500 });
    })).toEqual([]);
  });
});

/** aws-cdk-lib's Stream has no record-size prop yet: set the L1 property. */
function largeRecords(s: kinesis.Stream, kib: number): kinesis.Stream {
  (s.node.defaultChild as kinesis.CfnStream).addPropertyOverride('MaxRecordSizeInKiB', kib);
  return s;
}

describe('KPX12 records too large for Lambda', () => {
  test('a 10 MiB record stream read by Lambda', () => {
    const found = findingsOf('KPX12', (stack) => mapping(stack, 'Reader', largeRecords(stream(stack, 'S'), 10240).streamArn));
    expect(found[0].message).toMatch(/Design\/S\/Resource accepts records of 10 MiB \(13.33 MiB base64-encoded\), above Lambda's payload limit of 6 MiB/);
  });
  test('silent at 4 MiB', () => {
    expect(findingsOf('KPX12', (stack) => mapping(stack, 'Reader', largeRecords(stream(stack, 'S'), 4096).streamArn))).toEqual([]);
  });
});

describe('KPX13 reserved concurrency below shards x factor', () => {
  const build = (reserved: number) => (stack: any) => {
    const s = stream(stack, 'S', { shardCount: 4 });
    const f = fn(stack, 'Consumer', { reservedConcurrentExecutions: reserved });
    new lambda.EventSourceMapping(stack, 'M', { target: f, eventSourceArn: s.streamArn, startingPosition: lambda.StartingPosition.LATEST, parallelizationFactor: 2, retryAttempts: 1 });
  };
  test('5 reserved for 4 shards x 2', () => {
    expect(findingsOf('KPX13', build(5))[0].message).toMatch(/reserved concurrency 5 is below the 8 concurrent batches its mappings run \(Design\/S\/Resource: 4 shards x 2\)/);
  });
  test('silent at 8', () => {
    expect(findingsOf('KPX13', build(8))).toEqual([]);
  });
});
