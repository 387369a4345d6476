/**
 * One local run of a pipeline read from a cloud assembly: starts the emulators, creates the streams and tables, runs
 * producers, event source mappings and delivery streams for the given time, drains them, and returns the summary
 * (and writes the report page and the delivered objects under the output folder).
 */
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import { LocalRunError } from './assembly';
import { DeliveryRecord, LocalDeliveryStreamSim } from './delivery';
import { startDynamoDbFront } from './dynamodb-front';
import { localClientConfig, LocalEmulator, runnerRequire, startDynalite, startKinesalite } from './emulators';
import { LocalEventSourceMapping } from './event-source-mapping';
import { EventGenerator, KEY_FIELD, UseCase } from './events';
import { LambdaHandler, LocalEndpoints, loadHandler } from './handlers';
import { RunTracker, sleep } from './metrics';
import type { LocalFunction, LocalPipeline, LocalStream } from './model';
import { RateDriver, producerSender } from './producers';
import { Progress } from './progress';
import { writeReport } from './report';
import { startShardFront } from './shard-front';
import { ShardReader } from './shard-reader';
import { buildSummary, RunSummary } from './summary';
import { PRODUCER_ENVIRONMENT } from '../src/contracts/producer-environment';
import { TRANSFORM_CONFIG_ENV } from '../src/contracts/transform-config';

export interface RunOptions {
  /** How long producers write. @default 20 */
  readonly seconds?: number;
  /** Events per second of each producer. @default 200 */
  readonly rate?: number;
  /** Where objects, failures, logs and the report go. */
  readonly outDir: string;
  /** Share of malformed events. @default 0.001 */
  readonly badRate?: number;
  /** Receives progress lines; undefined: no progress. */
  readonly progress?: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown };
  /** Longest wait for the parts to drain after producers stop, in seconds. @default 30 */
  readonly drainSeconds?: number;
}

export interface RunResult {
  readonly summary: RunSummary;
  readonly reportFile: string;
}

