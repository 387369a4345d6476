/**
 * The runtime handles records as it reads them, on `keyConcurrency` lanes. Whatever the batch (plain and aggregated
 * records, several shards interleaved, out of order), the handler (synchronous, promise, thenable, or a mix) and the
 * failures, the outcome must be the one of the simplest correct consumer: each shard's records grouped by partition
 * key (strict: one group per shard), each group handled in position order up to its first failure.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { MemoryCheckpoints } from './memory-checkpoints';
import { bucketOf, bucketOfAscii } from '../../../lambda/aggregation/key-bucket';
import { comparePositions, processKinesisBatch } from '../../../lambda/consumer';
import type { KinesisUserRecord, RecordPosition } from '../../../lambda/consumer';
import { bucketOf as schedulerBucketOf } from '../../../lambda/consumer/scheduler';
import { aggregatedRecord, event, kinesisRecord } from '../../support/kinesis-events';
import { seededRandom } from '../../support/random';

interface UserSpec {
  readonly shardId: string;
  readonly partitionKey: string;
  /** Unique in the batch: `<shard>/<n>`. */
  readonly data: string;
  readonly position: RecordPosition;
}

type Style = 'sync' | 'promise' | 'thenable';

interface Case {
  readonly event: KinesisStreamEvent;
  /** Every user record, in no particular order. */
  readonly users: UserSpec[];
  readonly fails: Set<string>;
  readonly styleOf: (data: string) => Style;
}

const SHARDS = ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'];

/**
 * A batch of 1 to 3 shards. Keys are few, so that they repeat; several differ only in their first character
 * (`a-key`, `b-key`, `c-key`), which the runtime's filters cannot tell apart.
 */
function generate(seed: number): Case {
  const next = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const keys = ['a-key', 'b-key', 'c-key', 'k', 'user-17', 'user-42', 'ключ', 'x'.repeat(40)].slice(0, 2 + Math.floor(next() * 7));
  const shards = SHARDS.slice(0, 1 + Math.floor(next() * SHARDS.length));
  const perShard: KinesisStreamRecord[][] = shards.map(() => []);
  const users: UserSpec[] = [];
  let sequence = 1;
  let n = 0;
  const kinesisRecords = 1 + Math.floor(next() * 40);
  for (let i = 0; i < kinesisRecords; i++) {
    const s = Math.floor(next() * shards.length);
    const shardId = shards[s];
    const seq = sequence++;
    const seqString = kinesisRecord({ partitionKey: 'k', data: '', sequence: seq }).kinesis.sequenceNumber;
    if (next() < 0.4) {
      const size = 1 + Math.floor(next() * 6);
      const inner = Array.from({ length: size }, (_, sub) => {
        const u = { shardId, partitionKey: pick(keys), data: `${shardId}/${n++}`, position: { sequenceNumber: seqString, subSequenceNumber: sub } };
        users.push(u);
        return { partitionKey: u.partitionKey, data: u.data };
      });
      perShard[s].push(aggregatedRecord(seq, 'enclosing', inner, shardId));
    } else {
      const u = { shardId, partitionKey: pick(keys), data: `${shardId}/${n++}`, position: { sequenceNumber: seqString, subSequenceNumber: 0 } };
      users.push(u);
      perShard[s].push(kinesisRecord({ partitionKey: u.partitionKey, data: u.data, sequence: seq, shardId }));
    }
  }
  // Interleave the shards, keeping each one's order, or now and then disorder a shard as a hand-built event might.
  const records: KinesisStreamRecord[] = [];
  const cursors = perShard.map(() => 0);
  while (records.length < kinesisRecords) {
    const s = Math.floor(next() * perShard.length);
    if (cursors[s] < perShard[s].length) records.push(perShard[s][cursors[s]++]);
  }
  if (next() < 0.15 && records.length > 1) {
    const i = Math.floor(next() * records.length);
    const j = Math.floor(next() * records.length);
    [records[i], records[j]] = [records[j], records[i]];
  }
  const failureRate = pick([0, 0.05, 0.3]);
  const fails = new Set(users.filter(() => next() < failureRate).map((u) => u.data));
  const mix = pick<Style | 'mixed'>(['sync', 'promise', 'thenable', 'mixed']);
  const styles = new Map(users.map((u) => [u.data, mix === 'mixed' ? pick<Style>(['sync', 'promise', 'thenable']) : mix]));
  return { event: event(...records), users, fails, styleOf: (data) => styles.get(data)! };
}

