/**
 * The sink end to end: records from kinesalite, read by the Lambda-like poller, through the runtime, into dynalite,
 * with injected failures that make Lambda retry records the sink already wrote.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDbSink, jsonParser, processKinesisBatch } from '../../../lambda/consumer';
import type { KinesisUserRecord } from '../../../lambda/consumer';
import { DynaliteServer, startDynalite } from '../../support/dynalite';
import { KinesaliteServer, startKinesalite } from '../../support/kinesalite';
import { pollStream } from '../../support/poller';

let kinesis: KinesaliteServer;
let dynamo: DynaliteServer;
beforeAll(async () => { [kinesis, dynamo] = await Promise.all([startKinesalite(), startDynalite()]); });
afterAll(async () => Promise.all([kinesis.stop(), dynamo.stop()]));

test('every user ends with their newest click, through retries of records already written', async () => {
  const users = Array.from({ length: 15 }, (_, i) => `user-${i}`);
  await kinesis.createStream('clicks', 3);
  await dynamo.createTable('last-seen', 'pk');
  const client = kinesis.client();
  for (let round = 0; round < 20; round++) {
    await client.send(new PutRecordsCommand({
      StreamName: 'clicks',
      Records: users.map((user) => ({ PartitionKey: user, Data: Buffer.from(JSON.stringify({ user, round })) })),
    }));
  }
  const sink = new DynamoDbSink({ tableName: 'last-seen', client: dynamo.client() });
  const attempts = new Map<string, number>();
  const flaky = async (body: unknown, record: KinesisUserRecord) => {
    const { user, round } = body as { user: string; round: number };
    const id = `${user}#${round}`;
    attempts.set(id, (attempts.get(id) ?? 0) + 1);
    // Every fifth click fails once, after other users' later clicks were written: their retry writes them again.
    if (round % 5 === 2 && attempts.get(id) === 1) throw new Error(`injected failure of ${id}`);
    await sink.handle(body, record);
  };
  const report = await pollStream({
    client,
    streamName: 'clicks',
    batchSize: 40,
    handler: (event) => processKinesisBatch(event, flaky, { parser: jsonParser(), onFailure: () => undefined }),
  });
  expect(report.failedBatches).toEqual([]);
  const items = (await dynamo.client().send(new ScanCommand({ TableName: 'last-seen', ConsistentRead: true }))).Items ?? [];
  expect(items.map((i) => [i.pk.S, Number(i.round.N)]).sort()).toEqual(users.map((u) => [u, 19]).sort());
  // Retried records were refused by the condition instead of being written again.
  expect(sink.written).toBe(users.length * 20);
  expect(sink.stale).toBeGreaterThan(0);
});
