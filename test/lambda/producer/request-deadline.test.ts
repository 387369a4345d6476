import { decode, evenShards, MockKinesis, text } from './mock-kinesis';
import { KinesisProducer, ProducerDefaults, PutResult } from '../../../lambda/producer';
import { Entry } from '../../../lambda/producer/entry';
import { InFlightCalls } from '../../../lambda/producer/in-flight-calls';
import { RequestDeadline } from '../../../lambda/producer/request-deadline';
import { RequestTimeoutError } from '../../../lambda/producer/sender';
import { seededRandom } from '../../support/random';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A call that answers only when aborted (as the SDK does when its abort signal fires). */
const hang = (signal?: AbortSignal) => new Promise<never>((_, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));

describe('RequestDeadline', () => {
  test('uses the ceiling until 20 calls were answered, then 4 times their 99th percentile, within the bounds', () => {
    const d = new RequestDeadline({ minMs: 100, maxMs: 6000 });
    expect(d.deadlineMs()).toBe(6000);
    d.observe(60);
    for (let i = 0; i < 18; i++) d.observe(10);
    expect(d.deadlineMs()).toBe(6000); // 19 answers
    d.observe(10);
    expect(d.deadlineMs()).toBe(240); // 20 answers: the 99th percentile of 20 is the slowest
    for (let i = 0; i < 200; i++) d.observe(10);
    expect(d.deadlineMs()).toBe(100); // 4 x 10 ms, raised to the floor
    for (let i = 0; i < 200; i++) d.observe(i < 198 ? 50 : 300);
    // 200 samples, the two slowest 300 ms: the 99th percentile is the 198th, 50 ms.
    expect(d.deadlineMs()).toBe(200);
    for (let i = 0; i < 10; i++) d.observe(400);
    expect(d.baseMs()).toBe(1600);
    for (let i = 0; i < 200; i++) d.observe(5000);
    expect(d.deadlineMs()).toBe(6000); // the ceiling
    expect(d.latencyPercentileMs(0.5)).toBe(5000);
  });

  test('doubles per earlier timeout, up to the ceiling', () => {
    const d = new RequestDeadline({ minMs: 1000, maxMs: 6000 });
    for (let i = 0; i < 20; i++) d.observe(5);
    expect([0, 1, 2, 3].map((t) => d.deadlineMs(t))).toEqual([1000, 2000, 4000, 6000]);
  });

  test('the producer refuses a floor above the ceiling and takes a small ceiling as the floor too', () => {
    const mock = new MockKinesis(evenShards(1));
    expect(() => new KinesisProducer({ client: mock.client, streamName: 's', minRequestTimeoutMs: 7000 })).toThrow(/minRequestTimeoutMs \(7000\) must not exceed requestTimeoutMs \(6000\)/);
    expect(() => new KinesisProducer({ client: mock.client, streamName: 's', minRequestTimeoutMs: 0 })).toThrow(/minRequestTimeoutMs must be positive/);
    const small = new KinesisProducer({ client: mock.client, streamName: 's', requestTimeoutMs: 50 });
    expect(small.metrics.requestDeadlineMs).toBe(50);
    expect(ProducerDefaults.MIN_REQUEST_TIMEOUT_MS).toBeLessThan(ProducerDefaults.REQUEST_TIMEOUT_MS);
  });
});

