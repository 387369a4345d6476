import { MemoryCheckpoints } from './memory-checkpoints';
import { jsonParser, processKinesisBatch, RecordDecodeError, RecordHandlerError, RecordNotAttemptedError } from '../../../lambda/consumer';
import type { KinesisUserRecord } from '../../../lambda/consumer';
import { aggregatedRecord, DEFAULT_SHARD, event, kinesisRecord, lambdaContext, plainEvent, sequenceNumber, STREAM_ARN } from '../../support/kinesis-events';

const quiet = { onFailure: () => undefined };

interface Encoded { partitionKey: string; data: Buffer }

/** Records `(key, data)` in the order the handler saw them, failing those for which `fails` says so. */
function recorder(fails: (data: string, record: KinesisUserRecord) => boolean = () => false) {
  const seen: string[] = [];
  const handler = (body: Buffer, record: KinesisUserRecord) => {
    const data = body.toString();
    if (fails(data, record)) throw new Error(`boom ${data}`);
    seen.push(`${record.partitionKey}:${data}`);
  };
  return { seen, handler };
}

describe('decoding the documented event shape', () => {
  test('hands the handler the decoded bytes and the record identity', async () => {
    const got: KinesisUserRecord[] = [];
    const outcome = await processKinesisBatch(event(kinesisRecord({ partitionKey: '1', data: 'Hello, this is a test.', sequence: 1 })), (body, record) => {
      expect(body.toString()).toBe('Hello, this is a test.');
      got.push(record);
    });
    expect(outcome).toMatchObject({ batchItemFailures: [], handled: 1, skipped: 0 });
    expect(got[0]).toMatchObject({
      shardId: DEFAULT_SHARD,
      partitionKey: '1',
      sequenceNumber: sequenceNumber(1),
      subSequenceNumber: 0,
      aggregated: false,
      approximateArrivalTimestamp: 1545084650.987,
      eventSourceArn: STREAM_ARN,
    });
  });

  test('de-aggregates KPL records into user records with their own keys and sub-sequence numbers', async () => {
    const { seen, handler } = recorder();
    const got: KinesisUserRecord[] = [];
    const outcome = await processKinesisBatch(event(
      kinesisRecord({ partitionKey: 'a', data: 'a0', sequence: 1 }),
      aggregatedRecord(2, 'enclosing', [{ partitionKey: 'a', data: 'a1' }, { partitionKey: 'b', data: 'b0' }, { partitionKey: 'a', data: 'a2' }]),
    ), (body, record) => { got.push(record); handler(body, record); }, { keyConcurrency: 1 });
    expect(outcome.handled).toBe(4);
    // A synchronous handler sees the shard's user records in position order: sequence, then sub-sequence number.
    expect(seen).toEqual(['a:a0', 'a:a1', 'b:b0', 'a:a2']);
    expect(got.filter((r) => r.aggregated).map((r) => [r.partitionKey, r.sequenceNumber, r.subSequenceNumber]))
      .toEqual([['a', sequenceNumber(2), 0], ['b', sequenceNumber(2), 1], ['a', sequenceNumber(2), 2]]);
  });

  test('reads aggregates produced by the reference library (aws-kinesis-agg)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const agg = require('aws-kinesis-agg') as {
      aggregate: (r: unknown[], onEncoded: (e: Encoded, cb: () => void) => void, done: () => void, onError: (e: Error) => void) => void;
    };
    const encoded = await new Promise<Encoded>((resolve, reject) => {
      const records = ['x', 'y', 'x'].map((k, i) => ({ partitionKey: k, data: Buffer.from(`${k}${i}`) }));
      let result: Encoded | undefined;
      agg.aggregate(records, (e, cb) => { result = e; cb(); }, () => resolve(result!), reject);
    });
    const { seen, handler } = recorder();
    const record = kinesisRecord({ partitionKey: encoded.partitionKey, data: encoded.data, sequence: 7 });
    await processKinesisBatch(event(record), handler, { keyConcurrency: 1 });
    expect(seen).toEqual(['x:x0', 'y:y1', 'x:x2']);
  });

  test('a corrupt aggregate fails that record only; other keys go on', async () => {
    const corrupt = aggregatedRecord(2, 'agg', [{ partitionKey: 'a', data: 'a1' }]);
    const bytes = Buffer.from(corrupt.kinesis.data, 'base64');
    bytes[bytes.length - 1] = 255 - bytes[bytes.length - 1]; // breaks the MD5 digest
    corrupt.kinesis.data = bytes.toString('base64');
    const { seen, handler } = recorder();
    const outcome = await processKinesisBatch(event(
      kinesisRecord({ partitionKey: 'b', data: 'b0', sequence: 1 }),
      corrupt,
      kinesisRecord({ partitionKey: 'agg', data: 'after', sequence: 3 }),
      kinesisRecord({ partitionKey: 'b', data: 'b1', sequence: 4 }),
    ), handler, quiet);
    expect(seen).toEqual(['b:b0', 'b:b1']);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    expect(outcome.failures[0]).toBeInstanceOf(RecordDecodeError);
    expect(outcome.failures[0].message).toMatch(/MD5|digest|corrupt/i);
  });

  test('a JSON parse failure is a failure of that record, in its key order', async () => {
    const bodies: unknown[] = [];
    const outcome = await processKinesisBatch(plainEvent([['k', '{"n":1}'], ['k', '{not json'], ['k', '{"n":3}'], ['j', '{"n":4}']]),
      (body: { n: number }) => { bodies.push(body.n); }, { parser: jsonParser<{ n: number }>(), keyConcurrency: 1, ...quiet });
    expect(bodies).toEqual([1, 4]);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    expect(outcome.failures[0]).toBeInstanceOf(RecordHandlerError);
  });

  test('the validator of a typed parser can reject a record', async () => {
    const parser = jsonParser((v) => {
      if (typeof (v as { user?: unknown }).user !== 'string') throw new Error('user is required');
      return v as { user: string };
    });
    const users: string[] = [];
    const outcome = await processKinesisBatch(plainEvent([['k', '{"user":"u1"}'], ['j', '{"user":7}']]), (b) => { users.push(b.user); }, { parser, ...quiet });
    expect(users).toEqual(['u1']);
    expect(outcome.failures.map((f) => (f.cause as Error).message)).toEqual(['user is required']);
  });
});

