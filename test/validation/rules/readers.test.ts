import { Size } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { findingsOf, flinkApp, fn, mapping, stream } from './support';
import { KinesisDesign } from '../../../src';

function firehoseReader(stack: any, id: string, source: kinesis.IStream) {
  new firehose.DeliveryStream(stack, id, {
    source: new firehose.KinesisStreamSource(source),
    destination: new firehose.S3Bucket(new s3.Bucket(stack, `${id}Bucket`), { loggingConfig: new firehose.EnableLogging() }),
  });
}

describe('KPX1 read calls per shard', () => {
  test('six shared readers (Lambda and Firehose) exceed 5 calls/s per shard', () => {
    const found = findingsOf('KPX1', (stack) => {
      const s = stream(stack, 'Clicks');
      for (let i = 0; i < 5; i++) mapping(stack, `Reader${i}`, s.streamArn);
      firehoseReader(stack, 'Archive', s);
    });
    expect(found).toHaveLength(1);
    expect(found[0].constructPath).toBe('Design/Clicks/Resource');
    expect(found[0].message).toMatch(/6 shared-throughput readers make 6 GetRecords calls\/s per shard, above the limit of 5 calls\/s per shard/);
    expect(found[0].severity).toBe('error');
  });

  test('a polling Flink source takes all 5 calls/s, so one more reader is too many', () => {
    const found = findingsOf('KPX1', (stack) => {
      const s = stream(stack, 'Clicks');
      mapping(stack, 'Reader', s.streamArn);
      flinkApp(stack, 'Job', { 'input.stream.arn': s.streamArn, 'aws.region': 'eu-west-1' });
    });
    expect(found[0].message).toMatch(/Flink application Design\/Job \(polling every 200 ms\) 5\/s/);
  });

  test('a Flink sink group naming the stream is not a reader', () => {
    expect(findingsOf('KPX1', (stack) => {
      const s = stream(stack, 'Clicks');
      mapping(stack, 'Reader', s.streamArn);
      flinkApp(stack, 'Job', { 'stream.arn': s.streamArn }, undefined, 'sink.enriched');
    })).toEqual([]);
  });

  test('silent when readers beyond five use enhanced fan-out', () => {
    expect(findingsOf('KPX1', (stack) => {
      const s = stream(stack, 'Clicks');
      for (let i = 0; i < 4; i++) mapping(stack, `Reader${i}`, s.streamArn);
      const consumer = new kinesis.StreamConsumer(stack, 'Efo', { stream: s, streamConsumerName: 'efo' });
      mapping(stack, 'Fast', consumer.streamConsumerArn);
      mapping(stack, 'Fast2', consumer.streamConsumerArn);
      flinkApp(stack, 'Job', { 'input.stream.arn': s.streamArn, 'flink.stream.recordpublisher': 'EFO' });
      flinkApp(stack, 'Job2', { 'stream.arn': s.streamArn, 'read.mode': 'EFO' }, undefined, 'source.clicks');
    })).toEqual([]);
  });
});

describe('KPX2 read bytes per shard', () => {
  test('three shared readers at the full write rate need 3 MiB/s per shard', () => {
    const found = findingsOf('KPX2', (stack) => {
      const s = stream(stack, 'Clicks');
      for (let i = 0; i < 3; i++) mapping(stack, `Reader${i}`, s.streamArn);
    });
    expect(found[0].message).toMatch(/3 shared-throughput readers .* each read 1 MiB\/s per shard \(the shard's full write capacity, no write rate declared\), 3 MiB\/s in all, above the limit of 2 MiB\/s per shard/);
  });

  test('silent when the declared write rate leaves room for three readers', () => {
    expect(findingsOf('KPX2', (stack) => {
      const s = stream(stack, 'Clicks', { shardCount: 2 });
      KinesisDesign.declareProducer(fn(stack, 'Writer'), s, { recordsPerSecond: 1000, averageRecordSize: Size.kibibytes(1) });
      for (let i = 0; i < 3; i++) mapping(stack, `Reader${i}`, s.streamArn);
    })).toEqual([]);
  });
});

describe('KPX3 enhanced fan-out consumers per stream', () => {
  test('21 consumers are more than Kinesis allows', () => {
    const found = findingsOf('KPX3', (stack) => {
      const s = stream(stack, 'Clicks');
      for (let i = 0; i < 21; i++) mapping(stack, `R${i}`, new kinesis.StreamConsumer(stack, `C${i}`, { stream: s, streamConsumerName: `c${i}` }).streamConsumerArn);
    });
    expect(found[0].message).toBe('KPX3: Design/Clicks/Resource: 21 enhanced fan-out consumers are registered, above the limit of 20 per stream. Fix: ' + KinesisDesign.rules()[2].fix);
  });

  test('silent at 20', () => {
    expect(findingsOf('KPX3', (stack) => {
      const s = stream(stack, 'Clicks');
      for (let i = 0; i < 20; i++) mapping(stack, `R${i}`, new kinesis.StreamConsumer(stack, `C${i}`, { stream: s, streamConsumerName: `c${i}` }).streamConsumerArn);
    })).toEqual([]);
  });
});

describe('KPX4 unused enhanced fan-out consumer', () => {
  test('a consumer no reader uses', () => {
    const found = findingsOf('KPX4', (stack) => {
      new kinesis.StreamConsumer(stack, 'Idle', { stream: stream(stack, 'Clicks'), streamConsumerName: 'idle' });
    });
    expect(found[0].constructPath).toBe('Design/Idle/Resource');
    expect(found[0].message).toMatch(/consumer idle is registered but no reader in the app uses it/);
  });

  test('silent when a mapping reads through it', () => {
    expect(findingsOf('KPX4', (stack) => {
      const c = new kinesis.StreamConsumer(stack, 'Used', { stream: stream(stack, 'Clicks'), streamConsumerName: 'used' });
      mapping(stack, 'Reader', c.streamConsumerArn);
    })).toEqual([]);
  });
});

describe('KPX5 producers faster than the stream', () => {
  test('declared producers above two shards', () => {
    const found = findingsOf('KPX5', (stack) => {
      const s = stream(stack, 'Clicks', { shardCount: 2 });
      KinesisDesign.declareProducer(fn(stack, 'Web'), s, { recordsPerSecond: 1500, averageRecordSize: Size.kibibytes(1) });
      KinesisDesign.declareProducer(fn(stack, 'Mobile'), s, { recordsPerSecond: 1000, averageRecordSize: Size.kibibytes(1) });
    });
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(/producers Design\/Web, Design\/Mobile declare 2.44 MiB\/s, above the write capacity of 2 shards, 2 MiB\/s \(1 MiB\/s per shard\)/),
      expect.stringMatching(/declare 2500 records\/s, above the write capacity of 2 shards, 2000 records\/s \(1000 per shard\)/),
    ]);
  });

  test('silent when they fit', () => {
    expect(findingsOf('KPX5', (stack) => {
      const s = stream(stack, 'Clicks', { shardCount: 3 });
      KinesisDesign.declareProducer(fn(stack, 'Web'), s, { recordsPerSecond: 2500, averageRecordSize: Size.kibibytes(1) });
    })).toEqual([]);
  });
});
