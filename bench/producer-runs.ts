/**
 * The producer benchmark's runs: the batching producer under a scenario (faults, a hot key, a reshard), and the naive
 * PutRecord loop it is compared with. Each run writes to a stream of its own, reads it back and audits it.
 */
import { KinesisClient, ListShardsCommand, PutRecordCommand, PutRecordsCommand, PutRecordsCommandOutput, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { audit, Audit, NumberedWorkload, recordId } from './producer-workload';
import { KinesisProducer, ProducerMetricsSnapshot, PutResult } from '../lambda/producer';
import { KinesisLimits } from '../src/validation/limits';
import { readStream } from '../test/lambda/producer/stream-reader';
import { FaultFront, FaultPlan } from '../test/support/fault-front';
import { localClientConfig, KinesaliteServer } from '../test/support/kinesalite';

export const USER_RECORD_BYTES = 100;
export const KEYS_PER_RUN = 2000;

export interface BenchContext {
  readonly kinesalite: KinesaliteServer;
  readonly front: FaultFront;
  /** A client to the front, `maxAttempts: 1`. */
  readonly client: KinesisClient;
  readonly shards: number;
}

export interface RunSpec {
  readonly stream: string;
  readonly aggregate: boolean;
  readonly seconds: number;
  /** Faults the front injects during the run. */
  readonly faults?: FaultPlan;
  /** One more key, offered from a loop of its own that keeps this many of its records outstanding. */
  readonly hotKeyOutstanding?: number;
  /** Split the stream's first shard in two this many seconds into the run. */
  readonly splitAfterSeconds?: number;
}

export interface RunFigures {
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

export interface ProducerRunFigures extends RunFigures {
  /** Results that said `possibleDuplicate` (their call may have been written before it failed). */
  readonly possibleDuplicateResults: number;
  readonly injected?: InjectedFaults;
  readonly producer: Pick<ProducerMetricsSnapshot, 'requests' | 'retries' | 'requestErrors' | 'requestTimeouts' | 'requestDeadlineMs'
  | 'requestLatencyP50Ms' | 'requestLatencyP99Ms' | 'wrongShard' | 'shardMapRefreshes' | 'resentAfterReshard'>;
  /**
   * How full the producer's calls were: entries per PutRecords call, and the shards per answered call (counted from
   * the shards its accepted entries landed on). Calls per record follow from both: a saturated shard is admitted
   * with half its 0.1 s burst, about 50 entries, so two shards make 100-entry calls when they share them.
   */
  readonly callFill: { readonly entriesPerCall: number; readonly shardsPerAnsweredCall: number };
  readonly hotKey?: HotKeyFigures;
  readonly reshard?: { readonly openShardsAtEnd: number; readonly splitAtSecond: number };
}

export interface InjectedFaults {
  readonly failedEntries: number;
  readonly serverErrors: number;
  readonly resets: number;
  readonly hung: number;
  readonly droppedAfterWrite: number;
}

export interface HotKeyFigures {
  readonly outstanding: number;
  /** The hot key's records settled per second while it was offered. */
  readonly recordsPerSecond: number;
  /** Hot-key records per round trip: its rate times the median call latency while it was offered. */
  readonly recordsPerRoundTrip: number;
  readonly latencyP50MsWhileOffered: number;
  /** The other keys' records settled per second per shard while the hot key was offered. */
  readonly otherKeysRecordsPerSecondPerShard: number;
  /** PutRecords calls per second while offered, and the hot key's records per call: at most 1 unaggregated. */
  readonly callsPerSecond: number;
  readonly recordsPerCall: number;
}

/** Offers more than the shards accept for `seconds`, then drains; figures cover start to the last result. */
export async function producerRun(ctx: BenchContext, spec: RunSpec): Promise<ProducerRunFigures> {
  const { kinesalite, front, client, shards } = ctx;
  await kinesalite.createStream(spec.stream, shards);
  front.setFaults(spec.faults ?? {});
  front.resetStats();
  const fill = { answered: 0, shards: 0 };
  const producer = new KinesisProducer({ client: countingShards(client, fill), streamName: spec.stream, aggregate: spec.aggregate });
  const workload = new NumberedWorkload(KEYS_PER_RUN, USER_RECORD_BYTES, 'device-');
  const failed: PutResult[] = [];
  const flagged = new Set<string>();
  const take = (r: PutResult) => {
    if (!r.succeeded) failed.push(r);
    if (r.possibleDuplicate) flagged.add(recordId(r.record.data));
  };
  let othersWhileOffering = 0;
  const takeOther = (r: PutResult) => {
    take(r);
    if (offering()) othersWhileOffering++;
  };
  const chunk = 1000;
  const window: Array<Promise<PutResult[]>> = [];
  const started = Date.now();
  const offering = () => Date.now() - started < spec.seconds * 1000;

  let split: Promise<void> = Promise.resolve();
  if (spec.splitAfterSeconds !== undefined) {
    split = new Promise((resolve) => setTimeout(resolve, spec.splitAfterSeconds! * 1000)).then(() => splitFirstShard(client, spec.stream));
  }
  const hot = spec.hotKeyOutstanding === undefined ? undefined : hotKeyLoop(producer, spec.hotKeyOutstanding, offering, take);

  while (offering()) {
    window.push(producer.putAll(workload.next(chunk)));
    // Keep about two seconds of the shards' capacity buffered: enough to saturate them, bounded in memory.
    if (window.length * chunk > 2 * shards * KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND * (spec.aggregate ? 9 : 1)) {
      (await window.shift()!).forEach(takeOther);
    }
  }
  const offeredSeconds = (Date.now() - started) / 1000;
  // Latencies of the calls made while the shards were saturated, not of the drain's small calls after it.
  const whileOffering = producer.metrics;
  for (const w of window) (await w).forEach(take);
  const hotFigures = await hot;
  await split;
  const seconds = (Date.now() - started) / 1000;
  front.setFaults({});
  const contents = await readStream(kinesalite.client(), spec.stream);
  // A record reported failed is not expected in the stream (nor, with haltKeyOnFailure, are its key's followers).
  const sent = new Map([...workload.sent, ...(hotFigures?.workload.sent ?? [])]);
  for (const f of failed) {
    const [key, n] = recordId(f.record.data).split(':');
    sent.set(key, Math.min(sent.get(key) ?? 0, Number(n)));
  }
  const stats = front.stats;
  const shardStats = [...stats.shards.values()];
  const m = producer.metrics;
  const checked = audit(sent, contents.records, flagged);
  // Rates count each user record once: a second copy is not throughput.
  const unique = contents.records.length - checked.duplicates;
  const base = figures(front, shards, {
    seconds,
    userRecords: unique,
    kinesisRecords: contents.kinesisRecords,
    calls: stats.calls.get('PutRecords') ?? 0,
    failed: failed.length,
    audit: checked,
  });
  const p50 = whileOffering.requestLatencyP50Ms ?? 0;
  const callsPerSecond = whileOffering.requests / offeredSeconds;
  return {
    ...base,
    possibleDuplicateResults: flagged.size,
    injected: spec.faults ? {
      failedEntries: shardStats.reduce((n, s) => n + s.injectedInternal, 0),
      serverErrors: stats.serverErrors,
      resets: stats.resets,
      hung: stats.hung,
      droppedAfterWrite: stats.droppedAfterWrite,
    } : undefined,
    callFill: {
      entriesPerCall: round(m.entries / Math.max(1, m.requests)),
      shardsPerAnsweredCall: round(fill.shards / Math.max(1, fill.answered), 2),
    },
    producer: {
      requests: m.requests,
      retries: m.retries,
      requestErrors: m.requestErrors,
      requestTimeouts: m.requestTimeouts,
      requestDeadlineMs: m.requestDeadlineMs,
      requestLatencyP50Ms: m.requestLatencyP50Ms,
      requestLatencyP99Ms: m.requestLatencyP99Ms,
      wrongShard: m.wrongShard,
      shardMapRefreshes: m.shardMapRefreshes,
      resentAfterReshard: m.resentAfterReshard,
    },
    hotKey: hotFigures ? {
      outstanding: spec.hotKeyOutstanding!,
      recordsPerSecond: round(hotFigures.perSecond),
      recordsPerRoundTrip: round((hotFigures.perSecond * p50) / 1000, 2),
      otherKeysRecordsPerSecondPerShard: round(othersWhileOffering / offeredSeconds / shards),
      latencyP50MsWhileOffered: p50,
      callsPerSecond: round(callsPerSecond),
      recordsPerCall: round(hotFigures.perSecond / callsPerSecond, 2),
    } : undefined,
    reshard: spec.splitAfterSeconds === undefined ? undefined : {
      openShardsAtEnd: contents.shards.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber).length,
      splitAtSecond: spec.splitAfterSeconds,
    },
  };
}

/** The client, counting the shards each answered PutRecords call wrote to. */
function countingShards(client: KinesisClient, fill: { answered: number; shards: number }): KinesisClient {
  const counting = Object.create(client) as KinesisClient;
  counting.send = (async (command: unknown, options?: unknown) => {
    const out = await (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
    if (command instanceof PutRecordsCommand) {
      const shards = new Set(((out as PutRecordsCommandOutput).Records ?? []).flatMap((r) => (r.ShardId ? [r.ShardId] : [])));
      fill.answered++;
      fill.shards += shards.size;
    }
    return out;
  }) as KinesisClient['send'];
  return counting;
}

/** The hot key's own offerer: keeps `outstanding` of its records submitted and unsettled while the run offers. */
async function hotKeyLoop(producer: KinesisProducer, outstanding: number, offering: () => boolean, take: (r: PutResult) => void) {
  const workload = new NumberedWorkload(1, USER_RECORD_BYTES, 'hot-');
  const queue: Array<Promise<PutResult>> = [];
  const started = Date.now();
  let settledWhileOffering = 0;
  let offeredFor = 0;
  while (offering()) {
    while (queue.length < outstanding) queue.push(producer.put(workload.next(1)[0]));
    take(await queue.shift()!);
    settledWhileOffering++;
    offeredFor = Date.now() - started;
  }
  for (const q of queue) take(await q);
  const delivered = [...workload.sent.values()].reduce((a, b) => a + b, 0);
  return { workload, delivered, perSecond: settledWhileOffering / Math.max(0.001, offeredFor / 1000) };
}

async function splitFirstShard(client: KinesisClient, stream: string): Promise<void> {
  const { Shards } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const parent = Shards![0];
  const middle = (BigInt(parent.HashKeyRange!.StartingHashKey!) + BigInt(parent.HashKeyRange!.EndingHashKey!)) / 2n;
  await client.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: parent.ShardId!, NewStartingHashKey: middle.toString() }));
}

