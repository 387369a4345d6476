import { CONSUMER_ENVIRONMENT, DynamoDbCheckpointStore, comparePositions, compareSequenceNumbers, parsePositionKey, positionKey } from '../../../lambda/consumer';
import { DynaliteServer, startDynalite } from '../../support/dynalite';

describe('positions', () => {
  const positions = [
    { sequenceNumber: '9', subSequenceNumber: 0 },
    { sequenceNumber: '10', subSequenceNumber: 0 },
    { sequenceNumber: '10', subSequenceNumber: 2 },
    { sequenceNumber: '10', subSequenceNumber: 10 },
    { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 0 },
    { sequenceNumber: '49590338271490256608559692538361571095921575989136588899', subSequenceNumber: 3 },
  ];

  test('sequence numbers compare as unbounded integers', () => {
    expect(compareSequenceNumbers('9', '10')).toBeLessThan(0);
    expect(compareSequenceNumbers('100', '99')).toBeGreaterThan(0);
    expect(compareSequenceNumbers('4959', '4959')).toBe(0);
  });

  test('position keys sort as the positions do and parse back', () => {
    const keys = positions.map(positionKey);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.map(parsePositionKey)).toEqual(positions);
    for (let i = 1; i < positions.length; i++) expect(comparePositions(positions[i - 1], positions[i])).toBeLessThan(0);
  });

  test('parsing rejects what is not a position key', () => {
    expect(() => parsePositionKey('abc')).toThrow(/not a record position key/);
  });
});

describe('DynamoDbCheckpointStore against dynalite', () => {
  let db: DynaliteServer;
  beforeAll(async () => {
    db = await startDynalite();
    await db.createTable('checkpoints', 'pk');
  });
  afterAll(async () => db.stop());

  test('saves, loads and never moves a checkpoint backwards', async () => {
    const store = new DynamoDbCheckpointStore({ tableName: 'checkpoints', client: db.client() });
    const key = { shardId: 'shardId-000000000001', partitionKey: 'user|1' };
    await store.save(key, { sequenceNumber: '100', subSequenceNumber: 3 });
    await store.save(key, { sequenceNumber: '100', subSequenceNumber: 1 });
    await store.save(key, { sequenceNumber: '99', subSequenceNumber: 9 });
    const loaded = await store.load([key, { shardId: 'shardId-000000000001', partitionKey: 'absent' }]);
    expect([...loaded]).toEqual([['shardId-000000000001|user|1', { sequenceNumber: '100', subSequenceNumber: 3 }]]);
    await store.save(key, { sequenceNumber: '1000', subSequenceNumber: 0 });
    expect((await store.load([key])).get('shardId-000000000001|user|1')).toEqual({ sequenceNumber: '1000', subSequenceNumber: 0 });
  });

  test('loads more keys than one BatchGetItem takes, and keeps prefixed consumers apart', async () => {
    const a = new DynamoDbCheckpointStore({ tableName: 'checkpoints', client: db.client(), keyPrefix: 'a#' });
    const b = new DynamoDbCheckpointStore({ tableName: 'checkpoints', client: db.client(), keyPrefix: 'b#' });
    const keys = Array.from({ length: 250 }, (_, i) => ({ shardId: 'shardId-000000000002', partitionKey: `k${i}` }));
    await Promise.all(keys.map((k, i) => a.save(k, { sequenceNumber: String(500 + i), subSequenceNumber: 0 })));
    const loaded = await a.load(keys);
    expect(loaded.size).toBe(250);
    expect(loaded.get('shardId-000000000002|k249')).toEqual({ sequenceNumber: '749', subSequenceNumber: 0 });
    expect((await b.load(keys)).size).toBe(0);
  });

  test('is configured from the environment the constructs set', () => {
    expect(DynamoDbCheckpointStore.fromEnvironment(db.client(), {})).toBeUndefined();
    const env = { [CONSUMER_ENVIRONMENT.CHECKPOINT_TABLE]: 'checkpoints', [CONSUMER_ENVIRONMENT.CHECKPOINT_TTL_SECONDS]: '0' };
    expect(() => DynamoDbCheckpointStore.fromEnvironment(db.client(), env)).toThrow(/TTL must be a whole number of seconds greater than 0, got 0/);
    expect(DynamoDbCheckpointStore.fromEnvironment(db.client(), { ...env, [CONSUMER_ENVIRONMENT.CHECKPOINT_TTL_SECONDS]: '60' })).toBeInstanceOf(DynamoDbCheckpointStore);
  });
});

describe('DynamoDbCheckpointStore under throttling', () => {
  /** A client whose BatchGetItem leaves every key unprocessed `throttled` times before answering. */
  function throttlingClient(throttled: number) {
    let calls = 0;
    return {
      calls: () => calls,
      send: async (command: { input: { RequestItems: Record<string, { Keys: Record<string, { S: string }>[] }> } }) => {
        calls++;
        const [table, request] = Object.entries(command.input.RequestItems)[0];
        if (calls <= throttled) return { Responses: { [table]: [] }, UnprocessedKeys: { [table]: { Keys: request.Keys } } };
        return { Responses: { [table]: request.Keys.map((k) => ({ pk: k.pk, position: { S: positionKey({ sequenceNumber: '42', subSequenceNumber: 1 }) } })) } };
      },
    };
  }
  const key = { shardId: 'shardId-000000000000', partitionKey: 'k' };

  test('retries keys DynamoDB left unprocessed', async () => {
    const client = throttlingClient(2);
    const store = new DynamoDbCheckpointStore({ tableName: 't', client: client as never, maxAttempts: 3 });
    expect((await store.load([key])).get('shardId-000000000000|k')).toEqual({ sequenceNumber: '42', subSequenceNumber: 1 });
    expect(client.calls()).toBe(3);
  });

  test('gives up after maxAttempts, naming the table and the keys left', async () => {
    const store = new DynamoDbCheckpointStore({ tableName: 't', client: throttlingClient(10) as never, maxAttempts: 2 });
    await expect(store.load([key])).rejects.toThrow('DynamoDB left 1 checkpoint key(s) of t unprocessed after 2 attempts');
  });
});
