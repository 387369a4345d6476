/**
 * Producer benchmark: the batching producer against a naive PutRecord loop, on kinesalite behind the fault front,
 * which enforces the real per-shard write limits (1000 records/s and 1 MiB/s, in one-second windows) so the figures
 * are honest. Prints one JSON document on stdout.
 *
 * Runs: unaggregated 100-byte records, then KPL-aggregated 100-byte records, each sustained for RUN_SECONDS with
 * more offered than the shards accept; then the naive loop (one awaited PutRecord per record). Every stream is read
 * back and audited: lost, duplicated and per-key reordered records are counted.
 *
 * Environment: BENCH_RUN_SECONDS (default 22), BENCH_SHARDS (default 2).
 */
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { audit, Audit, NumberedWorkload } from './producer-workload';
import { KinesisProducer, PutResult } from '../lambda/producer';
import { KinesisLimits } from '../src/validation/limits';
import { readStream } from '../test/lambda/producer/stream-reader';
import { startFaultFront, FaultFront } from '../test/support/fault-front';
import { localClientConfig, startKinesalite, KinesaliteServer } from '../test/support/kinesalite';

const RUN_SECONDS = Number(process.env.BENCH_RUN_SECONDS ?? 22);
const NAIVE_SECONDS = Math.min(10, RUN_SECONDS);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 2);
const USER_RECORD_BYTES = 100;
const KEYS_PER_RUN = 2000;

interface RunFigures {
  readonly seconds: number;
  readonly userRecordsDelivered: number;
  readonly userRecordsPerSecondPerShard: number;
  readonly kinesisRecordsPerSecondPerShard: number;
  readonly bytesPerSecondPerShard: number;
  readonly percentOfShardRecordLimit: number;
  readonly percentOfShardByteLimit: number;
  readonly multipleOfShardRecordLimit: number;
  readonly callsPer1000UserRecords: number;
  readonly throttledEntries: number;
  /** Throttled entries per entry the stream accepted: how close to the limit the producer runs. */
  readonly throttledPerAcceptedEntry: number;
  readonly failedUserRecords: number;
  readonly audit: Audit;
}

