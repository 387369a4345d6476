/** The shard limits in front of kinesalite answer the excess as the service does, entry by entry. */
import { CreateStreamCommand, KinesisClient, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { localClientConfig, LocalEmulator, startKinesalite } from '../../local/emulators';
import { sleep } from '../../local/metrics';
import { ShardFront, startShardFront } from '../../local/shard-front';
import { KinesisLimits } from '../../src/validation/limits';

let kinesalite: LocalEmulator;
let front: ShardFront;
let client: KinesisClient;

beforeAll(async () => {
  kinesalite = await startKinesalite();
  front = await startShardFront(kinesalite.endpoint);
  client = new KinesisClient(localClientConfig(front.endpoint, { maxAttempts: 1 }) as any);
  await client.send(new CreateStreamCommand({ StreamName: 'limited', ShardCount: 1 }));
  await sleep(50);
  const shards = (await client.send(new ListShardsCommand({ StreamName: 'limited' }))).Shards!;
  front.setShards('limited', shards.map((s) => ({ id: s.ShardId!, start: s.HashKeyRange!.StartingHashKey!, end: s.HashKeyRange!.EndingHashKey! })));
});
afterAll(async () => {
  client.destroy();
  await front.stop();
  await kinesalite.stop();
});

test('more than 1,000 records in a second on one shard: the excess is ProvisionedThroughputExceededException, in request order', async () => {
  await sleep(1000 - (Date.now() % 1000));
  const entries = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('x') }));
  const outs = [];
  for (let i = 0; i < 3; i++) outs.push(await client.send(new PutRecordsCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/limited', Records: entries })));
  const w = front.writes.get('limited')!.get('shardId-000000000000')!;
  expect(Math.max(...[...w.seconds.values()].map((s) => s.records))).toBeLessThanOrEqual(KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND);
  expect(w.records + w.throttled).toBe(1500);
  const failed = outs.flatMap((o) => o.Records!).filter((r) => r.ErrorCode);
  expect(failed.length).toBe(w.throttled);
  expect(failed.every((r) => r.ErrorCode === 'ProvisionedThroughputExceededException' && /Rate exceeded for shard shardId-000000000000/.test(r.ErrorMessage!))).toBe(true);
  // Accepted entries carry kinesalite's sequence numbers: they were written (a StreamARN is named by its stream's name).
  expect(outs[0].Records!.filter((r) => r.SequenceNumber).length).toBeGreaterThan(0);
});

test('more than 1 MiB in a second on one shard is refused too', async () => {
  await sleep(1000 - (Date.now() % 1000));
  const big = Array.from({ length: 4 }, (_, i) => ({ PartitionKey: `b${i}`, Data: Buffer.alloc(300 * 1024) }));
  const out = await client.send(new PutRecordsCommand({ StreamName: 'limited', Records: big }));
  expect(out.Records!.map((r) => r.ErrorCode ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ProvisionedThroughputExceededException']);
});
