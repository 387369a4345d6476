/**
 * The runtime end to end against kinesalite, read by a poller that resumes from reported failures as Lambda does:
 * plain and KPL-aggregated records, injected failures, idempotency in dynalite.
 */
import { KinesisClient, ListShardsCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { encodeAggregate } from '../../../lambda/aggregation';
import { DynamoDbCheckpointStore, jsonParser, processKinesisBatch } from '../../../lambda/consumer';
import type { ConsumerOptions, KinesisUserRecord } from '../../../lambda/consumer';
import { DynaliteServer, startDynalite } from '../../support/dynalite';
import { KinesaliteServer, startKinesalite } from '../../support/kinesalite';
import { pollStream } from '../../support/poller';

interface Click { key: string; n: number }

const KEYS = Array.from({ length: 12 }, (_, i) => `user-${i}`);
const PER_KEY = 30;

let kinesis: KinesaliteServer;
let dynamo: DynaliteServer;
let client: KinesisClient;
let streams = 0;

beforeAll(async () => {
  [kinesis, dynamo] = await Promise.all([startKinesalite(), startDynalite()]);
  client = kinesis.client();
});
afterAll(async () => Promise.all([kinesis.stop(), dynamo.stop()]));

/**
 * Writes PER_KEY records per key, in order, to a 2-shard stream. Every key is pinned to a shard by explicit hash
 * key, and every third write is a KPL aggregate of records of that shard's keys, as the KPL aggregates per shard.
 */
async function writeStream(): Promise<string> {
  const name = `clicks-${++streams}`;
  await kinesis.createStream(name, 2);
  const shards = (await client.send(new ListShardsCommand({ StreamName: name }))).Shards!;
  const hashKeyOf = (key: string) => shards[KEYS.indexOf(key) % 2].HashKeyRange!.StartingHashKey!;
  const next = new Map(KEYS.map((k) => [k, 0]));
  const click = (key: string): Click => {
    const n = next.get(key)!;
    next.set(key, n + 1);
    return { key, n };
  };
  for (let round = 0; round < PER_KEY; round += 3) {
    for (let shard = 0; shard < 2; shard++) {
      const keys = KEYS.filter((_, i) => i % 2 === shard);
      await client.send(new PutRecordsCommand({
        StreamName: name,
        Records: keys.flatMap((k) => [click(k), click(k)])
          .map((c) => ({ PartitionKey: c.key, ExplicitHashKey: hashKeyOf(c.key), Data: Buffer.from(JSON.stringify(c)) })),
      }));
      const aggregate = encodeAggregate(keys.map((k) => click(k)).map((c) => ({ partitionKey: c.key, data: Buffer.from(JSON.stringify(c)) })));
      await client.send(new PutRecordCommand({ StreamName: name, PartitionKey: keys[0], ExplicitHashKey: hashKeyOf(keys[0]), Data: aggregate }));
    }
  }
  return name;
}

/** A record handler that fails chosen records a number of times, and logs what it handled. */
function flakyHandler(failuresOf: (c: Click) => number) {
  const handled: Click[] = [];
  const attempts = new Map<string, number>();
  const handler = async (c: Click, record: KinesisUserRecord) => {
    expect(record.partitionKey).toBe(c.key);
    const id = `${c.key}#${c.n}`;
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    if (attempt <= failuresOf(c)) throw new Error(`injected failure ${attempt} of ${id}`);
    await new Promise((r) => setImmediate(r));
    handled.push(c);
  };
  return { handled, handler };
}

/** Keys whose records fail transiently: some once, some twice, at early, middle and late positions. */
const transient = (c: Click): number => (c.n % 7 === 3 && c.key !== 'user-5' ? 1 : c.n === 17 && c.key === 'user-2' ? 2 : 0);

function byKey(clicks: Click[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const c of clicks) map.set(c.key, [...(map.get(c.key) ?? []), c.n]);
  return map;
}

type ClickHandler = (c: Click, r: KinesisUserRecord) => Promise<void>;

async function consume(streamName: string, handler: ClickHandler, options: ConsumerOptions<Click>, maxRetryAttempts = 5) {
  return pollStream({
    client,
    streamName,
    batchSize: 25,
    maxRetryAttempts,
    handler: (event) => processKinesisBatch(event, handler, { parser: jsonParser<Click>(), onFailure: () => undefined, ...options }),
  });
}

test('with idempotency: every record is handled exactly once, in per-key order, through injected failures', async () => {
  const stream = await writeStream();
  await dynamo.createTable(`${stream}-checkpoints`, 'pk');
  const checkpoints = new DynamoDbCheckpointStore({ tableName: `${stream}-checkpoints`, client: dynamo.client() });
  const { handled, handler } = flakyHandler(transient);
  const report = await consume(stream, handler, { checkpoints });
  expect(report.failedBatches).toEqual([]);
  const seen = byKey(handled);
  for (const key of KEYS) expect(seen.get(key)).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
  expect(handled).toHaveLength(KEYS.length * PER_KEY);
});

test('without idempotency: every record is handled, never before its predecessors, and retries do repeat records', async () => {
  const stream = await writeStream();
  const { handled, handler } = flakyHandler(transient);
  const report = await consume(stream, handler, {});
  expect(report.failedBatches).toEqual([]);
  for (const [key, ns] of byKey(handled)) {
    let highest = -1;
    for (const n of ns) {
      expect({ key, n, before: n <= highest + 1 }).toEqual({ key, n, before: true });
      highest = Math.max(highest, n);
    }
    expect(highest).toBe(PER_KEY - 1);
  }
  // Records of other keys after a failure are retried with it: the duplicates idempotency removes.
  expect(handled.length).toBeGreaterThan(KEYS.length * PER_KEY);
});

test('strict mode with idempotency: exactly once, and nothing of a shard runs past a failure', async () => {
  const stream = await writeStream();
  await dynamo.createTable(`${stream}-checkpoints`, 'pk');
  const checkpoints = new DynamoDbCheckpointStore({ tableName: `${stream}-checkpoints`, client: dynamo.client() });
  const { handled, handler } = flakyHandler(transient);
  // Strict mode stops at the first failing user record, so an aggregate holding k transiently failing records of
  // different keys needs k attempts on the same sequence number (6 here): the retry budget must cover that.
  const report = await consume(stream, handler, { checkpoints, strict: true }, 10);
  expect(report.failedBatches).toEqual([]);
  expect(handled).toHaveLength(KEYS.length * PER_KEY);
  for (const key of KEYS) expect(byKey(handled).get(key)).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
});

test('a poison record goes to the failure destination after bounded retries and does not block its shard', async () => {
  const stream = await writeStream();
  await dynamo.createTable(`${stream}-checkpoints`, 'pk');
  const checkpoints = new DynamoDbCheckpointStore({ tableName: `${stream}-checkpoints`, client: dynamo.client() });
  const poison = (c: Click) => (c.key === 'user-4' && c.n === 10 ? Infinity : 0);
  const { handled, handler } = flakyHandler(poison);
  const report = await consume(stream, handler, { checkpoints }, 3);
  expect(report.failedBatches).toHaveLength(1);
  expect(report.failedBatches[0]).toMatchObject({ attempts: 4 });
  const seen = byKey(handled);
  for (const key of KEYS.filter((k) => k !== 'user-4')) expect(seen.get(key)).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
  // user-4 lost the poison record and those of its later records that were in the abandoned batch, nothing else.
  const user4 = seen.get('user-4')!;
  expect(user4.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, n) => n));
  expect(user4).not.toContain(10);
  expect(user4[user4.length - 1]).toBe(PER_KEY - 1);
  expect(new Set(user4).size).toBe(user4.length);
});
