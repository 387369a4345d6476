import { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { decode, evenShards, MockKinesis, text } from './mock-kinesis';
import { KinesisProducer } from '../../../lambda/producer';
import { seededRandom } from '../../support/random';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serverError = () => Object.assign(new Error('We encountered an internal error'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });

/** A mock stream that fails `entryRate` of the entries and `requestRate` of the requests, after `latencyMs`. */
function faultyMock(shards: number, entryRate: number, requestRate: number, seed: number): MockKinesis {
  const random = seededRandom(seed);
  const mock = new MockKinesis(evenShards(shards));
  mock.script = async (entries: readonly PutRecordsRequestEntry[]) => {
    await sleep(3);
    if (random() < requestRate) throw serverError();
    const records = entries.map((e) => (random() < entryRate ? { ErrorCode: 'InternalFailure', ErrorMessage: 'injected' } : mock.accept(e)));
    return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
  };
  return mock;
}

describe('KinesisProducer retries share requests', () => {
  test('with 5% failed entries and 2% failed requests, calls per record stay within twice the fault-free figure, at the same rate', async () => {
    const run = async (entryRate: number, requestRate: number) => {
      const mock = faultyMock(1, entryRate, requestRate, 11);
      const producer = new KinesisProducer({ client: mock.client, streamName: 's', maxAttempts: 30, random: seededRandom(3) });
      const records = Array.from({ length: 3000 }, (_, i) => ({ partitionKey: `k${i % 700}`, data: text(`${i}`) }));
      const started = Date.now();
      const results = await producer.putAll(records);
      return { ms: Date.now() - started, calls: mock.calls.length, ok: results.every((r) => r.succeeded), retries: producer.metrics.retries };
    };
    const clean = await run(0, 0);
    const faulty = await run(0.05, 0.02);
    expect(clean.ok && faulty.ok).toBe(true);
    expect(faulty.retries).toBeGreaterThan(100);
    expect(faulty.calls).toBeLessThanOrEqual(2 * clean.calls);
    // The same delivered rate: the shard's limit, give or take the retries' own round trips at the end.
    expect(faulty.ms).toBeLessThan(clean.ms * 1.2 + 200);
  });

  test('a due retry lingers for company like a new record, then goes with it', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call) => (call === 0
      ? { FailedRecordCount: 1, Records: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'injected' }] }
      : mock.acceptAll(entries));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 80, random: () => 0 });
    const first = producer.put({ partitionKey: 'a', data: text('a0') });
    await sleep(110); // the first call went after 80 ms; its failed entry is due at once (full jitter, random 0)
    expect(mock.calls).toHaveLength(1);
    const second = producer.put({ partitionKey: 'b', data: text('b0') });
    await Promise.all([first, second]);
    expect(mock.calls).toHaveLength(2);
    expect(mock.calls[1].entries.map((e) => decode(e.Data))).toEqual(['a0', 'b0']);
    expect(mock.calls[1].at - mock.calls[0].at).toBeGreaterThanOrEqual(70);
  });

  test('a retry alone still goes once the buffer time is up', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call) => (call === 0 ? { FailedRecordCount: 1, Records: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] } : mock.acceptAll(entries));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 30, random: () => 0 });
    const r = await producer.put({ partitionKey: 'a', data: text('a0') });
    expect(r).toMatchObject({ succeeded: true, attempts: 2 });
    expect(mock.calls[1].at - mock.calls[0].at).toBeGreaterThanOrEqual(25);
  });

  test('the tokens of a request that failed as a whole go back to the shard\'s rate limiter', async () => {
    const run = async () => {
      const mock = new MockKinesis(evenShards(1));
      mock.script = (entries, call) => {
        if (call === 0) throw serverError();
        return mock.acceptAll(entries);
      };
      const producer = new KinesisProducer({ client: mock.client, streamName: 's', bufferTimeMs: 1, random: () => 0 });
      // One burst of the shard's records (100): the first request spends every token and fails as a whole.
      const results = await producer.putAll(Array.from({ length: 100 }, (_, i) => ({ partitionKey: `k${i}`, data: text(`${i}`) })));
      expect(results.every((r) => r.succeeded && r.attempts === 2)).toBe(true);
      return mock.calls;
    };
    await run(); // the first run pays for loading and compiling; the second shows the timing
    const calls = await run();
    expect(calls[0].entries).toHaveLength(100);
    // Refunded, the tokens carry the whole retry at once; kept, the shard would refill at 1 record/ms, so a retry of
    // 100 entries could not leave before 100 ms.
    expect(calls).toHaveLength(2);
    expect(calls[1].entries).toHaveLength(100);
    expect(calls[1].at - calls[0].at).toBeLessThan(90);
  });

  test('the tokens of a request that got no answer stay spent: it was most likely written', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call) => {
      // The connection breaks after the request went out: no HTTP status, ambiguous.
      if (call === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', bufferTimeMs: 1, random: () => 0 });
    const results = await producer.putAll(Array.from({ length: 100 }, (_, i) => ({ partitionKey: `k${i}`, data: text(`${i}`) })));
    expect(results.every((r) => r.succeeded && r.possibleDuplicate)).toBe(true);
    expect(mock.calls[0].entries).toHaveLength(100);
    // Kept, the charge leaves the shard's bucket empty: the retries wait for it to refill half way (50 records at
    // 1 record/ms), instead of all leaving at once on a refund the shard, having counted the write, never gave.
    expect(mock.calls[1].at - mock.calls[0].at).toBeGreaterThanOrEqual(45);
    expect(mock.calls[1].entries.length).toBeLessThan(100);
  });
});
