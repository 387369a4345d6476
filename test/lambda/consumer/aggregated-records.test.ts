/**
 * The runtime keeps aggregated user records as (aggregate, sub-sequence number) until it handles them, and awaits
 * only what the handler returns as a thenable: both paths must keep per-key order, stop a key at its first failure
 * and report the record it stopped at.
 */
import { encodeAggregate } from '../../../lambda/aggregation';
import { processKinesisBatch, RecordDecodeError, RecordHandlerError } from '../../../lambda/consumer';
import type { KinesisUserRecord } from '../../../lambda/consumer';
import { aggregatedRecord, DEFAULT_SHARD, event, kinesisRecord, sequenceNumber, STREAM_ARN } from '../../support/kinesis-events';

const quiet = { onFailure: () => undefined };

/** Aggregates of `perAggregate` user records, keys `k0`..`k<keys-1>` in turn, data `<key>#<n>` numbered per key. */
function aggregatedBatch(aggregates: number, perAggregate: number, keys: number) {
  const counters = new Map<string, number>();
  return event(...Array.from({ length: aggregates }, (_, a) => aggregatedRecord(a + 1, `enclosing-${a}`,
    Array.from({ length: perAggregate }, (__, j) => {
      const key = `k${(a * perAggregate + j) % keys}`;
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      return { partitionKey: key, data: `${key}#${n}` };
    }))));
}

type Style = 'sync' | 'promise' | 'thenable';

/** A handler of the given style that records what it saw and fails the records `fails` picks. */
function handlerOf(style: Style, fails: (data: string) => boolean) {
  const seen = new Map<string, number[]>();
  const handle = (body: Buffer, record: KinesisUserRecord) => {
    const [key, n] = body.toString().split('#');
    expect(key).toBe(record.partitionKey);
    if (fails(body.toString())) throw new Error(`boom ${body.toString()}`);
    seen.set(key, [...seen.get(key) ?? [], Number(n)]);
  };
  const handler = (body: Buffer, record: KinesisUserRecord): unknown => {
    if (style === 'sync') return handle(body, record);
    if (style === 'promise') return new Promise<void>((resolve) => setImmediate(resolve)).then(() => handle(body, record));
    // A thenable that is not a Promise settles later too; it must be awaited, not dropped.
    return { then: (ok: () => void, ko: (e: unknown) => void) => setImmediate(() => { try { handle(body, record); ok(); } catch (e) { ko(e); } }) };
  };
  return { seen, handler };
}

describe.each<Style>(['sync', 'promise', 'thenable'])('aggregated batches with a %s handler', (style) => {
  test('each key is handled in order, all records once', async () => {
    const batch = aggregatedBatch(25, 20, 37);
    const { seen, handler } = handlerOf(style, () => false);
    const outcome = await processKinesisBatch(batch, handler, { keyConcurrency: 4 });
    expect(outcome).toMatchObject({ batchItemFailures: [], handled: 500, skipped: 0 });
    expect(seen.size).toBe(37);
    for (const ns of seen.values()) expect(ns).toEqual(ns.map((_, i) => i));
  });

  test('a key stops at its first failure, other keys go on, the failure names its user record', async () => {
    const batch = aggregatedBatch(10, 6, 7);
    // k3#2 fails; k3#4 would fail too but is never reached. k5#1 fails later in the batch.
    const { seen, handler } = handlerOf(style, (d) => d === 'k3#2' || d === 'k3#4' || d === 'k5#1');
    const outcome = await processKinesisBatch(batch, handler, { keyConcurrency: 3, ...quiet });
    expect(seen.get('k3')).toEqual([0, 1]);
    expect(seen.get('k5')).toEqual([0]);
    for (const key of ['k0', 'k1', 'k2', 'k4', 'k6']) expect(seen.get(key)?.length).toBeGreaterThan(5);
    // User record i of the batch is key k(i % 7), n = floor(i / 7): k3#2 is i = 17 (aggregate 2, sub 5), k5#1 is
    // i = 12 (aggregate 2, sub 0).
    expect(outcome.failures.map((f) => [f.constructor, f.record])).toEqual([
      [RecordHandlerError, { shardId: DEFAULT_SHARD, sequenceNumber: sequenceNumber(3), subSequenceNumber: 0, partitionKey: 'k5' }],
      [RecordHandlerError, { shardId: DEFAULT_SHARD, sequenceNumber: sequenceNumber(3), subSequenceNumber: 5, partitionKey: 'k3' }],
    ]);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(3) }]);
    expect(outcome.handled).toBe(60 - 7 - 7); // k3 has 9 records in the batch, k5 has 8
  });

  test('strict mode stops the shard at its first failure inside an aggregate', async () => {
    const batch = aggregatedBatch(3, 4, 5);
    const { seen, handler } = handlerOf(style, (d) => d === 'k1#1');
    const outcome = await processKinesisBatch(batch, handler, { strict: true, ...quiet });
    // k1#1 is user record 6: aggregate 2, sub 2; records 0..5 were handled.
    expect(outcome.handled).toBe(6);
    expect(outcome.failures.map((f) => f.record)).toEqual([
      { shardId: DEFAULT_SHARD, sequenceNumber: sequenceNumber(2), subSequenceNumber: 2, partitionKey: 'k1' },
    ]);
    expect([...seen.values()].flat()).toHaveLength(6);
  });
});