describe('InFlightCalls', () => {
  test('a call\'s deadline follows the deadline learnt while it is in flight, not the one it was sent with', () => {
    let now = 0;
    const deadline = new RequestDeadline({ minMs: 100, maxMs: 6000 });
    const calls = new InFlightCalls(deadline, () => now);
    const early: Entry[] = [];
    const signal = calls.start(early, 0); // nothing learnt yet: the ceiling
    now = 150;
    calls.check();
    expect(signal.aborted).toBe(false);
    for (let i = 0; i < 20; i++) deadline.observe(10);
    calls.check(); // 150 ms in flight, and the answered calls now say 100 ms: overdue
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(RequestTimeoutError);
    expect((signal.reason as RequestTimeoutError).timeoutMs).toBe(100);
    calls.finish(early);

    // A call whose entries timed out once gets twice the deadline, counted from its own send time.
    const retried: Entry[] = [];
    const retriedSignal = calls.start(retried, 1);
    const fresh: Entry[] = [];
    const freshSignal = calls.start(fresh, 0);
    now = 249;
    calls.check();
    expect([retriedSignal.aborted, freshSignal.aborted]).toEqual([false, false]);
    now = 250;
    calls.check();
    expect([retriedSignal.aborted, freshSignal.aborted]).toEqual([false, true]);
    now = 350;
    calls.check();
    expect(retriedSignal.aborted).toBe(true);
    calls.finish(retried);
    calls.finish(fresh);
    expect(calls.size).toBe(0);
  });
});

describe('KinesisProducer request deadline', () => {
  test('a call that hangs before any latency was learnt is abandoned once answered calls say it is overdue, not at the ceiling', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = async (entries, call, signal) => {
      if (call === 0) return hang(signal);
      await sleep(2);
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, minRequestTimeoutMs: 150, random: () => 0 });
    const started = Date.now();
    const hung = producer.put({ partitionKey: 'h', data: text('h:0') });
    await sleep(10);
    const behind = producer.put({ partitionKey: 'h', data: text('h:1') });
    // Other keys' calls are answered meanwhile: from the 20th answer on the producer knows calls take milliseconds.
    for (let i = 0; i < 25; i++) await producer.put({ partitionKey: `k${i}`, data: text(`k${i}`) });
    const [a, b] = await Promise.all([hung, behind]);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    // Sent with the ceiling (6 s) and left at it, the hung call would hold key 'h' for six seconds.
    expect(waited).toBeLessThan(2000);
    expect(a).toMatchObject({ succeeded: true, attempts: 2, possibleDuplicate: true });
    expect(b).toMatchObject({ succeeded: true, attempts: 1, possibleDuplicate: false });
    const ofKey = mock.calls.flatMap((c) => c.entries.map((e) => Buffer.from(e.Data!).toString()).filter((d) => d.startsWith('h:')));
    expect(ofKey).toEqual(['h:0', 'h:0', 'h:1']);
    expect(producer.metrics).toMatchObject({ requestTimeouts: 1 });
  });

  test('a hung call is abandoned after the learnt deadline, not the ceiling; its keys keep their order', async () => {
    const mock = new MockKinesis(evenShards(1));
    let hungOnce = false;
    mock.script = async (entries, call, signal) => {
      if (call === 25 && !hungOnce) {
        hungOnce = true;
        return hang(signal);
      }
      await sleep(2);
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, minRequestTimeoutMs: 150, random: () => 0 });
    // 25 answered calls, one record of key 'k' each, teach the producer that calls take a few milliseconds.
    for (let i = 0; i < 25; i++) await producer.put({ partitionKey: 'k', data: text(`k:${i}`) });
    expect(producer.metrics.requestDeadlineMs).toBeLessThan(ProducerDefaults.REQUEST_TIMEOUT_MS);
    const started = Date.now();
    const hung = producer.put({ partitionKey: 'k', data: text('k:25') });
    await sleep(20);
    const behind = producer.put({ partitionKey: 'k', data: text('k:26') });
    const [a, b] = await Promise.all([hung, behind]);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1500);
    expect(a).toMatchObject({ succeeded: true, attempts: 2, possibleDuplicate: true });
    expect(b).toMatchObject({ succeeded: true, attempts: 1, possibleDuplicate: false });
    // The hung call carried k:25 alone; k:26 waited behind its retry.
    expect(mock.calls.slice(25).map((c) => c.entries.map((e) => Buffer.from(e.Data!).toString()))).toEqual([['k:25'], ['k:25'], ['k:26']]);
    expect(producer.metrics).toMatchObject({ requestTimeouts: 1, requestErrors: 1 });
  });

  test('when the service slows down for good, the retries back off their deadline, get answered, and lift it', async () => {
    const mock = new MockKinesis(evenShards(1));
    let slowFrom = Infinity;
    mock.script = async (entries, call, signal) => {
      const ms = call >= slowFrom ? 1500 : 2;
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        });
      });
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 1, minRequestTimeoutMs: 100, random: () => 0 });
    for (let i = 0; i < 20; i++) await producer.put({ partitionKey: `k${i}`, data: text('x') });
    const learnt = producer.metrics.requestDeadlineMs;
    expect(learnt).toBeLessThan(1500);
    slowFrom = mock.calls.length;
    // Each call now takes 1.5 s: the first attempt times out at the learnt deadline, the retries back off until one is answered.
    const results = await Promise.all(Array.from({ length: 30 }, async (_, i) => {
      await sleep(i * 5);
      return producer.put({ partitionKey: `s${i}`, data: text('y') });
    }));
    expect(results.every((r) => r.succeeded)).toBe(true);
    expect(Math.max(...results.map((r) => r.attempts))).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(1500 / learnt)));
    expect(producer.metrics.requestTimeouts).toBeGreaterThan(0);
    // The answered slow calls are in the window now: later calls wait long enough at their first attempt.
    expect(producer.metrics.requestDeadlineMs).toBeGreaterThanOrEqual(4000);
    const before = producer.metrics.requestTimeouts;
    expect((await producer.put({ partitionKey: 'late', data: text('z') })).attempts).toBe(1);
    expect(producer.metrics.requestTimeouts).toBe(before);
  });
});

