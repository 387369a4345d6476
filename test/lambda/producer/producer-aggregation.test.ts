import { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { decode, evenShards, MAX_HASH, md5Hash, MockKinesis, MockShard, text } from './mock-kinesis';
import { deaggregate, DeaggregatedRecord, isAggregated } from '../../../lambda/aggregation';
import { KinesisProducer } from '../../../lambda/producer';

/** What a consumer that checks hash ranges (the KCL) reads from an entry that landed on `shard`. */
function consume(entry: PutRecordsRequestEntry, shard: MockShard): DeaggregatedRecord[] {
  return deaggregate(entry.Data!, entry.PartitionKey!, entry.ExplicitHashKey).filter((r) => {
    const hash = r.explicitHashKey !== undefined ? BigInt(r.explicitHashKey) : md5Hash(r.partitionKey);
    return hash >= shard.start && hash <= shard.end;
  });
}

function records(n: number, keys: number) {
  const counters = new Map<string, number>();
  return Array.from({ length: n }, (_, i) => {
    const key = `device-${(i * 7919) % keys}`;
    const seq = counters.get(key) ?? 0;
    counters.set(key, seq + 1);
    return { partitionKey: key, data: text(`${key}:${seq}:${'x'.repeat(80)}`) };
  });
}

function expectEachOnceInOrder(read: DeaggregatedRecord[], sent: ReturnType<typeof records>) {
  const perKey = (rs: Array<{ partitionKey: string; data: Uint8Array }>) => {
    const m = new Map<string, string[]>();
    for (const r of rs) m.set(r.partitionKey, [...(m.get(r.partitionKey) ?? []), decode(r.data)]);
    return m;
  };
  expect(read).toHaveLength(sent.length);
  expect(perKey(read)).toEqual(perKey(sent));
}

describe('KinesisProducer aggregation', () => {
  test('packs records of the same shard only, pins each aggregate inside its shard, and loses nothing', async () => {
    const mock = new MockKinesis(evenShards(4));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', aggregate: true, rateLimit: false, bufferTimeMs: 5 });
    const sent = records(5000, 300);
    const results = await producer.putAll(sent);
    expect(results.every((r) => r.succeeded)).toBe(true);
    const read: DeaggregatedRecord[] = [];
    for (const entry of mock.written) {
      const shard = mock.shardOf(entry);
      const inside = consume(entry, shard);
      // Every user record of every aggregate is inside the range of the shard the aggregate landed on.
      expect(inside).toHaveLength(deaggregate(entry.Data!, entry.PartitionKey!).length);
      if (isAggregated(entry.Data!)) expect(BigInt(entry.ExplicitHashKey!)).toBeGreaterThanOrEqual(shard.start);
      read.push(...inside);
    }
    expectEachOnceInOrder(read, sent);
    expect(mock.written.length).toBeLessThan(200);
    const aggregated = results.filter((r) => r.subSequenceNumber !== undefined);
    expect(aggregated.length).toBeGreaterThan(4000);
    // Records of one aggregate share its sequence number and are told their position in it.
    const first = aggregated[0];
    const siblings = results.filter((r) => r.sequenceNumber === first.sequenceNumber).map((r) => r.subSequenceNumber).sort((a, b) => a! - b!);
    expect(siblings).toEqual(siblings.map((_, i) => i));
  });

  test('aggregates stay within the aggregation size limit', async () => {
    const mock = new MockKinesis(evenShards(1));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', aggregate: true, rateLimit: false, bufferTimeMs: 5, aggregationMaxBytes: 4096 });
    await producer.putAll(records(2000, 50));
    expect(mock.written.every((e) => e.Data!.length + Buffer.byteLength(e.PartitionKey!) <= 4096)).toBe(true);
    expect(mock.written.filter((e) => isAggregated(e.Data!)).length).toBeGreaterThan(30);
  });

  test('a record larger than the aggregation limit goes alone, as a plain record', async () => {
    const mock = new MockKinesis(evenShards(1));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', aggregate: true, rateLimit: false, bufferTimeMs: 5, aggregationMaxBytes: 1024 });
    const big = { partitionKey: 'big', data: Buffer.alloc(5000, 7) };
    const results = await producer.putAll([...records(20, 4), big, ...records(20, 4).map((r) => ({ ...r, partitionKey: `${r.partitionKey}-b` }))]);
    expect(results.every((r) => r.succeeded)).toBe(true);
    expect(results[20].subSequenceNumber).toBeUndefined();
    const plain = mock.written.find((e) => e.PartitionKey === 'big')!;
    expect(Buffer.from(plain.Data!).equals(big.data)).toBe(true);
    expect(mock.written.filter((e) => isAggregated(e.Data!)).length).toBeGreaterThan(1);
  });

  test('after a reshard it re-sends what a range-checking consumer would drop, so each record is read once', async () => {
    const mock = new MockKinesis([{ id: 'shardId-000000000000', start: 0n, end: MAX_HASH }]);
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', aggregate: true, rateLimit: false, bufferTimeMs: 5 });
    const sent = records(4000, 200);
    expect((await producer.putAll(sent.slice(0, 1000))).every((r) => r.succeeded)).toBe(true);

    // SplitShard behind the producer's back: the parent closes, two children share its range.
    const middle = MAX_HASH / 2n;
    mock.shards = [
      { id: 'shardId-000000000000', start: 0n, end: MAX_HASH, closed: true },
      { id: 'shardId-000000000001', start: 0n, end: middle },
      { id: 'shardId-000000000002', start: middle + 1n, end: MAX_HASH },
    ];
    const landed: Array<{ entry: PutRecordsRequestEntry; shard: MockShard }> = [];
    mock.script = (entries) => {
      entries.forEach((entry) => landed.push({ entry, shard: mock.shardOf(entry) }));
      return mock.acceptAll(entries);
    };
    const results = await producer.putAll(sent.slice(1000));
    expect(results.every((r) => r.succeeded)).toBe(true);
    expect(producer.metrics.wrongShard).toBeGreaterThan(0);
    expect(producer.metrics.resentAfterReshard).toBeGreaterThan(0);
    expect(results.some((r) => r.possibleDuplicate)).toBe(true);

    const parent = { id: 'shardId-000000000000', start: 0n, end: MAX_HASH };
    const read = mock.written.slice(0, mock.written.length - landed.length).flatMap((e) => consume(e, parent));
    read.push(...landed.flatMap(({ entry, shard }) => consume(entry, shard)));
    expectEachOnceInOrder(read, sent);
    // Once the map is fresh, aggregates land where they were grouped for.
    const late = landed.slice(-5);
    expect(late.every(({ entry, shard }) => consume(entry, shard).length === deaggregate(entry.Data!, entry.PartitionKey!).length)).toBe(true);
  });

  test('refreshes the shard map on its period', async () => {
    const mock = new MockKinesis(evenShards(2));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', aggregate: true, bufferTimeMs: 1, shardMapRefreshIntervalMs: 30 });
    await producer.putAll(records(10, 5));
    await new Promise((r) => setTimeout(r, 40));
    await producer.putAll(records(10, 5));
    expect(mock.listShardsCalls).toBe(2);
  });
});
