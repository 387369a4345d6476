import { KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { text } from './mock-kinesis';
import { deaggregate } from '../../../lambda/aggregation';
import { Batcher } from '../../../lambda/producer/batcher';
import { Entry, PendingRecord } from '../../../lambda/producer/entry';
import { effectiveHashKey, MAX_HASH_KEY, partitionKeyHash } from '../../../lambda/producer/hash-key';
import { KeyQueues } from '../../../lambda/producer/key-queues';
import { ShardMap, ShardRange } from '../../../lambda/producer/shard-map';

const shard = (id: string, start: bigint, end: bigint, closed = false) => ({
  ShardId: id,
  HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: end.toString() },
  SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: closed ? '9' : undefined },
});

function client(pages: Array<() => object>) {
  const inputs: object[] = [];
  let call = 0;
  return {
    inputs,
    client: {
      send: async (c: ListShardsCommand) => {
        inputs.push(c.input);
        return pages[Math.min(call++, pages.length - 1)]();
      },
    } as unknown as KinesisClient,
  };
}

describe('hash keys', () => {
  test('the MD5 of the partition key as a 128-bit integer', () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661
    expect(partitionKeyHash('a')).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    expect(effectiveHashKey('a', '42')).toBe(42n);
    expect(MAX_HASH_KEY).toBe(2n ** 128n - 1n);
  });
});

describe('ShardMap', () => {
  const half = MAX_HASH_KEY / 2n;

  test('follows NextToken without the stream name, keeps open shards only, and looks up range edges', async () => {
    const { client: c, inputs } = client([
      () => ({ Shards: [shard('s0', 0n, MAX_HASH_KEY, true), shard('s2', half + 1n, MAX_HASH_KEY)], NextToken: 't1' }),
      () => ({ Shards: [shard('s1', 0n, half)] }),
    ]);
    const map = new ShardMap(c, { streamName: 'st' }, { refreshIntervalMs: 60_000, minRefreshGapMs: 1000, requestTimeoutMs: 1000 });
    expect(map.loaded).toBe(false);
    await map.refreshIfDue();
    expect(inputs).toEqual([{ StreamName: 'st' }, { NextToken: 't1' }]);
    expect(map.openShards.map((s: ShardRange) => s.shardId)).toEqual(['s1', 's2']);
    expect(map.lookup(0n)?.shardId).toBe('s1');
    expect(map.lookup(half)?.shardId).toBe('s1');
    expect(map.lookup(half + 1n)?.shardId).toBe('s2');
    expect(map.lookup(MAX_HASH_KEY)?.shardId).toBe('s2');
    expect(map.lookup(MAX_HASH_KEY + 1n)).toBeUndefined();
    expect(map.version).toBe(1);
    expect(map.refreshIfDue()).toBeUndefined(); // fresh
  });

  test('a refresh that finds the same shards keeps the version; a failed one keeps the map', async () => {
    let now = 0;
    let fail = false;
    const { client: c } = client([() => {
      if (fail) throw new Error('throttled');
      return { Shards: [shard('s0', 0n, MAX_HASH_KEY)] };
    }]);
    const map = new ShardMap(c, { streamArn: 'arn' }, { refreshIntervalMs: 100, minRefreshGapMs: 10, requestTimeoutMs: 1000, now: () => now });
    await map.refresh();
    now = 100;
    await map.refreshIfDue();
    expect(map.version).toBe(1);
    fail = true;
    now = 250;
    await map.refreshIfDue();
    expect(map.error).toBeInstanceOf(Error);
    expect(map.lookup(5n)?.shardId).toBe('s0');
    now = 255;
    expect(map.due).toBe(false); // waits the minimum gap after a failure
    now = 261;
    expect(map.due).toBe(true);
    map.invalidate();
    fail = false;
    await map.refreshIfDue();
    expect(map.error).toBeUndefined();
  });
});

