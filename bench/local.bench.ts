/**
 * `npm run bench:local`: the local run end to end on a 2-shard stream — the bundled producer handler, the shard
 * limits front, kinesalite, the local event source mapping and the consumer runtime (runtime/consumer, with a
 * handler that only parses) — against a baseline in the same process: a bare PutRecords → GetRecords loop on a
 * kinesalite of its own at the same rate. Prints JSON: records per second delivered and latency percentiles, for both.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as sdk from '@aws-sdk/client-kinesis';
import { streamArn } from '../local/assembly';
import { localClientConfig, startKinesalite } from '../local/emulators';
import { latencySummary, sleep } from '../local/metrics';
import type { LocalPipeline, LocalStream } from '../local/model';
import { runLocal } from '../local/run';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// 60% of the two shards' write limit: room for the producer's bursts without throttling.
const RATE = Number(process.env.BENCH_RATE ?? 1200);
const root = path.join(__dirname, '..');

async function localRun() {
  const runtime = path.join(root, 'runtime', 'consumer', 'index.js');
  if (!fs.existsSync(runtime)) throw new Error('runtime/consumer/index.js is missing: run npm run bundle first');
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-consumer-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), `const { createKinesisHandler, jsonParser } = require(${JSON.stringify(runtime)});
exports.handler = createKinesisHandler(async () => undefined, { parser: jsonParser() });
`);
  const stream: LocalStream = { id: 'Bench', name: 'bench', arn: streamArn('bench'), shardCount: 2, onDemand: false };
  const pipeline: LocalPipeline = {
    name: 'bench',
    assemblyDir: codeDir,
    streams: [stream],
    tables: [],
    deliveryStreams: [],
    queues: new Map(),
    skipped: [],
    useCase: 'clickstream',
    producers: [{ id: 'BenchWriter', stream, origin: 'bench' }],
    consumers: [{
      id: 'BenchConsumer',
      stream,
      fn: { id: 'BenchConsumer', handler: 'index.handler', codeDir, environment: {}, timeoutSeconds: 60 },
      batchSize: 100,
      batchingWindowSeconds: 0,
      parallelizationFactor: 1,
      bisectOnError: true,
      maxRetryAttempts: 2,
      maxRecordAgeSeconds: -1,
      reportBatchItemFailures: true,
      startingPosition: 'TRIM_HORIZON',
    }],
  };
  const { summary } = await runLocal(pipeline, { seconds: SECONDS, rate: RATE, outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-')), badRate: 0 });
  const consumer = summary.parts.find((p) => p.kind === 'consumer')!;
  return {
    recordsPerSecond: Math.round(consumer.recordsOut / SECONDS),
    delivered: consumer.recordsOut,
    produced: summary.produced,
    throttled: summary.streams[0].shards.reduce((n, s) => n + s.throttled, 0),
    latencyMs: consumer.latencyMs,
    allAccounted: summary.allAccounted,
  };
}

/** PutRecords every 100 ms at the same rate, one GetRecords poller per shard at 200 ms, nothing in between. */
async function baseline() {
  const kinesalite = await startKinesalite();
  const client = new sdk.KinesisClient(localClientConfig(kinesalite.endpoint) as any);
  await client.send(new sdk.CreateStreamCommand({ StreamName: 'baseline', ShardCount: 2 }));
  await sleep(100);
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  let running = true;
  const poll = async (shardId: string) => {
    let it = (await client.send(new sdk.GetShardIteratorCommand({ StreamName: 'baseline', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    let idle = false;
    while (it && (running || !idle)) {
      const out = await client.send(new sdk.GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
      it = out.NextShardIterator;
      const now = Date.now();
      for (const r of out.Records ?? []) {
        const id = Buffer.from(r.Data!).toString('utf8').slice(0, 24);
        latencies.push(now - sent.get(id)!);
        received++;
      }
      idle = (out.Records ?? []).length === 0;
      await sleep(200);
    }
  };
  const pollers = ['shardId-000000000000', 'shardId-000000000001'].map(poll);
  const started = Date.now();
  let n = 0;
  while (Date.now() - started < SECONDS * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * RATE) - n;
    if (due > 0) {
      const records = Array.from({ length: Math.min(due, 500) }, () => {
        const id = String(n++).padStart(24, '0');
        sent.set(id, Date.now());
        return { PartitionKey: `user-${n % 200}`, Data: Buffer.from(id + JSON.stringify({ page: '/products/17', at: Date.now() })) };
      });
      await client.send(new sdk.PutRecordsCommand({ StreamName: 'baseline', Records: records }));
    }
    await sleep(100);
  }
  running = false;
  await Promise.all(pollers);
  client.destroy();
  await kinesalite.stop();
  return { recordsPerSecond: Math.round(received / SECONDS), delivered: received, produced: n, latencyMs: latencySummary(latencies) };
}

async function main() {
  const base = await baseline();
  const local = await localRun();
  console.log(JSON.stringify({
    benchmark: 'local run, end to end on a 2-shard stream',
    seconds: SECONDS,
    ratePerSecond: RATE,
    node: process.version,
    cpus: os.cpus().length,
    localRun: local,
    baseline: { what: 'bare PutRecords -> GetRecords loop on kinesalite, same process', ...base },
    p99OverBaseline: local.latencyMs.p99 !== undefined && base.latencyMs.p99 ? Number((local.latencyMs.p99 / base.latencyMs.p99).toFixed(2)) : null,
  }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