describe('KinesisProducer with 2% of calls never answered', () => {
  test('keeps the saturated shards\' delivered rate within a few percent of the fault-free run, first copies in order', async () => {
    const run = async (hungRate: number) => {
      const random = seededRandom(5);
      const mock = new MockKinesis(evenShards(2));
      mock.script = async (entries, call, signal) => {
        // The second call hangs too: sent before any latency was learnt, it must not hold its keys for the ceiling.
        const hangs = random() < hungRate;
        if (hungRate > 0 && (call === 1 || hangs)) return hang(signal);
        await sleep(3);
        return mock.acceptAll(entries);
      };
      const producer = new KinesisProducer({ client: mock.client, streamName: 's' });
      // As a caller that waits for its batches: 1000-record batches, two seconds of the shards' rate outstanding.
      const counters = new Map<string, number>();
      const batch = () => Array.from({ length: 1000 }, (_, i) => {
        const key = `k${(counters.size + i * 7919) % 2000}`;
        const n = counters.get(key) ?? 0;
        counters.set(key, n + 1);
        return { partitionKey: key, data: text(`${key}:${n}`) };
      });
      const window: Array<Promise<PutResult[]>> = [];
      const started = Date.now();
      let delivered = 0;
      while (Date.now() - started < 5000) {
        window.push(producer.putAll(batch()));
        if (window.length > 4) delivered += (await window.shift()!).filter((r) => r.succeeded).length;
      }
      for (const w of window) delivered += (await w).filter((r) => r.succeeded).length;
      const perKey = new Map<string, number>();
      let outOfOrder = 0;
      for (const e of mock.written) {
        const [key, raw] = decode(e.Data).split(':');
        const n = Number(raw);
        if (n < (perKey.get(key) ?? 0)) continue; // a second copy of a hung call's record
        if (n !== (perKey.get(key) ?? 0)) outOfOrder++;
        perKey.set(key, n + 1);
      }
      return { perSecond: delivered / ((Date.now() - started) / 1000), timeouts: producer.metrics.requestTimeouts, outOfOrder };
    };
    const clean = await run(0);
    const hung = await run(0.02);
    expect(hung.timeouts).toBeGreaterThan(0);
    expect(hung.outOfOrder).toBe(0);
    // With the 6 s deadline of before, two or three hung calls stalled the batches for seconds: about half the rate.
    expect(hung.perSecond).toBeGreaterThanOrEqual(0.9 * clean.perSecond);
  }, 60_000);
});