async function main(): Promise<void> {
  const kinesalite = await startKinesalite();
  const front = await startFaultFront({ target: kinesalite.endpoint });
  const client = new KinesisClient(localClientConfig(front.endpoint, { maxAttempts: 1 }));
  try {
    const unaggregated = await producerRun(kinesalite, front, client, 'bench-plain', false);
    const aggregated = await producerRun(kinesalite, front, client, 'bench-aggregated', true);
    const naive = await naiveRun(kinesalite, front);
    const report = {
      benchmark: 'producer',
      setup: {
        shards: SHARDS,
        userRecordBytes: USER_RECORD_BYTES,
        partitionKeys: KEYS_PER_RUN,
        runSeconds: RUN_SECONDS,
        shardLimits: { recordsPerSecond: KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND, bytesPerSecond: KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND },
        enforcedBy: 'fault front over kinesalite, one-second windows per shard',
      },
      runs: { unaggregated, aggregated, naivePutRecordLoop: naive },
      targets: {
        unaggregatedAtLeast95PercentOfRecordLimit: unaggregated.percentOfShardRecordLimit >= 95,
        aggregatedAtLeast8TimesRecordLimit: aggregated.multipleOfShardRecordLimit >= 8,
        noRecordLost: unaggregated.audit.lost + aggregated.audit.lost === 0,
        noPerKeyReordering: unaggregated.audit.outOfOrder + aggregated.audit.outOfOrder === 0,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    client.destroy();
    await front.stop();
    await kinesalite.stop();
  }
}

/** Offers more than the shards accept for RUN_SECONDS, then drains; figures cover start to the last result. */
async function producerRun(kinesalite: KinesaliteServer, front: FaultFront, client: KinesisClient, stream: string, aggregate: boolean): Promise<RunFigures> {
  await kinesalite.createStream(stream, SHARDS);
  front.resetStats();
  const producer = new KinesisProducer({ client, streamName: stream, aggregate });
  const workload = new NumberedWorkload(KEYS_PER_RUN, USER_RECORD_BYTES, 'device-');
  const chunk = 1000;
  const window: Array<Promise<PutResult[]>> = [];
  const failed: PutResult[] = [];
  const started = Date.now();
  while (Date.now() - started < RUN_SECONDS * 1000) {
    window.push(producer.putAll(workload.next(chunk)));
    // Keep about two seconds of the shards' capacity buffered: enough to saturate them, bounded in memory.
    if (window.length * chunk > 2 * SHARDS * KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND * (aggregate ? 9 : 1)) {
      failed.push(...(await window.shift()!).filter((r) => !r.succeeded));
    }
  }
  for (const w of window) failed.push(...(await w).filter((r) => !r.succeeded));
  const seconds = (Date.now() - started) / 1000;
  const contents = await readStream(kinesalite.client(), stream);
  // A record reported failed is not expected in the stream (nor, with haltKeyOnFailure, are its key's followers).
  failed.forEach((f) => workload.expectUpTo(f.record));
  return figures(front, {
    seconds,
    userRecords: contents.records.length,
    kinesisRecords: contents.kinesisRecords,
    calls: front.stats.calls.get('PutRecords') ?? 0,
    failed: failed.length,
    audit: audit(workload.sent, contents.records),
  });
}

/** The loop people write first: one PutRecord per record, each awaited, SDK retries on. */
async function naiveRun(kinesalite: KinesaliteServer, front: FaultFront): Promise<RunFigures> {
  const stream = 'bench-naive';
  await kinesalite.createStream(stream, SHARDS);
  front.resetStats();
  const client = new KinesisClient(localClientConfig(front.endpoint));
  const workload = new NumberedWorkload(KEYS_PER_RUN, USER_RECORD_BYTES, 'device-');
  let failures = 0;
  const started = Date.now();
  while (Date.now() - started < NAIVE_SECONDS * 1000) {
    const [r] = workload.next(1);
    try {
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: r.partitionKey, Data: r.data }));
    } catch {
      failures++;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  client.destroy();
  const contents = await readStream(kinesalite.client(), stream);
  return figures(front, {
    seconds,
    userRecords: contents.records.length,
    kinesisRecords: contents.kinesisRecords,
    calls: front.stats.calls.get('PutRecord') ?? 0,
    failed: failures,
    audit: audit(workload.sent, contents.records),
  });
}

interface Measured {
  readonly seconds: number;
  readonly userRecords: number;
  readonly kinesisRecords: number;
  readonly calls: number;
  readonly failed: number;
  readonly audit: Audit;
}

function figures(front: FaultFront, m: Measured): RunFigures {
  const { seconds, userRecords, kinesisRecords, calls, failed } = m;
  const shards = [...front.stats.shards.values()];
  const bytes = shards.reduce((n, s) => n + s.bytes, 0);
  const throttled = shards.reduce((n, s) => n + s.throttled, 0);
  const perShard = (x: number) => x / seconds / SHARDS;
  const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
  return {
    seconds: round(seconds, 2),
    userRecordsDelivered: userRecords,
    userRecordsPerSecondPerShard: round(perShard(userRecords)),
    kinesisRecordsPerSecondPerShard: round(perShard(kinesisRecords)),
    bytesPerSecondPerShard: Math.round(perShard(bytes)),
    percentOfShardRecordLimit: round((100 * perShard(userRecords)) / KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND),
    percentOfShardByteLimit: round((100 * perShard(bytes)) / KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND),
    multipleOfShardRecordLimit: round(perShard(userRecords) / KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND, 2),
    callsPer1000UserRecords: round((1000 * calls) / Math.max(1, userRecords), 2),
    throttledEntries: throttled,
    throttledPerAcceptedEntry: round(throttled / Math.max(1, kinesisRecords), 3),
    failedUserRecords: failed,
    audit: m.audit,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
