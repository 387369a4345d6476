/**
 * The local event source mapping against kinesalite, with a handler written here: Lambda's batching, partial batch
 * responses, retries, bisection, maximum record age and parallelization factor, and the on-failure records.
 */
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import * as sdk from '@aws-sdk/client-kinesis';
import { localClientConfig, LocalEmulator, startKinesalite } from '../../local/emulators';
import { LocalEventSourceMapping } from '../../local/event-source-mapping';
import { RunTracker, sleep } from '../../local/metrics';
import type { LocalConsumer } from '../../local/model';
import { ShardReader } from '../../local/shard-reader';

let kinesalite: LocalEmulator;
let client: KinesisClient;
let streams = 0;

beforeAll(async () => {
  kinesalite = await startKinesalite();
  client = new KinesisClient(localClientConfig(kinesalite.endpoint) as any);
});
afterAll(async () => {
  client.destroy();
  await kinesalite.stop();
});

/** A one-shard stream holding `events` (JSON with eventId `<key>#<n>`), in order. */
async function streamWith(events: Array<{ key: string; n: number; poison?: boolean }>, tracker: RunTracker): Promise<string> {
  const name = `esm-${++streams}`;
  await client.send(new sdk.CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  for (let i = 0; i < 100; i++) {
    if ((await client.send(new sdk.DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
    await sleep(20);
  }
  for (const e of events) tracker.produced(`${e.key}#${e.n}`, e.key, e.n, false);
  await client.send(new PutRecordsCommand({
    StreamName: name,
    Records: events.map((e) => ({ PartitionKey: e.key, Data: Buffer.from(JSON.stringify({ eventId: `${e.key}#${e.n}`, poison: e.poison === true })) })),
  }));
  for (const e of tracker.events.values()) e.stream = name;
  return name;
}

function consumer(name: string, settings: Partial<LocalConsumer>): LocalConsumer {
  return {
    id: 'Test',
    stream: { id: 'S', name, arn: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`, shardCount: 1, onDemand: false },
    fn: { id: 'TestFunction', handler: 'index.handler', codeDir: '.', environment: {}, timeoutSeconds: 30 },
    batchSize: 100,
    batchingWindowSeconds: 0,
    parallelizationFactor: 1,
    bisectOnError: false,
    maxRetryAttempts: 2,
    maxRecordAgeSeconds: -1,
    reportBatchItemFailures: true,
    startingPosition: 'TRIM_HORIZON',
    ...settings,
  };
}

const isPoison = (r: any) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()).poison === true;

async function run(c: LocalConsumer, handler: (event: any) => Promise<any>, tracker: RunTracker, delayMs = 0) {
  const failures: any[] = [];
  const invocations: number[] = [];
  const stats = tracker.part('consumer', c.id, c.id);
  const reader = new ShardReader(client, sdk, c.stream.name, 50);
  const mapping = new LocalEventSourceMapping({
    consumer: c,
    reader,
    tracker,
    stats,
    handler: async (event: any) => {
      invocations.push(event.Records.length);
      return handler(event);
    },
    onFailure: (r) => {
      failures.push(r);
      return 'failures/test.jsonl';
    },
  });
  await sleep(delayMs);
  mapping.start(['shardId-000000000000']);
  reader.start(['shardId-000000000000']);
  await sleep(300);
  await mapping.stop();
  return { stats, failures, invocations, mapping };
}

test('a reported item failure resumes the batch at it; after the retries the rest of the batch goes to the destination', async () => {
  const tracker = new RunTracker();
  const events = Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, n: Math.floor(i / 3) + 1, poison: i === 4 }));
  const name = await streamWith(events, tracker);
  const { stats, failures, invocations } = await run(consumer(name, { batchSize: 10, maxRetryAttempts: 2 }), async (event) => {
    const i = event.Records.findIndex(isPoison);
    return { batchItemFailures: i < 0 ? [] : [{ itemIdentifier: event.Records[i].kinesis.sequenceNumber }] };
  }, tracker);
  // First try with all 10, then twice from the poison record (6 records).
  expect(invocations).toEqual([10, 6, 6]);
  expect(stats.out).toBe(4);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 }, KinesisBatchInfo: { batchSize: 6, shardId: 'shardId-000000000000' } });
  expect(stats.failed).toBe(6);
  expect(stats.orderViolations).toBe(0);
});

test('a function error bisects the batch until the poison record is alone, and only it goes to the destination', async () => {
  const tracker = new RunTracker();
  const events = Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, n: 1, poison: i === 5 }));
  const name = await streamWith(events, tracker);
  const settings = { batchSize: 8, bisectOnError: true, maxRetryAttempts: 3, reportBatchItemFailures: false };
  const { stats, failures, invocations } = await run(consumer(name, settings), async (event) => {
    if (event.Records.some(isPoison)) throw new Error('poison');
    return undefined;
  }, tracker);
  expect(invocations).toEqual([8, 4, 4, 2, 1, 1, 2]);
  expect(stats.bisects).toBe(3);
  expect(failures).toHaveLength(1);
  expect(failures[0].KinesisBatchInfo.batchSize).toBe(1);
  expect(stats.out).toBe(7);
});

test('records older than the maximum record age are not handed over, and go to the destination', async () => {
  const tracker = new RunTracker();
  const name = await streamWith([{ key: 'a', n: 1 }, { key: 'a', n: 2 }], tracker);
  const { failures, invocations, stats } = await run(consumer(name, { maxRecordAgeSeconds: 1 }), async () => undefined, tracker, 1500);
  expect(invocations).toEqual([]);
  expect(failures.map((f) => f.requestContext.condition)).toEqual(['RecordAgeExceeded']);
  expect(stats.failed).toBe(2);
});

test('a parallelization factor runs concurrent batches per shard and keeps each key on one of them, in order', async () => {
  const tracker = new RunTracker();
  const events = Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 7}`, n: Math.floor(i / 7) + 1 }));
  const name = await streamWith(events, tracker);
  let concurrent = 0;
  let maxConcurrent = 0;
  const { stats } = await run(consumer(name, { batchSize: 10, parallelizationFactor: 3 }), async () => {
    maxConcurrent = Math.max(maxConcurrent, ++concurrent);
    await sleep(20);
    concurrent--;
    return { batchItemFailures: [] };
  }, tracker);
  expect(maxConcurrent).toBeGreaterThan(1);
  expect(maxConcurrent).toBeLessThanOrEqual(3);
  expect(stats.out).toBe(200);
  expect(stats.orderViolations).toBe(0);
});

test('an item identifier that is not in the batch fails the whole batch', async () => {
  const tracker = new RunTracker();
  const name = await streamWith([{ key: 'a', n: 1 }, { key: 'b', n: 1 }], tracker);
  const { failures, invocations, stats } = await run(consumer(name, { maxRetryAttempts: 1 }), async () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] }), tracker);
  expect(invocations).toEqual([2, 2]);
  expect(stats.out).toBe(0);
  expect(failures[0].KinesisBatchInfo.batchSize).toBe(2);
});