describe('ShardMap timeouts', () => {
  test('a ListShards call that never answers is abandoned after the request timeout, keeping the producer alive', async () => {
    const hung = {
      send: (_: unknown, options: { abortSignal: AbortSignal }) => new Promise((_resolve, reject) => {
        options.abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
    } as unknown as KinesisClient;
    const map = new ShardMap(hung, { streamName: 's' }, { refreshIntervalMs: 60_000, minRefreshGapMs: 1000, requestTimeoutMs: 30 });
    const started = Date.now();
    await map.refresh();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(map.loaded).toBe(false);
    expect((map.error as Error).name).toBe('AbortError');
  });
});

describe('Batcher after a reshard', () => {
  test('splits a retried aggregate whose records now belong to two shards, one aggregate per shard, keys still held', () => {
    const half = MAX_HASH_KEY / 2n;
    let version = 1;
    const lookup = (h: bigint) => (version === 1
      ? { shardId: 'parent', startingHashKey: 0n, endingHashKey: MAX_HASH_KEY }
      : h <= half ? { shardId: 'left', startingHashKey: 0n, endingHashKey: half } : { shardId: 'right', startingHashKey: half + 1n, endingHashKey: MAX_HASH_KEY });
    const map = { get version() { return version; }, lookup } as unknown as ShardMap;
    const queues = new KeyQueues();
    const batcher = new Batcher(queues, { aggregate: true, aggregationMaxBytes: 50_000, maxEntriesPerRequest: 500, maxRequestBytes: 5_000_000 }, map);
    const settle = jest.fn();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const pending = (key: string, i: number): PendingRecord => ({
      record: { partitionKey: key, data: text(`${key}${i}`) }, index: i, hashKey: partitionKeyHash(key), sizeBytes: 2 + key.length, enqueuedAt: 0, settle,
    });
    keys.forEach((k, i) => queues.enqueue(pending(k, i), 'parent'));
    const [aggregate] = batcher.next(0).entries;
    expect(aggregate.records).toHaveLength(6);
    expect(aggregate.shardId).toBe('parent');

    // The entry fails, waits for a retry, and the map changes meanwhile. A new record of key 'a' arrives: it must wait.
    batcher.scheduleRetry(aggregate);
    version = 2;
    queues.enqueue(pending('a', 99), lookup(partitionKeyHash('a')).shardId);
    const parts: Entry[] = batcher.next(1).entries;
    expect(parts.length).toBe(2);
    for (const part of parts) {
      const range = lookup(part.records[0].hashKey);
      expect(part.shardId).toBe(range.shardId);
      expect(part.records.every((r) => lookup(r.hashKey).shardId === part.shardId)).toBe(true);
      expect(BigInt(part.explicitHashKey ?? partitionKeyHash(part.partitionKey).toString())).toBeGreaterThanOrEqual(range.startingHashKey);
      if (part.aggregated) expect(deaggregate(part.data, part.partitionKey).map((r) => r.partitionKey)).toEqual(part.records.map((r) => r.record.partitionKey));
    }
    expect(parts.flatMap((p) => p.records.map((r) => r.record.partitionKey)).sort()).toEqual(keys);
    // 'a99' was not sent with or after its predecessor's retry: 'a' is held until that retry is acknowledged.
    expect(parts.flatMap((p) => p.records).some((r) => r.index === 99)).toBe(false);
    expect(batcher.next(2).entries).toEqual([]);
    const holder = parts.find((p) => p.records.some((r) => r.record.partitionKey === 'a'))!;
    queues.release('a');
    expect(holder).toBeDefined();
    expect(batcher.next(3).entries.flatMap((e) => e.records.map((r) => r.index))).toEqual([99]);
  });
});

describe('Batcher after a reshard, plain entries', () => {
  test('a retried plain entry gets a new shard prediction; an aggregate part with no shard is sent as plain records', () => {
    let version = 1;
    const map = {
      get version() { return version; },
      lookup: (h: bigint) => (version === 1 || h % 2n === 0n
        ? { shardId: `v${version}`, startingHashKey: 0n, endingHashKey: MAX_HASH_KEY }
        : undefined),
    } as unknown as ShardMap;
    const settle = jest.fn();
    const pending = (key: string, hashKey: bigint): PendingRecord => ({
      record: { partitionKey: key, data: text(key) }, index: 0, hashKey, sizeBytes: 2, enqueuedAt: 0, settle,
    });

    const plainQueues = new KeyQueues();
    const plain = new Batcher(plainQueues, { aggregate: false, aggregationMaxBytes: 50_000, maxEntriesPerRequest: 500, maxRequestBytes: 5_000_000 }, map);
    plainQueues.enqueue(pending('p', 2n), 'v1');
    const [entry] = plain.next(0).entries;
    expect(entry.shardId).toBe('v1');
    plain.scheduleRetry(entry);
    version = 2;
    expect(plain.next(1).entries[0]).toMatchObject({ shardId: 'v2', mapVersion: 2 });

    version = 1;
    const aggQueues = new KeyQueues();
    const agg = new Batcher(aggQueues, { aggregate: true, aggregationMaxBytes: 50_000, maxEntriesPerRequest: 500, maxRequestBytes: 5_000_000 }, map);
    aggQueues.enqueue(pending('even', 4n), 'v1');
    aggQueues.enqueue(pending('odd', 5n), 'v1');
    const [aggregate] = agg.next(0).entries;
    expect(aggregate.aggregated).toBe(true);
    agg.scheduleRetry(aggregate);
    version = 2;
    const parts = agg.next(1).entries;
    expect(parts.map((p) => [p.partitionKey, p.shardId, p.aggregated])).toEqual([['even', 'v2', false], ['odd', undefined, false]]);
  });
});
