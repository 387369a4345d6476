/**
 * PutRecords calls per record on saturated, rate-limited shards, with and without faults (issue #15).
 *
 * Measured on the benchmark's emulator, the extra calls with faults did not come from the retries (they already
 * joined full requests) but from the shards' buckets falling out of step: a request went when one shard had half
 * its burst back, and the other shard, a few tokens short, waited and went alone. A shard slowed by one throttle,
 * or refunded for a few failed entries, is enough, and faults make that happen from the first second. These tests
 * drive the producer against a scripted stream with the service's limits and check that a request carries every
 * shard with rate left.
 */
import { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { evenShards, MockKinesis } from './mock-kinesis';
import { KinesisProducer } from '../../../lambda/producer';
import { KinesisLimits } from '../../../src/validation/limits';
import { seededRandom } from '../../support/random';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Faults {
  /** Share of entries refused with InternalFailure. */
  readonly entryRate: number;
  /** Share of requests answered with a 500 before anything is written. */
  readonly requestRate: number;
}

/**
 * A two-shard stream that accepts at most 1000 records per shard in each one-second window (the excess is throttled,
 * as the service does), answers after 3 ms, and injects `faults` from a seeded draw.
 */
function limitedStream(faults: Faults, seed: number): MockKinesis {
  const random = seededRandom(seed);
  const mock = new MockKinesis(evenShards(2));
  const windows = new Map<string, number>();
  mock.script = async (entries: readonly PutRecordsRequestEntry[]) => {
    await sleep(3);
    if (random() < faults.requestRate) {
      throw Object.assign(new Error('We encountered an internal error'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    }
    const second = Math.floor(Date.now() / 1000);
    const records = entries.map((e) => {
      if (random() < faults.entryRate) return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
      const window = `${mock.shardOf(e).id}@${second}`;
      const n = windows.get(window) ?? 0;
      if (n >= KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND) return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' };
      windows.set(window, n + 1);
      return mock.accept(e);
    });
    return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
  };
  return mock;
}

/** Offers `count` records over 2000 keys at once (more than the shards take in a second) and waits for them all. */
async function saturate(mock: MockKinesis, count: number) {
  const producer = new KinesisProducer({ client: mock.client, streamName: 's', maxAttempts: 30, random: seededRandom(7) });
  const records = Array.from({ length: count }, (_, i) => ({ partitionKey: `device-${(i * 7919) % 2000}`, data: Buffer.from(`${i}`.padEnd(100, '.')) }));
  const started = Date.now();
  const results = await producer.putAll(records);
  const ms = Date.now() - started;
  const twoShardCalls = mock.calls.filter((c) => new Set(c.entries.map((e) => mock.shardOf(e).id)).size === 2).length;
  return {
    ms,
    results,
    calls: mock.calls.length,
    callsPer1000: (1000 * mock.calls.length) / count,
    twoShardShare: twoShardCalls / mock.calls.length,
    retries: producer.metrics.retries,
  };
}

describe('KinesisProducer calls on saturated shards', () => {
  test('with 5% failed entries and 2% failed requests, calls per 1000 records stay within 1.6 times the fault-free figure, at the same rate', async () => {
    const clean = await saturate(limitedStream({ entryRate: 0, requestRate: 0 }, 15), 5000);
    const faulty = await saturate(limitedStream({ entryRate: 0.05, requestRate: 0.02 }, 15), 5000);
    expect(clean.results.every((r) => r.succeeded) && faulty.results.every((r) => r.succeeded)).toBe(true);
    expect(faulty.retries).toBeGreaterThan(200);
    // Fault-free, a request carries both shards' half bursts (about 100 entries): 10 calls per 1000, a few more
    // for the start and the end.
    expect(clean.callsPer1000).toBeLessThan(13);
    // Before requests took every shard with rate left: about 20 with faults, 2 times the fault-free figure.
    expect(faulty.callsPer1000).toBeLessThanOrEqual(1.6 * clean.callsPer1000);
    expect(faulty.twoShardShare).toBeGreaterThan(0.8);
    // The same delivered rate, give or take the last retries' own round trips.
    expect(faulty.ms).toBeLessThan(clean.ms * 1.15 + 300);
  });

  test('a shard slowed by a throttle still shares its requests with the other shard', async () => {
    const mock = new MockKinesis(evenShards(2));
    let throttledOne = false;
    mock.script = (entries) => {
      const records = entries.map((e) => {
        // One throttled entry on the first shard cuts its pace by 2%: its bucket then refills a little slower.
        if (!throttledOne && mock.shardOf(e).id === mock.shards[0].id) {
          throttledOne = true;
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' };
        }
        return mock.accept(e);
      });
      return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
    };
    const run = await saturate(mock, 3000);
    expect(run.results.every((r) => r.succeeded)).toBe(true);
    // Before, the slowed shard was a token short whenever the other had its half burst back, and from then on each
    // went alone: about half the requests carried one shard.
    expect(run.twoShardShare).toBeGreaterThan(0.9);
    expect(run.callsPer1000).toBeLessThan(13);
  });

  test('a shard short of half its burst joins a request another shard started, with the tokens it has', async () => {
    const mock = new MockKinesis(evenShards(2));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', bufferTimeMs: 1, random: () => 0 });
    const keysOf = (shard: number) => function* () {
      for (let i = 0; ; i++) {
        const key = `k${i}`;
        if (mock.shardOf({ PartitionKey: key, Data: new Uint8Array() }).id === mock.shards[shard].id) yield { partitionKey: key, data: Buffer.from(key) };
      }
    }();
    const shard0 = keysOf(0);
    const shard1 = keysOf(1);
    const take = (g: Generator<{ partitionKey: string; data: Buffer }>, n: number) => Array.from({ length: n }, () => g.next().value);
    const shardsIn = (i: number) => mock.calls[i].entries.map((e) => mock.shards.findIndex((s) => s.id === mock.shardOf(e).id));
    // Each shard's bucket holds 100 records (0.1 s at 1000/s): empty the first shard's, then, 15 ms later, the second's.
    await producer.putAll(take(shard0, 100));
    const firstEmptied = mock.calls.length - 1;
    await sleep(15);
    const emptied = mock.calls.length;
    await producer.putAll(take(shard1, 100));
    expect(shardsIn(emptied).every((s) => s === 1)).toBe(true);
    // The setup needs the first shard less than half a burst (50 ms) ahead of the second.
    expect(mock.calls[emptied].at - mock.calls[firstEmptied].at).toBeLessThan(45);
    // Records for both: the first shard has half its burst back first and starts the request; the second, about 25
    // tokens short of its own half, joins it with what it has instead of waiting and going alone.
    const next = mock.calls.length;
    await producer.putAll([...take(shard0, 100), ...take(shard1, 100)]);
    const joint = shardsIn(next);
    const fromSecond = joint.filter((s) => s === 1).length;
    expect(joint.filter((s) => s === 0).length).toBeGreaterThanOrEqual(50);
    expect(fromSecond).toBeGreaterThan(0);
    // Only its tokens, one per millisecond since it was emptied (give or take the few milliseconds between taking
    // the tokens and the call reaching the mock): the second shard is not sent beyond its rate.
    expect(fromSecond).toBeLessThanOrEqual(mock.calls[next].at - mock.calls[emptied].at + 5);
    expect(fromSecond).toBeLessThan(50);
    // Drained together, the two refill in step: the next request carries both again (the last, the second's rest).
    expect(new Set(shardsIn(next + 1))).toEqual(new Set([0, 1]));
  });
});
