import { KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { FaultFront, startFaultFront } from './fault-front';
import { KinesaliteServer, localClientConfig, startKinesalite } from './kinesalite';
import { KinesisLimits } from '../../src/validation/limits';
import { readStream } from '../lambda/producer/stream-reader';

describe('fault front', () => {
  let kinesalite: KinesaliteServer;
  let front: FaultFront;
  let client: KinesisClient;

  beforeAll(async () => {
    kinesalite = await startKinesalite();
    await kinesalite.createStream('front', 2);
    front = await startFaultFront({ target: kinesalite.endpoint });
    client = new KinesisClient(localClientConfig(front.endpoint, { maxAttempts: 1 }));
  });
  afterAll(async () => {
    client.destroy();
    await front.stop();
    await kinesalite.stop();
  });
  beforeEach(() => {
    front.setFaults({});
    front.resetStats();
  });

  test('listens on a loopback port and forwards to kinesalite, entry by entry, in request order', async () => {
    expect(front.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    front.setFaults({ decide: (e) => (e.partitionKey === 'fail' ? 'InternalFailure' : e.partitionKey === 'slow' ? 'ProvisionedThroughputExceededException' : undefined) });
    const out = await client.send(new PutRecordsCommand({
      StreamName: 'front',
      Records: ['a', 'fail', 'b', 'slow'].map((k) => ({ PartitionKey: k, Data: Buffer.from(k) })),
    }));
    expect(out.FailedRecordCount).toBe(2);
    expect(out.Records!.map((r) => r.ErrorCode ?? r.ShardId?.slice(0, 8))).toEqual(['shardId-', 'InternalFailure', 'shardId-', 'ProvisionedThroughputExceededException']);
  });

  test('computes each entry\'s shard from its explicit hash key or partition key, as kinesalite does', async () => {
    const out = await client.send(new PutRecordsCommand({
      StreamName: 'front',
      Records: [
        { PartitionKey: 'x', ExplicitHashKey: '0', Data: Buffer.from('1') },
        { PartitionKey: 'x', ExplicitHashKey: KinesisLimits.MAX_HASH_KEY, Data: Buffer.from('2') },
      ],
    }));
    expect(out.Records!.map((r) => r.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect([...front.stats.shards.keys()].sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
  });

  test('enforces the records-per-second limit of a shard within one-second windows', async () => {
    // Start at the top of a second so the burst most likely falls into one window; the checks hold either way.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    const entries = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: 'k', ExplicitHashKey: String(i), Data: Buffer.from('x') }));
    const outs = await Promise.all([0, 1, 2].map(() => client.send(new PutRecordsCommand({ StreamName: 'front', Records: entries }))));
    const failed = outs.reduce((n, o) => n + o.FailedRecordCount!, 0);
    const windows = [...front.stats.shards.get('shardId-000000000000')!.windows.values()];
    const accepted = windows.reduce((n, w) => n + w.records, 0);
    expect(Math.max(...windows.map((w) => w.records))).toBeLessThanOrEqual(KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND);
    expect(accepted + failed).toBe(1500);
    expect(failed).toBeGreaterThanOrEqual(1500 - KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND * windows.length);
    expect(outs.flatMap((o) => o.Records!).filter((r) => r.ErrorCode).every((r) => r.ErrorCode === 'ProvisionedThroughputExceededException')).toBe(true);
  });

  test('answers a refused PutRecord with the service\'s exception', async () => {
    front.setFaults({ decide: () => 'ProvisionedThroughputExceededException' });
    await expect(client.send(new PutRecordCommand({ StreamName: 'front', PartitionKey: 'k', Data: Buffer.from('x') })))
      .rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
  });

  test('enforces the bytes-per-second limit of a shard', async () => {
    const big = Array.from({ length: 4 }, (_, i) => ({ PartitionKey: 'k', ExplicitHashKey: String(i), Data: Buffer.alloc(300 * 1024) }));
    // One request is judged at one instant: 3 x 300 KiB fit in 1 MiB, the fourth does not.
    const out = await client.send(new PutRecordsCommand({ StreamName: 'front', Records: big }));
    expect(out.Records!.map((r) => r.ErrorCode ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ProvisionedThroughputExceededException']);
  });

  test('injects 5xx responses and connection resets without forwarding', async () => {
    front.setFaults({ serverErrorRate: 1, random: () => 0.9 });
    await expect(client.send(new PutRecordsCommand({ StreamName: 'front', Records: [{ PartitionKey: 'a', Data: Buffer.from('a') }] })))
      .rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    front.setFaults({ resetRate: 1 });
    await expect(client.send(new PutRecordsCommand({ StreamName: 'front', Records: [{ PartitionKey: 'a', Data: Buffer.from('a') }] }))).rejects.toThrow();
    expect(front.stats.serverErrors).toBe(1);
    expect(front.stats.resets).toBe(1);
    expect(front.stats.shards.size).toBe(0);
  });

  test('a hung call is written but never answered; a drop after the write is written and then cut', async () => {
    await kinesalite.createStream('front-after-write', 1);
    const records = (k: string) => ({ StreamName: 'front-after-write', Records: [{ PartitionKey: k, Data: Buffer.from(k) }] });
    front.setFaults({ requestFaults: new Map([[1, 'hung'], [2, 'dropAfterWrite']]) });
    const started = Date.now();
    await expect(client.send(new PutRecordsCommand(records('hung')), { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(client.send(new PutRecordsCommand(records('dropped')))).rejects.toThrow();
    expect(front.stats).toMatchObject({ hung: 1, droppedAfterWrite: 1, resets: 0, serverErrors: 0 });
    const ok = await client.send(new PutRecordsCommand(records('answered')));
    expect(ok.FailedRecordCount).toBe(0);
    const read = await readStream(kinesalite.client(), 'front-after-write');
    expect(read.records.map((r) => r.partitionKey)).toEqual(['hung', 'dropped', 'answered']);
  });

  test('hung and dropped calls at rates', async () => {
    front.setFaults({ hungRate: 1, random: () => 0.5 });
    await expect(client.send(new PutRecordsCommand({ StreamName: 'front', Records: [{ PartitionKey: 'a', Data: Buffer.from('a') }] }), { abortSignal: AbortSignal.timeout(100) })).rejects.toThrow();
    front.setFaults({ dropAfterWriteRate: 1, random: () => 0.5 });
    await expect(client.send(new PutRecordsCommand({ StreamName: 'front', Records: [{ PartitionKey: 'a', Data: Buffer.from('a') }] }))).rejects.toThrow();
    expect(front.stats).toMatchObject({ hung: 1, droppedAfterWrite: 1 });
    // Both were written before the fault: the front counted their entries as accepted.
    expect([...front.stats.shards.values()].reduce((n, x) => n + x.records, 0)).toBe(2);
  });
});