/** What the simplest correct consumer does: per group, in position order, up to the first failure. */
function expected(c: Case, strict: boolean) {
  const groups = new Map<string, UserSpec[]>();
  for (const u of c.users) {
    const id = strict ? u.shardId : `${u.shardId}|${u.partitionKey}`;
    groups.set(id, [...groups.get(id) ?? [], u]);
  }
  const handled = new Map<string, string[]>();
  const stops: UserSpec[] = [];
  for (const [id, group] of groups) {
    group.sort((a, b) => comparePositions(a.position, b.position));
    const stop = group.findIndex((u) => c.fails.has(u.data));
    handled.set(id, group.slice(0, stop < 0 ? group.length : stop).map((u) => u.data));
    if (stop >= 0) stops.push(group[stop]);
  }
  stops.sort((a, b) => comparePositions(a.position, b.position));
  return { handled, stops };
}

/** A handler in the style the case gives each record, which checks the concurrency limits it is run under. */
function instrumentedHandler(c: Case, strict: boolean, keyConcurrency: number) {
  const handled = new Map<string, string[]>();
  const inFlight = new Map<string, number>();
  let peak = 0;
  const violations: string[] = [];
  const handle = (data: string, record: KinesisUserRecord) => {
    const id = strict ? record.shardId : `${record.shardId}|${record.partitionKey}`;
    if (c.fails.has(data)) throw new Error(`fails ${data}`);
    handled.set(id, [...handled.get(id) ?? [], data]);
  };
  const handler = (body: Buffer, record: KinesisUserRecord): unknown => {
    const data = body.toString();
    const id = strict ? record.shardId : `${record.shardId}|${record.partitionKey}`;
    const style = c.styleOf(data);
    if (style === 'sync') {
      if (inFlight.has(id)) violations.push(`${data} started while its key had a record in flight`);
      return handle(data, record);
    }
    if (inFlight.has(id)) violations.push(`${data} started while its key had a record in flight`);
    inFlight.set(id, 1);
    peak = Math.max(peak, inFlight.size);
    if (inFlight.size > keyConcurrency) violations.push(`${inFlight.size} keys in flight, more than ${keyConcurrency}`);
    const settle = (ok: () => void, ko: (e: unknown) => void) => {
      inFlight.delete(id);
      try {
        handle(data, record);
        ok();
      } catch (e) {
        ko(e);
      }
    };
    if (style === 'promise') {
      // Settle after a varying number of turns, so that keys overtake each other.
      const turns = data.length % 3;
      return new Promise<void>((ok, ko) => {
        const step = (left: number) => (left === 0 ? settle(ok, ko) : setImmediate(() => step(left - 1)));
        step(turns);
      });
    }
    return { then: (ok: () => void, ko: (e: unknown) => void) => queueMicrotask(() => settle(ok, ko)) };
  };
  return { handler, handled, violations, peak: () => peak };
}

const quiet = { onFailure: () => undefined };