export async function runLocal(pipeline: LocalPipeline, options: RunOptions): Promise<RunResult> {
  if (pipeline.streams.length === 0 && pipeline.deliveryStreams.length === 0) {
    const skipped = pipeline.skipped.length ? ` (not simulated: ${pipeline.skipped.join('; ')})` : '';
    throw new LocalRunError(`${pipeline.name} has no Kinesis data stream and no Firehose delivery stream to S3 that the local run can simulate${skipped}`);
  }
  const seconds = options.seconds ?? 20;
  const rate = options.rate ?? 200;
  const out = options.outDir;
  for (const sub of ['s3', 'failures']) fs.rmSync(path.join(out, sub), { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'failures'), { recursive: true });
  fs.mkdirSync(path.join(out, 's3'), { recursive: true });

  // Handlers log as they do in Lambda (to CloudWatch there): here to one file, so the terminal shows the progress.
  const logFile = path.join(out, 'handlers.log');
  const log = fs.openSync(logFile, 'w');
  const toLog = (...args: unknown[]) => {
    fs.writeSync(log, format(...args) + '\n');
  };
  const handlerConsole = { log: toLog, info: toLog, warn: toLog, error: toLog, debug: toLog };

  const emulators: LocalEmulator[] = [];
  const stoppers: Array<() => Promise<void>> = [];
  try {
    const sdk = runnerRequire('@aws-sdk/client-kinesis');
    const kinesalite = await startKinesalite();
    emulators.push(kinesalite);
    const front = await startShardFront(kinesalite.endpoint);
    stoppers.push(() => front.stop());
    const kinesis = new sdk.KinesisClient(localClientConfig(kinesalite.endpoint));
    stoppers.push(async () => kinesis.destroy());

    const shardIds = new Map<string, string[]>();
    for (const s of pipeline.streams) {
      await kinesis.send(new sdk.CreateStreamCommand({ StreamName: s.name, ShardCount: s.shardCount }));
      for (let i = 0; i < 200; i++) {
        const d = await kinesis.send(new sdk.DescribeStreamSummaryCommand({ StreamName: s.name }));
        if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
        await sleep(25);
      }
      const shards = (await kinesis.send(new sdk.ListShardsCommand({ StreamName: s.name }))).Shards ?? [];
      front.setShards(s.name, shards.map((x: any) => ({ id: x.ShardId, start: x.HashKeyRange.StartingHashKey, end: x.HashKeyRange.EndingHashKey })));
      shardIds.set(s.id, shards.map((x: any) => x.ShardId));
    }

    let dynamodbEndpoint: string | undefined;
    if (pipeline.tables.length > 0) {
      const dynalite = await startDynalite();
      emulators.push(dynalite);
      const transactions = await startDynamoDbFront(dynalite.endpoint);
      stoppers.push(() => transactions.stop());
      dynamodbEndpoint = transactions.endpoint;
      const ddb = runnerRequire('@aws-sdk/client-dynamodb');
      const client = new ddb.DynamoDBClient(localClientConfig(dynalite.endpoint));
      for (const t of pipeline.tables) {
        const attrs = new Map(t.keys.map((k) => [k.name, k.type]));
        await client.send(new ddb.CreateTableCommand({
          TableName: t.name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
          KeySchema: t.keys.map((k) => ({ AttributeName: k.name, KeyType: k.keyType })),
        }));
      }
      client.destroy();
    }

    const failureFiles = new Map<string, number>();
    const failureFile = (name: string, line: unknown): string => {
      const rel = path.join('failures', `${name}.jsonl`);
      fs.appendFileSync(path.join(out, rel), (typeof line === 'string' ? line : JSON.stringify(line)) + '\n');
      failureFiles.set(rel, (failureFiles.get(rel) ?? 0) + 1);
      return rel;
    };
    const queueName = (url: string) => pipeline.queues.get(url) ?? url.split('/').pop() ?? 'queue';
    const endpoints: LocalEndpoints = {
      kinesis: front.endpoint, dynamodb: dynamodbEndpoint, sqs: (url, body) => failureFile(queueName(url), body), console: handlerConsole,
    };

    const tracker = new RunTracker();
    const useCase = pipeline.useCase as UseCase;
    const requiredFor = (stream?: LocalStream) => pipeline.deliveryStreams
      .filter((d) => d.source === stream && d.transform)
      .flatMap((d) => (JSON.parse(d.transform!.environment[TRANSFORM_CONFIG_ENV] ?? '{}').requiredFields ?? []) as string[]);
    let seed = 42;

    const drivers: RateDriver[] = [];
    for (const p of pipeline.producers) {
      const stats = tracker.part('producer', p.id, p.fn ? `${p.id} (the app's producer function)` : `${p.id} (bundled producer, standing in for the writer)`);
      if (!p.fn) stats.notes.push(p.origin);
      const fn = p.fn ?? standInProducer(p.stream, useCase);
      const failureQueue = fn.environment[PRODUCER_ENVIRONMENT.FAILURE_QUEUE_URL];
      const handler = loadHandler(fn, endpoints);
      const generator = new EventGenerator({
        useCase,
        keyPath: fn.environment[PRODUCER_ENVIRONMENT.PARTITION_KEY_PATH],
        requiredFields: requiredFor(p.stream),
        badRate: options.badRate,
        seed: seed++,
      });
      const target = failureQueue ? path.join('failures', `${queueName(failureQueue)}.jsonl`) : 'returned to the caller';
      drivers.push(new RateDriver(generator, rate, tracker, producerSender(fn, handler, tracker, stats, target, p.stream.name)));
    }

    const mappings: LocalEventSourceMapping[] = [];
    for (const c of pipeline.consumers) {
      const stats = tracker.part('consumer', c.id, `${c.id} (event source mapping on ${c.stream.id}${c.enhancedFanOut ? `, enhanced fan-out ${c.enhancedFanOut}` : ''})`);
      if (c.enhancedFanOut) stats.notes.push('enhanced fan-out is read by polling locally: the batching and retry semantics are the same');
      const handler = loadHandler(c.fn, endpoints);
      const reader = new ShardReader(kinesis, sdk, c.stream.name, 200);
      const mapping = new LocalEventSourceMapping({
        consumer: c,
        handler,
        reader,
        tracker,
        stats,
        onFailure: (record) => failureFile(c.failureDestination ?? `${c.id}-discarded`, record),
      });
      const ids = shardIds.get(c.stream.id)!;
      mapping.start(ids);
      reader.start(ids);
      mappings.push(mapping);
    }

    const sims: Array<{ sim: LocalDeliveryStreamSim; reader?: ShardReader }> = [];
    for (const d of pipeline.deliveryStreams) {
      const stats = tracker.part('delivery', d.id, `${d.name} (Firehose${d.source ? ` from ${d.source.id}` : ', direct PUT'} to ${d.destination === 's3' ? 'S3' : 'Redshift, staged in S3'})`);
      stats.notes.push(...d.notes);
      if (d.bufferSeconds > seconds) stats.notes.push(`buffer interval ${d.bufferSeconds}s is longer than the run: what is buffered is flushed at the end`);
      const handler: LambdaHandler | undefined = d.transform ? loadHandler(d.transform, endpoints) : undefined;
      const sim = new LocalDeliveryStreamSim(d, handler, tracker, stats, path.join(out, 's3'));
      sim.start();
      let reader: ShardReader | undefined;
      if (d.source) {
        // Firehose reads each shard about once a second.
        reader = new ShardReader(kinesis, sdk, d.source.name, 1000);
        const ids = shardIds.get(d.source.id)!;
        for (const shardId of ids) {
          reader.subscribe(shardId, (records) => sim.put(records.map((r): DeliveryRecord => ({
            data: r.data, arrival: r.arrival, eventId: r.eventId, kinesis: { partitionKey: r.partitionKey, sequenceNumber: r.sequenceNumber, shardId },
          }))));
        }
        reader.start(ids);
      } else {
        const directStats = tracker.part('producer', `${d.id}Writer`, `${d.id}Writer (PutRecordBatch to ${d.name})`);
        directStats.notes.push('no producer in the app: events are put into the delivery stream directly, as its writers would');
        const generator = new EventGenerator({ useCase, requiredFields: d.transform ? JSON.parse(d.transform.environment[TRANSFORM_CONFIG_ENV] ?? '{}').requiredFields ?? [] : [], badRate: options.badRate, seed: seed++ });
        drivers.push(new RateDriver(generator, rate, tracker, async (events) => {
          directStats.invocations++;
          directStats.received += events.length;
          const now = Date.now();
          sim.put(events.map((e) => ({ data: Buffer.from(JSON.stringify(e.event)), arrival: now, eventId: e.eventId })));
          directStats.countOut(events.length, now);
        }));
      }
      sims.push({ sim, reader });
    }

    const progress = options.progress ? new Progress(options.progress, tracker, front, pipeline) : undefined;
    drivers.forEach((d) => d.start());
    progress?.start(seconds);
    await sleep(seconds * 1000);
    progress?.phase('draining');
    await Promise.all(drivers.map((d) => d.stop()));
    let drainTimer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      (async () => {
        await Promise.all(mappings.map((m) => m.stop()));
        await Promise.all(sims.map(async (s) => {
          await s.reader?.drain();
          await s.sim.stop();
        }));
        return true;
      })(),
      new Promise<boolean>((resolve) => {
        drainTimer = setTimeout(() => resolve(false), (options.drainSeconds ?? 30) * 1000);
      }),
    ]);
    clearTimeout(drainTimer);
    progress?.stop();

    const summary = buildSummary({ pipeline, tracker, front, seconds, rate, outDir: out, drained, mappings, failureFiles, logFile });
    const reportFile = writeReport(summary, path.join(out, 'local-report.html'));
    return { summary, reportFile };
  } finally {
    fs.closeSync(log);
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    for (const e of emulators.reverse()) await e.stop().catch(() => undefined);
  }
}

/** The bundled producer handler the library ships (assets/producer/put-records), configured for a stream. */
function standInProducer(stream: LocalStream, useCase: UseCase): LocalFunction {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'assets', 'producer', 'put-records');
    if (fs.existsSync(path.join(candidate, 'index.js'))) {
      return {
        id: `${stream.id}Writer`,
        handler: 'index.handler',
        codeDir: candidate,
        timeoutSeconds: 30,
        environment: {
          [PRODUCER_ENVIRONMENT.STREAM_NAME]: stream.name,
          [PRODUCER_ENVIRONMENT.PARTITION_KEY_PATH]: KEY_FIELD[useCase],
          [PRODUCER_ENVIRONMENT.FAILURE_QUEUE_URL]: `https://sqs.us-east-1.localhost/000000000000/${stream.id}Writer-failures`,
        },
      };
    }
    dir = path.dirname(dir);
  }
  throw new LocalRunError('the bundled producer handler (assets/producer/put-records/index.js) is missing: run `npm run bundle` first');
}
