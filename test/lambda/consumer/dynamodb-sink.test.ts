import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { CONSUMER_ENVIRONMENT, DynamoDbSink, jsonParser, processKinesisBatch, SINK_ENVIRONMENT } from '../../../lambda/consumer';
import { DynaliteServer, startDynalite } from '../../support/dynalite';
import { event, kinesisRecord, sequenceNumber } from '../../support/kinesis-events';

let db: DynaliteServer;
let tables = 0;
beforeAll(async () => { db = await startDynalite(); });
afterAll(async () => db.stop());

async function table(sortKey?: string): Promise<string> {
  const name = `sink-${++tables}`;
  await db.createTable(name, 'pk', sortKey);
  return name;
}

async function item(tableName: string, pk: string, sk?: string) {
  const key: Record<string, { S: string }> = { pk: { S: pk } };
  if (sk) key.sk = { S: sk };
  return (await db.client().send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
}

const json = (partitionKey: string, body: unknown, sequence: number) => kinesisRecord({ partitionKey, data: JSON.stringify(body), sequence });
const quiet = { onFailure: () => undefined };

test('keeps the newest record per key by stream position; replays and older records change nothing', async () => {
  const tableName = await table();
  const sink = new DynamoDbSink({ tableName, client: db.client() });
  const run = (e: KinesisStreamEvent) => processKinesisBatch(e, sink.handle, { parser: jsonParser(), ...quiet });
  await run(event(json('u1', { page: 'a' }, 1), json('u2', { page: 'x' }, 2), json('u1', { page: 'b' }, 3)));
  expect((await item(tableName, 'u1'))).toMatchObject({ page: { S: 'b' }, kinesisSequenceNumber: { S: sequenceNumber(3) } });
  // Lambda retries from an earlier checkpoint: the same records again, then an older one delivered late.
  await run(event(json('u1', { page: 'a' }, 1), json('u1', { page: 'b' }, 3)));
  expect(sink).toMatchObject({ written: 3, stale: 2 });
  expect((await item(tableName, 'u1'))?.page).toEqual({ S: 'b' });
  expect((await item(tableName, 'u2'))?.page).toEqual({ S: 'x' });
});

test('orders by a version field when one is configured, and takes the key from a record field', async () => {
  const tableName = await table();
  const sink = new DynamoDbSink({ tableName, client: db.client(), partitionKeyField: 'user', versionField: 'at' });
  const outcome = await processKinesisBatch(event(
    json('shard-key-1', { user: 'u1', at: 20, page: 'new' }, 1),
    json('shard-key-2', { user: 'u1', at: 10, page: 'old' }, 2),
  ), sink.handle, { parser: jsonParser(), ...quiet });
  expect(outcome.batchItemFailures).toEqual([]);
  expect(sink.stale).toBe(1);
  expect((await item(tableName, 'u1'))?.page).toEqual({ S: 'new' });
});

test('writes the sort key from a record field', async () => {
  const tableName = await table('sk');
  const sink = new DynamoDbSink({ tableName, client: db.client(), sortKeyAttribute: 'sk', sortKeyField: 'session' });
  await processKinesisBatch(event(json('u1', { session: 's1', n: 1 }, 1), json('u1', { session: 's2', n: 2 }, 2)), sink.handle, { parser: jsonParser() });
  expect((await item(tableName, 'u1', 's1'))?.n).toEqual({ N: '1' });
  expect((await item(tableName, 'u1', 's2'))?.n).toEqual({ N: '2' });
  expect(() => new DynamoDbSink({ tableName, sortKeyAttribute: 'sk' })).toThrow(/sortKeyAttribute and sortKeyField must be given together/);
});

test.each([
  ['a JSON array', [1, 2], /must be a JSON object to become an item, got an array/],
  ['a missing key field', { page: 'a' }, /key field 'user' must be a non-empty string or a number, got undefined/],
  ['a version that is not a number', { user: 'u', at: '5' }, /version field 'at' must be a number, got "5"/],
  ['a record larger than an item can be', { user: 'u', at: 1, blob: 'x'.repeat(400_001) }, /a record of 400\d{3} bytes cannot become an item: DynamoDB items are at most 400000 bytes/],
])('bad data (%s) fails its record only', async (_what, body, message) => {
  const tableName = await table();
  const sink = new DynamoDbSink({ tableName, client: db.client(), partitionKeyField: 'user', versionField: 'at' });
  const outcome = await processKinesisBatch(event(json('bad', body, 1), json('good', { user: 'g', at: 1 }, 2)), sink.handle, { parser: jsonParser(), ...quiet });
  expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(1) }]);
  expect((outcome.failures[0].cause as Error).message).toMatch(message);
  expect(await item(tableName, 'g')).toBeDefined();
});

test('the bundled handler is configured by its environment', async () => {
  const tableName = await table();
  const checkpoints = await table();
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    [SINK_ENVIRONMENT.TABLE_NAME]: tableName,
    [SINK_ENVIRONMENT.PARTITION_KEY_ATTRIBUTE]: 'pk',
    [CONSUMER_ENVIRONMENT.CHECKPOINT_TABLE]: checkpoints,
    [CONSUMER_ENVIRONMENT.STRICT]: 'true',
  });
  try {
    let handler!: (e: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = require('../../../lambda/consumer/dynamodb-sink.handler').handler;
    });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await handler(event(json('u1', { page: 'a' }, 1), kinesisRecord({ partitionKey: 'u2', data: 'not json', sequence: 2 }), json('u3', { page: 'c' }, 3)));
    spy.mockRestore();
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] });
    expect((await item(tableName, 'u1'))?.page).toEqual({ S: 'a' });
    // Strict mode: nothing of the shard after the bad record.
    expect(await item(tableName, 'u3')).toBeUndefined();
    expect(await item(checkpoints, 'shardId-000000000006|u1')).toBeDefined();
  } finally {
    process.env = saved;
  }
});

test('a misconfigured environment fails loudly', () => {
  expect(() => DynamoDbSink.fromEnvironment(undefined, {})).toThrow(/SINK_TABLE_NAME is not set/);
});
