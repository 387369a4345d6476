import { decode, evenShards, MockKinesis, text } from './mock-kinesis';
import { KinesisProducer, ProducerDefaults, ProducerErrorCode } from '../../../lambda/producer';
import { BYTES, KinesisLimits } from '../../../src/validation/limits';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KinesisProducer batching', () => {
  test('splits into PutRecords calls of at most 500 entries and returns one result per record, in order', async () => {
    const mock = new MockKinesis(evenShards(2));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1 });
    const records = Array.from({ length: 1234 }, (_, i) => ({ partitionKey: `key-${i}`, data: text(`r${i}`) }));
    const results = await producer.putAll(records);
    expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i));
    expect(results.every((r) => r.succeeded && r.attempts === 1 && r.sequenceNumber && r.shardId?.startsWith('shardId-'))).toBe(true);
    expect(results.map((r) => r.record)).toEqual(records);
    expect(mock.calls.every((c) => c.entries.length <= KinesisLimits.MAX_RECORDS_PER_PUT_RECORDS)).toBe(true);
    expect(mock.calls.length).toBe(Math.ceil(1234 / 500));
    expect(mock.written.map((e) => decode(e.Data)).sort()).toEqual(records.map((r) => decode(r.data)).sort());
    expect(mock.listShardsCalls).toBe(0); // no rate limiting, no aggregation: no shard map needed
  });

  test('keeps each request within the request byte limit derived from the stream\'s record size', async () => {
    const mock = new MockKinesis(evenShards(1));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1 });
    const big = Array.from({ length: 12 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.alloc(600 * BYTES.KiB, i) }));
    const results = await producer.putAll(big);
    expect(results.every((r) => r.succeeded)).toBe(true);
    for (const call of mock.calls) {
      const bytes = call.entries.reduce((n, e) => n + e.Data!.length + e.PartitionKey!.length, 0);
      expect(bytes).toBeLessThanOrEqual(KinesisLimits.MAX_PUT_RECORDS_REQUEST_BYTES);
    }
    expect(mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  test('a stream with a larger maximum record size accepts larger records and requests', async () => {
    const mock = new MockKinesis(evenShards(1));
    const maxRecordSizeBytes = 8 * BYTES.MiB;
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, maxRecordSizeBytes });
    const [ok, tooBig] = await producer.putAll([
      { partitionKey: 'k', data: Buffer.alloc(maxRecordSizeBytes - 1) },
      { partitionKey: 'k', data: Buffer.alloc(maxRecordSizeBytes) },
    ]);
    expect(ok.succeeded).toBe(true);
    expect(tooBig.error?.code).toBe(ProducerErrorCode.VALIDATION);
    expect(tooBig.error?.message).toMatch(/8388609 bytes .* at most 8388608/);
    expect(() => new KinesisProducer({ client: mock.client, streamName: 's', maxRecordSizeBytes: 11 * BYTES.MiB })).toThrow(/maximum record size is/);
  });

  test('a bad record gets its own error; the good ones are written', async () => {
    const mock = new MockKinesis(evenShards(1));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1 });
    const results = await producer.putAll([
      { partitionKey: 'good', data: text('1') },
      { partitionKey: '', data: text('2') },
      { partitionKey: 'x'.repeat(257), data: text('3') },
      { partitionKey: '🔑'.repeat(256), data: text('4') }, // 256 characters, 512 UTF-16 units: valid
      { partitionKey: 'k', data: Buffer.alloc(KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES) },
      { partitionKey: 'k', explicitHashKey: '-1', data: text('6') },
      { partitionKey: 'k', explicitHashKey: KinesisLimits.MAX_HASH_KEY, data: text('7') },
      { partitionKey: 'k', data: 'not bytes' as unknown as Uint8Array },
    ]);
    expect(results.map((r) => r.succeeded)).toEqual([true, false, false, true, false, false, true, false]);
    expect(results[1].error).toMatchObject({ code: 'ValidationError', index: 1, partitionKey: '', attempts: 0, retryable: false });
    expect(results[1].error?.message).toMatch(/0 characters; Kinesis accepts 1 to 256/);
    expect(results[2].error?.message).toMatch(/257 characters/);
    expect(results[4].error?.message).toMatch(/1048577 bytes \(data plus partition key\); the stream accepts at most 1048576/);
    expect(results[5].error?.message).toMatch(/explicit hash key '-1' is not a decimal integer/);
    expect(results[7].error?.message).toMatch(/Uint8Array/);
    expect(mock.written.map((e) => decode(e.Data))).toEqual(expect.arrayContaining(['1', '4', '7']));
    expect(mock.written).toHaveLength(3);
  });

  test('holds records for the buffer time, and sends at once when the count threshold is reached', async () => {
    const mock = new MockKinesis(evenShards(1));
    const lingering = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 150 });
    const started = Date.now();
    const pending = lingering.putAll([{ partitionKey: 'a', data: text('1') }, { partitionKey: 'b', data: text('2') }]);
    await sleep(60);
    expect(mock.calls).toHaveLength(0);
    await pending;
    expect(mock.calls).toHaveLength(1);
    expect(mock.calls[0].at - started).toBeGreaterThanOrEqual(140);

    const counted = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 10_000, maxBufferedRecords: 2 });
    const t0 = Date.now();
    await counted.putAll([{ partitionKey: 'a', data: text('1') }, { partitionKey: 'b', data: text('2') }]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('flush sends at once and resolves when everything is settled; close refuses later records', async () => {
    const mock = new MockKinesis(evenShards(1));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 60_000 });
    const result = producer.put({ partitionKey: 'a', data: text('1') });
    const t0 = Date.now();
    await producer.flush();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await result).succeeded).toBe(true);
    await producer.flush(); // nothing outstanding: resolves at once
    await producer.close();
    const late = await producer.put({ partitionKey: 'a', data: text('2') });
    expect(late.error?.code).toBe(ProducerErrorCode.PRODUCER_CLOSED);
    expect(producer.metrics).toMatchObject({ succeeded: 1, failed: 1, requests: 1, waiting: 0, inFlight: 0 });
  });

  test('paces each shard at its write limits', async () => {
    const mock = new MockKinesis(evenShards(1));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', bufferTimeMs: 1 });
    const records = Array.from({ length: 1600 }, (_, i) => ({ partitionKey: `k${i}`, data: text('x') }));
    const started = Date.now();
    const results = await producer.putAll(records);
    expect(results.every((r) => r.succeeded)).toBe(true);
    const burst = KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND * ProducerDefaults.RATE_LIMIT_BURST_SECONDS;
    // 1600 records at 1000/s after the initial burst.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((1600 - burst) / KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND) * 1000 - 50);
    expect(mock.calls[0].entries.length).toBeLessThanOrEqual(burst);
    for (const call of mock.calls) {
      const inWindow = mock.calls.filter((c) => c.at >= call.at && c.at < call.at + 1000).reduce((n, c) => n + c.entries.length, 0);
      // One second's rate plus the burst; another burst of slack because calls are timed when the mock sees them,
      // and a late first call shifts the window onto a later refill.
      expect(inWindow).toBeLessThanOrEqual(KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND + 2 * burst);
    }
    // Calls carry tens of entries, not one each: a drained shard is admitted again only when half its burst is back.
    expect(mock.calls.length).toBeLessThan(1600 / 20);
  });

  test('without ListShards permission it still delivers, unaggregated and unlimited', async () => {
    const mock = new MockKinesis(evenShards(2));
    mock.listShardsError = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', bufferTimeMs: 1, aggregate: true });
    const results = await producer.putAll(Array.from({ length: 50 }, (_, i) => ({ partitionKey: `k${i}`, data: text(`${i}`) })));
    expect(results.every((r) => r.succeeded && r.subSequenceNumber === undefined)).toBe(true);
    expect(mock.written).toHaveLength(50);
    expect(mock.listShardsCalls).toBeGreaterThanOrEqual(1);
  });

  test('names the stream by ARN when given one, and needs one of name and ARN', async () => {
    const mock = new MockKinesis(evenShards(1));
    const arn = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
    let seen: unknown;
    mock.script = (entries) => mock.acceptAll(entries);
    const client = {
      send: (c: { input: unknown }) => {
        seen = c.input;
        return mock.client.send(c as never);
      },
    } as never;
    const producer = new KinesisProducer({ client, streamArn: arn, rateLimit: false, bufferTimeMs: 1 });
    await producer.put({ partitionKey: 'a', data: text('1') });
    expect(seen).toMatchObject({ StreamARN: arn });
    expect(() => new KinesisProducer({ client: mock.client })).toThrow(/streamName or a streamArn/);
  });
});