describe('ordering through failures', () => {
  const keys = ['k', 'k', 'k', 'k', 'k', 'k'];

  test.each(keys.map((_, i) => i))('one key, failure at position %i: earlier records handled, later ones not, retry from the failure', async (at) => {
    const { seen, handler } = recorder((d) => d === `v${at}`);
    const outcome = await processKinesisBatch(plainEvent(keys.map((k, i) => [k, `v${i}`])), handler, quiet);
    expect(seen).toEqual(keys.slice(0, at).map((_, i) => `k:v${i}`));
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(at + 1) }]);
  });

  test.each([0, 1, 2, 3, 4])('aggregated, failure at sub-record %i: reported by the enclosing sequence number', async (at) => {
    const subs = [0, 1, 2, 3, 4].map((i) => ({ partitionKey: 'k', data: `s${i}` }));
    const { seen, handler } = recorder((d) => d === `s${at}`);
    const outcome = await processKinesisBatch(event(
      kinesisRecord({ partitionKey: 'k', data: 'before', sequence: 1 }),
      aggregatedRecord(2, 'k', subs),
      kinesisRecord({ partitionKey: 'k', data: 'after', sequence: 3 }),
    ), handler, quiet);
    expect(seen).toEqual(['k:before', ...subs.slice(0, at).map((s) => `k:${s.data}`)]);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    expect(outcome.failures[0].record).toMatchObject({ sequenceNumber: sequenceNumber(2), subSequenceNumber: at });
  });

  test('a failing key stops; other keys go on; the lowest failure is reported first', async () => {
    const pairs: [string, string][] = [['a', 'a0'], ['b', 'b0'], ['a', 'a1'], ['c', 'c0'], ['b', 'b1'], ['a', 'a2'], ['c', 'c1'], ['b', 'b2']];
    const { seen, handler } = recorder((d) => d === 'a1' || d === 'c1');
    const outcome = await processKinesisBatch(plainEvent(pairs), handler, quiet);
    expect(seen.filter((s) => s.startsWith('a'))).toEqual(['a:a0']);
    expect(seen.filter((s) => s.startsWith('b'))).toEqual(['b:b0', 'b:b1', 'b:b2']);
    expect(seen.filter((s) => s.startsWith('c'))).toEqual(['c:c0']);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(3) }, { itemIdentifier: sequenceNumber(7) }]);
  });

  test('strict mode stops the shard at its first failure', async () => {
    const pairs: [string, string][] = [['a', 'a0'], ['b', 'b0'], ['a', 'a1'], ['c', 'c0'], ['b', 'b1']];
    const { seen, handler } = recorder((d) => d === 'b0');
    const outcome = await processKinesisBatch(plainEvent(pairs), handler, { strict: true, ...quiet });
    expect(seen).toEqual(['a:a0']);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
  });

  test('shards are independent, even in strict mode', async () => {
    const { seen, handler } = recorder((d) => d === 'x0');
    const outcome = await processKinesisBatch(event(
      kinesisRecord({ partitionKey: 'a', data: 'x0', sequence: 1, shardId: 'shardId-000000000001' }),
      kinesisRecord({ partitionKey: 'b', data: 'y0', sequence: 2, shardId: 'shardId-000000000002' }),
      kinesisRecord({ partitionKey: 'b', data: 'x1', sequence: 3, shardId: 'shardId-000000000001' }),
    ), handler, { strict: true, ...quiet });
    expect(seen).toEqual(['b:y0']);
    expect(outcome.failures.map((f) => f.record.shardId)).toEqual(['shardId-000000000001']);
  });

  test('records that arrive out of order are handled in position order', async () => {
    const { seen, handler } = recorder();
    await processKinesisBatch(event(
      kinesisRecord({ partitionKey: 'k', data: 'third', sequence: 30 }),
      kinesisRecord({ partitionKey: 'k', data: 'first', sequence: 9 }),
      kinesisRecord({ partitionKey: 'k', data: 'second', sequence: 10 }),
    ), handler);
    expect(seen).toEqual(['k:first', 'k:second', 'k:third']);
  });

  test('sequence numbers compare as numbers, not as strings of different lengths', async () => {
    const { seen, handler } = recorder();
    const short = kinesisRecord({ partitionKey: 'k', data: 'short', sequence: 1 });
    short.kinesis.sequenceNumber = '999';
    await processKinesisBatch(event(kinesisRecord({ partitionKey: 'k', data: 'long', sequence: 1 }), short), handler);
    expect(seen).toEqual(['k:short', 'k:long']);
  });

  test('rejections of async handlers are failures like throws', async () => {
    const outcome = await processKinesisBatch(plainEvent([['k', 'a'], ['k', 'b']]), async (b) => {
      await new Promise((r) => setImmediate(r));
      if (b.toString() === 'b') throw new Error('async boom');
    }, quiet);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    expect(outcome.failures[0].message).toContain('async boom');
    expect(outcome.failures[0].record.partitionKey).toBe('k');
  });

  test('keys run concurrently up to keyConcurrency, each in order', async () => {
    const pairs: [string, string][] = [];
    for (let i = 0; i < 40; i++) pairs.push([`k${i % 8}`, String(i)]);
    let inFlight = 0;
    let peak = 0;
    const seen = new Map<string, number[]>();
    await processKinesisBatch(plainEvent(pairs), async (b, r) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, (Number(b.toString()) * 7) % 5));
      seen.set(r.partitionKey, [...(seen.get(r.partitionKey) ?? []), Number(b.toString())]);
      inFlight--;
    }, { keyConcurrency: 3 });
    expect(peak).toBe(3);
    for (const [key, values] of seen) {
      expect(values).toEqual(pairs.filter(([k]) => k === key).map(([, v]) => Number(v)));
    }
  });

  test('records are not started when the invocation is about to time out', async () => {
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const end = clock + 10_000;
    const outcome = await processKinesisBatch(plainEvent([['k', 'a'], ['k', 'b'], ['j', 'c']]), () => { clock += 5_000; },
      { keyConcurrency: 1, timeoutMarginMillis: 3_000, ...quiet }, lambdaContext(() => end - clock));
    now.mockRestore();
    expect(outcome.handled).toBe(2);
    expect(outcome.failures[0]).toBeInstanceOf(RecordNotAttemptedError);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(3) }]);
  });

  test('an invocation always makes progress, even when it starts past its deadline', async () => {
    const outcome = await processKinesisBatch(plainEvent([['k', 'a'], ['k', 'b']]), () => undefined,
      { keyConcurrency: 1, timeoutMarginMillis: 5_000, ...quiet }, lambdaContext(() => 1_000));
    expect(outcome.handled).toBe(1);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
  });

  test('each failure is passed to onFailure with its record', async () => {
    const reported: string[] = [];
    await processKinesisBatch(plainEvent([['k', 'a'], ['j', 'b']]), () => { throw new Error('no'); }, { onFailure: (e) => reported.push(`${e.record.partitionKey}@${e.record.sequenceNumber}`) });
    expect(reported).toEqual([`k@${sequenceNumber(1)}`, `j@${sequenceNumber(2)}`]);
  });

  test('by default each failure is one JSON line naming its record, without its data', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await processKinesisBatch(plainEvent([['k', 'secret payload']]), () => { throw new Error('no'); });
    const line = JSON.parse(spy.mock.calls[0][0] as string);
    spy.mockRestore();
    expect(line).toEqual({
      level: 'ERROR',
      message: 'record failed',
      error: 'RecordHandlerError',
      cause: 'no',
      detail: `${DEFAULT_SHARD} sequence ${sequenceNumber(1)}/0 (partition key 'k'): handler failed: no`,
      shardId: DEFAULT_SHARD,
      partitionKey: 'k',
      sequenceNumber: sequenceNumber(1),
      subSequenceNumber: 0,
    });
  });

  test('rejects a keyConcurrency below 1', async () => {
    await expect(processKinesisBatch(plainEvent([['k', 'a']]), () => undefined, { keyConcurrency: 0 })).rejects.toThrow(/keyConcurrency must be a whole number of at least 1, got 0/);
  });
});

