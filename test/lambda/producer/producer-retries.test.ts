import { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { decode, evenShards, MockKinesis, text } from './mock-kinesis';
import { KinesisProducer, ProducerErrorCode, PutResult } from '../../../lambda/producer';
import { seededRandom } from '../../support/random';

const failed = (code: string) => ({ ErrorCode: code, ErrorMessage: `injected ${code}` });

describe('KinesisProducer retries', () => {
  test('retries only the failed entries, distinguishing throttling from internal failures', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call) => call > 0 ? mock.acceptAll(entries) : {
      FailedRecordCount: 2,
      Records: entries.map((e, i) => i === 1 ? failed('ProvisionedThroughputExceededException') : i === 3 ? failed('InternalFailure') : mock.accept(e)),
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, random: () => 0 });
    const results = await producer.putAll(Array.from({ length: 6 }, (_, i) => ({ partitionKey: `k${i}`, data: text(`r${i}`) })));
    expect(results.every((r) => r.succeeded)).toBe(true);
    expect(results.map((r) => r.attempts)).toEqual([1, 2, 1, 2, 1, 1]);
    expect(mock.calls.slice(1).flatMap((c) => c.entries.map((e) => decode(e.Data))).sort()).toEqual(['r1', 'r3']);
    // Internal failure: full jitter from 0, so with random() = 0 it is retried at once; throttling waits at least
    // half its first backoff (50 ms) so the shard's window can roll over.
    const retryOf = (data: string) => mock.calls.findIndex((c, i) => i > 0 && c.entries.some((e) => decode(e.Data) === data));
    expect(mock.calls[retryOf('r1')].at - mock.calls[0].at).toBeGreaterThanOrEqual(45);
    expect(retryOf('r3')).toBeLessThan(retryOf('r1'));
    expect(producer.metrics).toMatchObject({ throttled: 1, transientFailures: 1, retries: 2, succeeded: 6 });
  });

  test('never puts a key\'s next record in flight while an earlier one is unacknowledged or pending retry', async () => {
    const random = seededRandom(42);
    const mock = new MockKinesis(evenShards(4));
    const acked = new Map<string, number>(); // key -> highest sequence acknowledged
    // Collected, not thrown: an exception in the script would reach the producer as a request error and be retried.
    const violations: string[] = [];
    mock.script = async (entries) => {
      const seen = new Set<string>();
      for (const e of entries) {
        const [key, n] = decode(e.Data).split(':');
        // One entry per key per request, and only the successor of what the stream already holds.
        if (seen.has(key)) violations.push(`two entries of ${key} in one request`);
        seen.add(key);
        if (Number(n) !== (acked.get(key) ?? -1) + 1) violations.push(`${key}:${n} sent while ${key}:${acked.get(key) ?? -1} is the last acknowledged`);
      }
      await new Promise((r) => setTimeout(r, random() * 5));
      const records = entries.map((e) => {
        const roll = random();
        if (roll < 0.15) return failed('ProvisionedThroughputExceededException');
        if (roll < 0.3) return failed('InternalFailure');
        const [key, n] = decode(e.Data).split(':');
        acked.set(key, Number(n));
        return mock.accept(e);
      });
      return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
    };
    const producer = new KinesisProducer({
      client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 2, maxInFlightRequests: 8, maxAttempts: 50, random: () => 0.01,
    });
    const counters = new Map<string, number>();
    const records = Array.from({ length: 3000 }, () => {
      const key = `device-${Math.floor(random() * 40)}`;
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      return { partitionKey: key, data: text(`${key}:${n}`) };
    });
    const results = await producer.putAll(records);
    expect(violations).toEqual([]);
    expect(results.filter((r) => !r.succeeded)).toEqual([]);
    // What the stream holds, per key, is the submission order, each record once.
    const perKey = new Map<string, string[]>();
    for (const e of mock.written) perKey.set(e.PartitionKey!, [...(perKey.get(e.PartitionKey!) ?? []), decode(e.Data)]);
    for (const [key, n] of counters) expect(perKey.get(key)).toEqual(Array.from({ length: n }, (_, i) => `${key}:${i}`));
    expect(producer.metrics.retries).toBeGreaterThan(100);
  });

  test('a whole-request 5xx is retried, and the result says the record may be a duplicate', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call) => {
      if (call === 0) throw Object.assign(new Error('We encountered an internal error'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, random: () => 0 });
    const [r] = await producer.putAll([{ partitionKey: 'a', data: text('1') }]);
    expect(r).toMatchObject({ succeeded: true, attempts: 2, possibleDuplicate: true });
    expect(producer.metrics.requestErrors).toBe(1);
  });

  test('connection resets and timeouts are retried', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call, signal) => {
      if (call === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if (call === 1) {
        return new Promise((_, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
      }
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, requestTimeoutMs: 50, random: () => 0 });
    const [r] = await producer.putAll([{ partitionKey: 'a', data: text('1') }]);
    expect(r).toMatchObject({ succeeded: true, attempts: 3, possibleDuplicate: true });
  });

  test('a fatal request error fails every record at once, with the record in the error', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = () => {
      throw Object.assign(new Error('Stream s under account 1 not found.'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1 });
    const results = await producer.putAll([{ partitionKey: 'a', data: text('1') }, { partitionKey: 'b', data: text('2') }]);
    expect(mock.calls).toHaveLength(1);
    expect(results[1].error).toMatchObject({ code: 'ResourceNotFoundException', index: 1, partitionKey: 'b', attempts: 1, retryable: false });
    expect(results[1].error?.message).toMatch(/record 1 \(partition key 'b'\): ResourceNotFoundException: Stream s/);
  });

  test('after the last attempt the record is returned with its error, and its key\'s followers are not written', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries) => ({
      FailedRecordCount: 1,
      Records: entries.map((e) => (decode(e.Data) === 'a0' ? failed('InternalFailure') : mock.accept(e))),
    });
    const records = [
      { partitionKey: 'a', data: text('a0') }, { partitionKey: 'a', data: text('a1') },
      { partitionKey: 'b', data: text('b0') }, { partitionKey: 'a', data: text('a2') },
    ];
    const strict = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, maxAttempts: 3, random: () => 0 });
    const results: PutResult[] = await strict.putAll(records);
    expect(results[0].error).toMatchObject({ code: 'InternalFailure', attempts: 3, retryable: true, index: 0, partitionKey: 'a' });
    expect(results[1].error).toMatchObject({ code: ProducerErrorCode.PRECEDING_RECORD_FAILED, attempts: 0, index: 1 });
    expect(results[3].error?.code).toBe(ProducerErrorCode.PRECEDING_RECORD_FAILED);
    expect(results[2].succeeded).toBe(true);
    expect(mock.written.map((e: PutRecordsRequestEntry) => decode(e.Data))).toEqual(['b0']);

    mock.written.length = 0;
    const lenient = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, maxAttempts: 2, haltKeyOnFailure: false, random: () => 0 });
    const second = await lenient.putAll(records);
    expect(second.map((r) => r.succeeded)).toEqual([false, true, true, true]);
    expect(mock.written.map((e) => decode(e.Data))).toEqual(['b0', 'a1', 'a2']);
  });

  test('a retry that would end past the retry timeout is not made', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries) => ({ FailedRecordCount: entries.length, Records: entries.map(() => failed('ProvisionedThroughputExceededException')) });
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, retryTimeoutMs: 20, random: () => 0 });
    const [r] = await producer.putAll([{ partitionKey: 'a', data: text('1') }]);
    expect(r.error).toMatchObject({ code: 'ProvisionedThroughputExceededException', attempts: 1, retryable: true });
  });

  test('abandon settles everything outstanding; a late answer changes nothing', async () => {
    const mock = new MockKinesis(evenShards(1));
    let answer: (() => void) | undefined;
    mock.script = (entries) => new Promise((resolve) => {
      answer = () => resolve(mock.acceptAll(entries));
    });
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, requestTimeoutMs: 60_000 });
    const inFlight = producer.put({ partitionKey: 'a', data: text('1') });
    await new Promise((r) => setTimeout(r, 20));
    const waiting = producer.put({ partitionKey: 'a', data: text('2') });
    producer.abandon('FunctionTimeout', 'the function is about to time out');
    expect(await inFlight).toMatchObject({ succeeded: false, possibleDuplicate: true, error: { code: 'FunctionTimeout', retryable: true } });
    expect(await waiting).toMatchObject({ succeeded: false, possibleDuplicate: false, attempts: 0 });
    answer!();
    await producer.flush();
    mock.script = (entries) => mock.acceptAll(entries);
    expect((await producer.put({ partitionKey: 'a', data: text('3') })).succeeded).toBe(true);
  });

  test('abandon also settles records waiting for a retry, and an abandoned entry that then fails is not retried', async () => {
    const mock = new MockKinesis(evenShards(1));
    let answer: ((ok: boolean) => void) | undefined;
    mock.script = (entries, call) => (call === 0
      ? { FailedRecordCount: 1, Records: entries.map(() => failed('ProvisionedThroughputExceededException')) }
      : new Promise((resolve) => {
        answer = (ok) => resolve(ok ? mock.acceptAll(entries) : { FailedRecordCount: entries.length, Records: entries.map(() => failed('InternalFailure')) });
      }));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, random: () => 0.99 });
    const retried = producer.put({ partitionKey: 'a', data: text('1') });
    await new Promise((r) => setTimeout(r, 20)); // first attempt throttled: waiting ~100 ms for its retry
    const inFlight = producer.put({ partitionKey: 'b', data: text('2') });
    await new Promise((r) => setTimeout(r, 20));
    producer.abandon();
    expect(await retried).toMatchObject({ succeeded: false, attempts: 1, error: { code: ProducerErrorCode.PRODUCER_CLOSED } });
    expect(await inFlight).toMatchObject({ succeeded: false, possibleDuplicate: true });
    answer!(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(mock.calls).toHaveLength(2);
  });

  test('a response that does not match the request is retried as an ambiguous failure', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = (entries, call) => (call === 0 ? { FailedRecordCount: 0, Records: [] } : mock.acceptAll(entries));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, random: () => 0 });
    const [r] = await producer.putAll([{ partitionKey: 'a', data: text('1') }]);
    expect(r).toMatchObject({ succeeded: true, attempts: 2, possibleDuplicate: true });
  });

  test('retries that do not fit the next request wait for the one after', async () => {
    const mock = new MockKinesis(evenShards(1));
    const firstAttempt = new Set<string>();
    mock.script = (entries) => ({
      FailedRecordCount: 0,
      Records: entries.map((e) => {
        if (firstAttempt.has(e.PartitionKey!)) return mock.accept(e);
        firstAttempt.add(e.PartitionKey!);
        return failed('InternalFailure');
      }),
    });
    const twoMiB = 2 * 1024 * 1024;
    const producer = new KinesisProducer({
      client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, maxInFlightRequests: 1, maxRecordSizeBytes: 3 * 1024 * 1024, random: () => 0,
    });
    const results = await producer.putAll(['a', 'b', 'c'].map((k) => ({ partitionKey: k, data: Buffer.alloc(twoMiB) })));
    expect(results.every((r) => r.succeeded && r.attempts === 2)).toBe(true);
    // Two 2 MiB entries fill a 5 MiB request: never three in one call.
    expect(mock.calls.every((c) => c.entries.length <= 2)).toBe(true);
    expect(mock.calls.length).toBeGreaterThanOrEqual(4);
  });
});