describe.each([
  { strict: false, keyConcurrency: 1 },
  { strict: false, keyConcurrency: 3 },
  { strict: false, keyConcurrency: 10 },
  { strict: false, keyConcurrency: 40 },
  { strict: true, keyConcurrency: 2 },
])('random batches, strict: $strict, keyConcurrency: $keyConcurrency', ({ strict, keyConcurrency }) => {
  test.each(Array.from({ length: 60 }, (_, i) => 1000 + i))('seed %i: same outcome as handling each group in order', async (seed) => {
    const c = generate(seed);
    const want = expected(c, strict);
    const got = instrumentedHandler(c, strict, keyConcurrency);
    const outcome = await processKinesisBatch(c.event, got.handler, { strict, keyConcurrency, ...quiet });
    expect(got.violations).toEqual([]);
    expect(Object.fromEntries(got.handled)).toEqual(Object.fromEntries([...want.handled].filter(([, v]) => v.length > 0)));
    expect(outcome.handled).toBe([...want.handled.values()].reduce((sum, v) => sum + v.length, 0));
    expect(outcome.failures.map((f) => [f.record.shardId, f.record.partitionKey, f.record.sequenceNumber, f.record.subSequenceNumber]))
      .toEqual(want.stops.map((u) => [u.shardId, u.partitionKey, u.position.sequenceNumber, u.position.subSequenceNumber]));
    const lowestFirst = [...new Set(want.stops.map((u) => u.position.sequenceNumber))];
    expect(outcome.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(lowestFirst);
  });
});

describe('random batches with checkpoints', () => {
  test.each(Array.from({ length: 30 }, (_, i) => 2000 + i))('seed %i: a retry handles exactly what the first attempt did not', async (seed) => {
    const c = generate(seed);
    const checkpoints = new MemoryCheckpoints();
    const first = instrumentedHandler(c, false, 4);
    await processKinesisBatch(c.event, first.handler, { keyConcurrency: 4, checkpoints, ...quiet });
    // The retry: nothing fails any more.
    const retried: Case = { ...c, fails: new Set() };
    const second = instrumentedHandler(retried, false, 4);
    const outcome = await processKinesisBatch(c.event, second.handler, { keyConcurrency: 4, checkpoints, ...quiet });
    expect(outcome.batchItemFailures).toEqual([]);
    const all = [...first.handled.values(), ...second.handled.values()].flat().sort();
    expect(all).toEqual(c.users.map((u) => u.data).sort());
    expect(outcome.skipped).toBe([...first.handled.values()].flat().length);
  });
});

describe('lanes and keys', () => {
  test('keys that the filters cannot tell apart are still handled concurrently, each in order', async () => {
    const keys = ['a-key', 'b-key', 'c-key', 'd-key'];
    expect(new Set(keys.map(bucketOf)).size).toBe(1);
    const batch = event(...Array.from({ length: 40 }, (_, i) => kinesisRecord({ partitionKey: keys[i % 4], data: `${keys[i % 4]}#${Math.floor(i / 4)}`, sequence: i + 1 })));
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let peak = 0;
    await processKinesisBatch(batch, async (body, record) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      seen.set(record.partitionKey, [...seen.get(record.partitionKey) ?? [], Number(body.toString().split('#')[1])]);
    }, { keyConcurrency: 4 });
    expect(peak).toBe(4);
    for (const key of keys) expect(seen.get(key)).toEqual([...Array(10).keys()]);
  });

  test('a stopped key of one shard does not stop the same key in another shard', async () => {
    const batch = event(
      kinesisRecord({ partitionKey: 'k', data: 'fail', sequence: 1, shardId: SHARDS[0] }),
      kinesisRecord({ partitionKey: 'k', data: 'a', sequence: 2, shardId: SHARDS[1] }),
      kinesisRecord({ partitionKey: 'k', data: 'b', sequence: 3, shardId: SHARDS[0] }),
      kinesisRecord({ partitionKey: 'k', data: 'c', sequence: 4, shardId: SHARDS[1] }),
    );
    const seen: string[] = [];
    const outcome = await processKinesisBatch(batch, (body) => {
      if (body.toString() === 'fail') throw new Error('no');
      seen.push(body.toString());
    }, quiet);
    expect(seen).toEqual(['a', 'c']);
    expect(outcome.failures.map((f) => f.record.shardId)).toEqual([SHARDS[0]]);
  });

  test('records queued behind a failing record of their key are not handled; other keys go on', async () => {
    const batch = event(...['k:1', 'j:1', 'k:2', 'k:3', 'j:2'].map((d, i) => kinesisRecord({ partitionKey: d.split(':')[0], data: d, sequence: i + 1 })));
    const seen: string[] = [];
    const outcome = await processKinesisBatch(batch, async (body) => {
      await new Promise((r) => setImmediate(r));
      if (body.toString() === 'k:1') throw new Error('no');
      seen.push(body.toString());
    }, { keyConcurrency: 2, ...quiet });
    expect(seen).toEqual(['j:1', 'j:2']);
    expect(outcome.failures.map((f) => f.record.partitionKey)).toEqual(['k']);
  });

  test('a key shared by aggregated and plain records, ASCII or not, keeps its order while in flight', async () => {
    // An aggregate's ASCII keys get their bucket from the key table's bytes, other keys from their string: the same
    // key must land in the same bucket either way, or its records would run concurrently.
    for (const key of ['user-7', 'ключ-7', 'k']) {
      const batch = event(
        aggregatedRecord(1, 'enclosing', [{ partitionKey: key, data: 'a:1' }, { partitionKey: 'other', data: 'b:1' }]),
        kinesisRecord({ partitionKey: key, data: 'a:2', sequence: 2 }),
        aggregatedRecord(3, 'enclosing', [{ partitionKey: key, data: 'a:3' }]),
      );
      const seen: string[] = [];
      let inFlight = 0;
      await processKinesisBatch(batch, async (body, record) => {
        if (record.partitionKey === key) expect(inFlight++).toBe(0);
        await new Promise((r) => setImmediate(r));
        if (record.partitionKey === key) inFlight--;
        seen.push(body.toString());
      }, { keyConcurrency: 4 });
      expect(seen.filter((d) => d.startsWith('a:'))).toEqual(['a:1', 'a:2', 'a:3']);
    }
  });

  test('in one batch a handler may return promises, custom thenables and plain values; a rejecting thenable fails its record only', async () => {
    const batch = event(...Array.from({ length: 12 }, (_, i) => kinesisRecord({ partitionKey: `k${i % 3}`, data: String(i), sequence: i + 1 })));
    const seen: number[] = [];
    const outcome = await processKinesisBatch(batch, (body) => {
      const n = Number(body.toString());
      if (n === 4) return { then: (_ok: () => void, ko: (e: unknown) => void) => setImmediate(() => ko(new Error('thenable rejected'))) };
      if (n % 3 === 0) return { then: (ok: () => void) => setImmediate(() => { seen.push(n); ok(); }) };
      if (n % 3 === 2) return Promise.resolve().then(() => { seen.push(n); });
      seen.push(n);
      return n;
    }, { keyConcurrency: 3, ...quiet });
    // k1 (1, 4, 7, 10) stops at 4; k0 and k2 are handled in order.
    expect(seen.filter((n) => n % 3 === 0)).toEqual([0, 3, 6, 9]);
    expect(seen.filter((n) => n % 3 === 2)).toEqual([2, 5, 8, 11]);
    expect(seen.filter((n) => n % 3 === 1)).toEqual([1]);
    expect(outcome.failures.map((f) => [f.record.partitionKey, f.name, (f.cause as Error).message])).toEqual([['k1', 'RecordHandlerError', 'thenable rejected']]);
    expect(outcome.handled).toBe(9);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[4].kinesis.sequenceNumber }]);
  });

  test('a thenable whose then throws fails its record, as a rejection would', async () => {
    const batch = event(kinesisRecord({ partitionKey: 'k', data: 'x', sequence: 1 }), kinesisRecord({ partitionKey: 'k', data: 'y', sequence: 2 }));
    const seen: string[] = [];
    const outcome = await processKinesisBatch(batch, (body) => {
      if (body.toString() === 'x') return { then: () => { throw new Error('then threw'); } };
      seen.push(body.toString());
      return undefined;
    }, quiet);
    expect(seen).toEqual([]);
    expect(outcome.failures.map((f) => (f.cause as Error).message)).toEqual(['then threw']);
  });

  test('the runtime keeps nothing of a batch once it is handled', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const refs = await (async () => {
      const batch = event(
        kinesisRecord({ partitionKey: 'k', data: 'plain', sequence: 1 }),
        aggregatedRecord(2, 'x', [{ partitionKey: 'a', data: 'a' }, { partitionKey: 'b', data: 'b' }]),
      );
      await processKinesisBatch(batch, async () => undefined);
      return { event: new WeakRef(batch), records: new WeakRef(batch.Records) };
    })();
    // WeakRefs hold their targets until the job that created them ends.
    await new Promise((r) => setImmediate(r));
    gc();
    expect(refs.event.deref()).toBeUndefined();
    expect(refs.records.deref()).toBeUndefined();
  });
});