describe('idempotency with checkpoints', () => {
  test('a retried batch skips what the earlier attempt handled, plain and aggregated', async () => {
    const checkpoints = new MemoryCheckpoints();
    const batch = event(
      kinesisRecord({ partitionKey: 'a', data: 'a0', sequence: 1 }),
      aggregatedRecord(2, 'x', [{ partitionKey: 'a', data: 'a1' }, { partitionKey: 'b', data: 'b0' }, { partitionKey: 'a', data: 'a2' }]),
      kinesisRecord({ partitionKey: 'b', data: 'b1', sequence: 3 }),
    );
    let failA2 = true;
    const { seen, handler } = recorder((d) => d === 'a2' && failA2);
    const first = await processKinesisBatch(batch, handler, { checkpoints, ...quiet });
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    failA2 = false;
    // Lambda resumes at the lowest reported sequence number: the aggregate and everything after it.
    const retry = event(...batch.Records.slice(1));
    const second = await processKinesisBatch(retry, handler, { checkpoints, ...quiet });
    expect(second).toMatchObject({ batchItemFailures: [], handled: 1, skipped: 3 });
    expect(seen.sort()).toEqual(['a:a0', 'a:a1', 'a:a2', 'b:b0', 'b:b1']);
  });

  test('a checkpoint store that fails to save does not fail handled records', async () => {
    const checkpoints = new MemoryCheckpoints();
    checkpoints.save = async () => { throw new Error('throttled'); };
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const outcome = await processKinesisBatch(plainEvent([['k', 'a']]), () => undefined, { checkpoints });
    expect(outcome.batchItemFailures).toEqual([]);
    expect(spy.mock.calls[0][0]).toContain('checkpoint not saved');
    spy.mockRestore();
  });
});
