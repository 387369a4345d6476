import { decode, evenShards, MockKinesis, text } from './mock-kinesis';
import { KinesisProducer } from '../../../lambda/producer';
import { PendingRecord } from '../../../lambda/producer/entry';
import { KeyQueues } from '../../../lambda/producer/key-queues';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hot keys', () => {
  test('on a saturated shard, a busy key goes in every request (its head record is the oldest), not once per round of all keys', async () => {
    const mock = new MockKinesis(evenShards(1));
    mock.script = async (entries) => {
      await sleep(3);
      return mock.acceptAll(entries);
    };
    const producer = new KinesisProducer({ client: mock.client, streamName: 's', bufferTimeMs: 1 });
    // 30 records of one key, each followed by 50 records of 500 other keys: 1530 records, one shard at 1000 records/s.
    // Requests carry about 50 entries, so a key served in turn with the 500 others would go in one request of ten.
    const records = Array.from({ length: 30 }, (_, i) => [
      { partitionKey: 'hot', data: text(`hot:${i}`) },
      ...Array.from({ length: 50 }, (__, j) => ({ partitionKey: `k${(i * 50 + j) % 500}`, data: text(`${i}.${j}`) })),
    ]).flat();
    const results = await producer.putAll(records);
    expect(results.every((r) => r.succeeded)).toBe(true);
    const hotPerCall = mock.calls.map((c) => c.entries.filter((e) => e.PartitionKey === 'hot').length);
    // One entry of the key per request at most (order), and one in nearly every request until its records are out.
    expect(Math.max(...hotPerCall)).toBe(1);
    const lastHot = hotPerCall.lastIndexOf(1);
    expect(hotPerCall.slice(0, lastHot + 1).filter((n) => n === 1).length).toBeGreaterThanOrEqual(0.7 * (lastHot + 1));
    expect(hotPerCall.filter((n) => n === 1)).toHaveLength(30);
    // And its records are in order.
    expect(mock.written.filter((e) => e.PartitionKey === 'hot').map((e) => decode(e.Data))).toEqual(Array.from({ length: 30 }, (_, i) => `hot:${i}`));
  });

  test('a lane hands out ready keys by the age of their head record', () => {
    const queues = new KeyQueues();
    const pending = (key: string, n: number): PendingRecord => ({
      record: { partitionKey: key, data: text(`${key}${n}`) }, index: n, hashKey: 0n, sizeBytes: 2, enqueuedAt: 0, settle: () => undefined,
    });
    queues.enqueue(pending('a', 0), 'L');
    queues.enqueue(pending('b', 1), 'L');
    queues.enqueue(pending('a', 2), 'L');
    queues.enqueue(pending('c', 3), 'L');
    const [first] = queues.readyKeys('L');
    expect(first).toBe('a');
    queues.take('a', 1);
    queues.release('a'); // ready again, behind b (#1) but ahead of c (#3): its head is #2
    expect([...takeAll(queues, 'L')]).toEqual(['b', 'a', 'c']);
    // A key not taken ends the iteration instead of being handed out again.
    queues.enqueue(pending('d', 4), 'L');
    const seen: string[] = [];
    for (const k of queues.readyKeys('L')) seen.push(k);
    expect(seen).toEqual(['d']);
  });
});

function* takeAll(queues: KeyQueues, lane: string): Generator<string> {
  for (const key of queues.readyKeys(lane)) {
    queues.take(key, 1);
    yield key;
  }
}
