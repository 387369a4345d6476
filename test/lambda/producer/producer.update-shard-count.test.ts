/**
 * UpdateShardCount under an aggregating producer, on kinesis-local (kinesis-mock), which implements it (kinesalite
 * does not). The emulator runs as a child process on free loopback ports, behind the fault front.
 */
import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand, UpdateShardCountCommand } from '@aws-sdk/client-kinesis';
import { numberedRecords, readStream, verifyDelivery } from './stream-reader';
import { KinesisProducer } from '../../../lambda/producer';
import { FaultFront, startFaultFront } from '../../support/fault-front';
import { localClientConfig } from '../../support/kinesalite';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('producer under UpdateShardCount (kinesis-local)', () => {
  let child: ChildProcess;
  let direct: KinesisClient;
  let front: FaultFront;
  let client: KinesisClient;

  beforeAll(async () => {
    const plainPort = await freePort();
    const tlsPort = await freePort();
    // kinesis-mock reads its server.json from the working directory.
    child = spawn(process.execPath, ['main.js'], {
      cwd: path.dirname(require.resolve('kinesis-local/package.json')),
      env: {
        ...process.env,
        KINESIS_MOCK_PLAIN_PORT: String(plainPort),
        KINESIS_MOCK_TLS_PORT: String(tlsPort),
        CREATE_STREAM_DURATION: '50ms',
        UPDATE_SHARD_COUNT_DURATION: '50ms',
        LOG_LEVEL: 'ERROR',
        ROOT_LOG_LEVEL: 'ERROR',
      },
      stdio: 'ignore',
    });
    const endpoint = `http://127.0.0.1:${plainPort}`;
    direct = new KinesisClient(localClientConfig(endpoint));
    await until('kinesis-local to listen', async () => (await direct.send(new ListStreamsCommand({}))) !== undefined, 30_000);
    front = await startFaultFront({ target: endpoint });
    client = new KinesisClient(localClientConfig(front.endpoint, { maxAttempts: 1 }));
  });

  afterAll(async () => {
    client?.destroy();
    direct?.destroy();
    await front?.stop();
    child?.kill();
  });

  test('2 -> 4 shards mid-stream: the map follows and a range-checking consumer reads every record once, in order', async () => {
    const stream = 'update-shard-count';
    const active = async () => (await direct.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    await direct.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    await until('the stream to be ACTIVE', active, 10_000);

    const producer = new KinesisProducer({ client, streamName: stream, aggregate: true, bufferTimeMs: 5, aggregationMaxBytes: 4096 });
    const { records, sent } = numberedRecords(3000, 120, 40);
    expect((await producer.putAll(records.slice(0, 1500))).every((r) => r.succeeded)).toBe(true);

    await direct.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
    await until('the reshard to finish', active, 10_000);

    const rest = await producer.putAll(records.slice(1500));
    expect(rest.filter((r) => !r.succeeded).map((r) => r.error?.message)).toEqual([]);
    expect(producer.metrics.wrongShard).toBeGreaterThan(0);

    const contents = await readStream(direct, stream);
    expect(contents.shards.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber)).toHaveLength(4);
    expect(verifyDelivery(sent, contents.records)).toEqual([]);
    expect(contents.droppedOutOfRange).toBe(producer.metrics.resentAfterReshard);
  });
});
