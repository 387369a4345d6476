import { evenShards, MockKinesis, text } from './mock-kinesis';
import { KinesisProducer, ProducerErrorCode, PutResult } from '../../../lambda/producer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KinesisProducer flush', () => {
  test('under a continuous stream of puts above the shards\' rate, flush resolves once the records before it are settled', async () => {
    const mock = new MockKinesis(evenShards(2));
    mock.script = async (entries) => {
      await sleep(5);
      return mock.acceptAll(entries);
    };
    // The shards' limits are enforced by the limiter: several thousand records/s offered to two shards that take 2000.
    const producer = new KinesisProducer({ client: mock.client, streamName: 's' });
    const settledAt: number[] = [];
    const results: Array<Promise<PutResult>> = [];
    let n = 0;
    // Puts at 5000 records/s, however late the timers fire on a loaded machine.
    const putWhile = async (going: () => boolean) => {
      const from = Date.now();
      const base = n;
      while (going()) {
        const due = base + Math.floor((Date.now() - from) * 5);
        while (n < due) {
          const index = n++;
          results.push(producer.put({ partitionKey: `k${index % 500}`, data: text(`${index}`) }).then((r) => {
            settledAt[index] = Date.now();
            return r;
          }));
        }
        await sleep(10);
      }
    };
    const started = Date.now();
    await putWhile(() => Date.now() - started < 600);
    const beforeFlush = n;
    // A backlog: the flush's records cannot all be settled at once.
    expect(producer.metrics.waiting).toBeGreaterThan(300);
    let flushedAt: number | undefined;
    let putAfterFlush = 0;
    const flushed = producer.flush().then(() => {
      flushedAt = Date.now();
      putAfterFlush = n;
    });
    // Puts go on until half a second after the flush resolved (six seconds at most, for a flush that never would).
    await putWhile(() => Date.now() - started < 6000 && (flushedAt === undefined || Date.now() - flushedAt < 500));
    await flushed;
    const lastBefore = Math.max(...settledAt.slice(0, beforeFlush));
    await producer.flush();

    expect(settledAt.slice(0, beforeFlush).filter((t) => t !== undefined)).toHaveLength(beforeFlush);
    expect(flushedAt!).toBeGreaterThanOrEqual(lastBefore);
    // Resolved with its own records (a few event-loop turns later), while the later puts went on.
    expect(flushedAt! - lastBefore).toBeLessThan(100);
    expect(putAfterFlush - beforeFlush).toBeGreaterThan(1000);
    expect(n - putAfterFlush).toBeGreaterThan(1000);
    expect((await Promise.all(results)).every((r) => r.succeeded)).toBe(true);
  });

  test('waits for a record before the call that is still in flight, but not for one submitted after it', async () => {
    const mock = new MockKinesis(evenShards(1));
    const release = new Map<string, () => void>();
    mock.script = (entries) => new Promise((resolve) => release.set(entries.map((e) => e.PartitionKey).join(','), () => resolve(mock.acceptAll(entries))));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 60_000 });
    const first = producer.put({ partitionKey: 'a', data: text('1') });
    let flushed = false;
    const flushing = producer.flush().then(() => {
      flushed = true;
    });
    await sleep(20);
    const after = producer.put({ partitionKey: 'b', data: text('2') });
    await sleep(20);
    // Both are on the wire: the first by the flush, the second because requests are built at once while it waits.
    expect([...release.keys()]).toEqual(['a', 'b']);
    expect(flushed).toBe(false);
    release.get('a')!();
    await flushing;
    expect((await first).succeeded).toBe(true);
    let afterSettled = false;
    void after.then(() => {
      afterSettled = true;
    });
    await sleep(5);
    expect(afterSettled).toBe(false);
    release.get('b')!();
    expect((await after).succeeded).toBe(true);
  });

  test('flushes called one after another resolve in order, each with its own records', async () => {
    const mock = new MockKinesis(evenShards(1));
    const pending: Array<() => void> = [];
    mock.script = (entries) => new Promise((resolve) => pending.push(() => resolve(mock.acceptAll(entries))));
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 60_000 });
    const order: string[] = [];
    void producer.put({ partitionKey: 'a', data: text('1') });
    const one = producer.flush().then(() => order.push('one'));
    await sleep(5);
    void producer.put({ partitionKey: 'b', data: text('2') });
    const two = producer.flush().then(() => order.push('two'));
    await sleep(20);
    expect(pending).toHaveLength(2);
    pending[1](); // b's request answers first: the second flush still waits for a
    await sleep(5);
    expect(order).toEqual([]);
    pending[0]();
    await Promise.all([one, two]);
    expect(order).toEqual(['one', 'two']);
  });

  test('close refuses puts made while it flushes, and waits for the records before it', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = async (entries) => {
      await sleep(20);
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', rateLimit: false, bufferTimeMs: 60_000 });
    const before = producer.put({ partitionKey: 'a', data: text('1') });
    const closing = producer.close();
    const during = await producer.put({ partitionKey: 'a', data: text('2') });
    expect(during.error?.code).toBe(ProducerErrorCode.PRODUCER_CLOSED);
    await closing;
    expect(producer.metrics.inFlight).toBe(0);
    expect((await before).succeeded).toBe(true);
  });
});