/** The loop people write first: one PutRecord per record, each awaited, SDK retries on. */
export async function naiveRun(ctx: BenchContext, seconds: number): Promise<RunFigures> {
  const { kinesalite, front, shards } = ctx;
  const stream = 'bench-naive';
  await kinesalite.createStream(stream, shards);
  front.setFaults({});
  front.resetStats();
  const client = new KinesisClient(localClientConfig(front.endpoint));
  const workload = new NumberedWorkload(KEYS_PER_RUN, USER_RECORD_BYTES, 'device-');
  let failures = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const [r] = workload.next(1);
    try {
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: r.partitionKey, Data: r.data }));
    } catch {
      failures++;
    }
  }
  const elapsed = (Date.now() - started) / 1000;
  client.destroy();
  const contents = await readStream(kinesalite.client(), stream);
  return figures(front, shards, {
    seconds: elapsed,
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

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function figures(front: FaultFront, shardCount: number, m: Measured): RunFigures {
  const { seconds, userRecords, kinesisRecords, calls, failed } = m;
  const shards = [...front.stats.shards.values()];
  const bytes = shards.reduce((n, s) => n + s.bytes, 0);
  const throttled = shards.reduce((n, s) => n + s.throttled, 0);
  const perShard = (x: number) => x / seconds / shardCount;
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