describe('bucketOf', () => {
  test.each([
    ['UUIDs', (i: number) => `6f1c2a3e-${String(i).padStart(4, '0')}-4d2b-9c1e-${(i * 7919).toString(16).padStart(12, '0')}`],
    ['numbered keys', (i: number) => `user-${i}`],
    ['zero-padded ids', (i: number) => `device-${String(i).padStart(6, '0')}`],
  ])('spreads %s over every bucket', (_, keyOf) => {
    const buckets = new Set(Array.from({ length: 5000 }, (__, i) => bucketOf(keyOf(i))));
    expect(buckets.size).toBe(256);
  });

  test('the scheduler uses the same buckets', () => {
    expect(schedulerBucketOf).toBe(bucketOf);
  });

  test('the bucket of an ASCII key from its bytes is the bucket of its string, for every length', () => {
    const random = seededRandom(7);
    for (let n = 0; n < 40; n++) {
      for (let k = 0; k < 20; k++) {
        const key = Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
        const framed = Buffer.from(`xx${key}yy`, 'latin1');
        expect(bucketOfAscii(framed, 2, 2 + n)).toBe(bucketOf(key));
      }
    }
  });

  test('short and empty keys (strict mode uses the empty key) have a bucket too', () => {
    for (const key of ['', 'a', 'ab', 'ключ']) {
      const bucket = bucketOf(key);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 256).toBe(true);
    }
  });
});