describe('aggregated user records', () => {
  test('carry their own identity, data, explicit hash key and the enclosing record\'s metadata', async () => {
    const data = encodeAggregate([
      { partitionKey: 'ключ', data: Buffer.from('one') },
      { partitionKey: 'b', explicitHashKey: '42', data: Buffer.from([0, 1, 2]) },
    ]);
    const got: { record: KinesisUserRecord; body: Buffer }[] = [];
    await processKinesisBatch(event(kinesisRecord({ partitionKey: 'outer', data, sequence: 9 })), (body, record) => { got.push({ record, body }); },
      { keyConcurrency: 1 });
    got.sort((x, y) => x.record.subSequenceNumber - y.record.subSequenceNumber);
    expect(got.map(({ record }) => [record.partitionKey, record.subSequenceNumber, record.explicitHashKey, record.aggregated, record.eventSourceArn]))
      .toEqual([['ключ', 0, undefined, true, STREAM_ARN], ['b', 1, '42', true, STREAM_ARN]]);
    expect(got.map(({ record, body }) => [body.toString('hex'), record.data.toString('hex')])).toEqual([['6f6e65', '6f6e65'], ['000102', '000102']]);
    expect(got[0].record.approximateArrivalTimestamp).toBe(1545084650.987);
  });

  test('aggregates that arrive out of order are handled in position order', async () => {
    const seen: string[] = [];
    await processKinesisBatch(event(
      aggregatedRecord(3, 'x', [{ partitionKey: 'a', data: 'a2' }, { partitionKey: 'a', data: 'a3' }]),
      aggregatedRecord(1, 'x', [{ partitionKey: 'a', data: 'a0' }, { partitionKey: 'b', data: 'b0' }, { partitionKey: 'a', data: 'a1' }]),
      kinesisRecord({ partitionKey: 'b', data: 'b1', sequence: 2 }),
    ), (body) => { seen.push(body.toString()); }, { keyConcurrency: 1 });
    expect(seen).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'a3']);
  });

  test('an aggregate with a valid MD5 but malformed protobuf fails its enclosing key only', async () => {
    const { createHash } = jest.requireActual<typeof import('crypto')>('crypto');
    const body = Buffer.from([0x0a, 1, 0x6b, 0x1a, 2, 0x08, 0x80]); // a record whose varint is truncated
    const data = Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), body, createHash('md5').update(body).digest()]);
    const seen: string[] = [];
    const outcome = await processKinesisBatch(event(
      kinesisRecord({ partitionKey: 'outer', data, sequence: 1 }),
      kinesisRecord({ partitionKey: 'outer', data: 'later', sequence: 2 }),
      kinesisRecord({ partitionKey: 'other', data: 'fine', sequence: 3 }),
    ), (b) => { seen.push(b.toString()); }, quiet);
    expect(seen).toEqual(['fine']);
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]).toBeInstanceOf(RecordDecodeError);
    expect(outcome.failures[0].message).toMatch(/truncated varint at byte 11/);
    expect(outcome.failures[0].record).toEqual({ shardId: DEFAULT_SHARD, sequenceNumber: sequenceNumber(1), subSequenceNumber: 0, partitionKey: 'outer' });
  });
});
