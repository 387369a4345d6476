/**
 * Producer benchmark: the batching producer against a naive PutRecord loop, on kinesalite behind the fault front,
 * which enforces the real per-shard write limits (1000 records/s and 1 MiB/s, in one-second windows) so the figures
 * are honest. Prints one JSON document on stdout.
 *
 * Runs, all in one process: unaggregated 100-byte records, then KPL-aggregated ones, each sustained for RUN_SECONDS
 * with more offered than the shards accept; the naive loop (one awaited PutRecord per record); then the scenarios,
 * unaggregated, SCENARIO_SECONDS each: 5% failed entries with 2% failed requests, 2% hung requests (written, never
 * answered), 2% connections dropped after the write, a hot key (unaggregated and aggregated), and a shard split in
 * the middle of the run. Every stream is read back and audited: lost, duplicated and per-key reordered records
 * (among first copies, and among all copies) are counted. Last, the hung scenario and its fault-free baseline on a
 * scripted stream (`producer-scripted.ts`), whose figures a loaded machine does not swamp.
 *
 * Environment: BENCH_RUN_SECONDS (default 22), BENCH_SCENARIO_SECONDS (default 15), BENCH_SHARDS (default 2),
 * BENCH_ONLY (comma-separated run names, to run a subset while developing; `--only <names>` on the command line,
 * as in `npm run bench:producer -- --only hungRequests`, does the same). A subset's targets that need a run left out
 * are reported as absent, not as met.
 */
import { loadavg } from 'os';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { BenchContext, KEYS_PER_RUN, naiveRun, ProducerRunFigures, producerRun, RunFigures, USER_RECORD_BYTES } from './producer-runs';
import { ScriptedFigures, scriptedHungRun } from './producer-scripted';
import { KinesisLimits } from '../src/validation/limits';
import { startFaultFront } from '../test/support/fault-front';
import { localClientConfig, startKinesalite } from '../test/support/kinesalite';
import { seededRandom } from '../test/support/random';

const RUN_SECONDS = Number(process.env.BENCH_RUN_SECONDS ?? 22);
const SCENARIO_SECONDS = Number(process.env.BENCH_SCENARIO_SECONDS ?? 15);
const NAIVE_SECONDS = Math.min(10, RUN_SECONDS);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 2);
const ONLY = onlyArgument(process.argv.slice(2)) ?? process.env.BENCH_ONLY?.split(',');
/** A hot key's own offerer keeps this many of its records outstanding: far more than one round trip can carry. */
const HOT_KEY_OUTSTANDING = 500;

async function main(): Promise<void> {
  // The figures depend on the machine's load (kinesalite, the front and the producer share one process): keep it with them.
  const loadAtStart = loadavg();
  const kinesalite = await startKinesalite();
  const front = await startFaultFront({ target: kinesalite.endpoint });
  const client = new KinesisClient(localClientConfig(front.endpoint, { maxAttempts: 1 }));
  const ctx: BenchContext = { kinesalite, front, client, shards: SHARDS };
  const runs: Record<string, ProducerRunFigures | RunFigures> = {};
  const run = async <T extends RunFigures>(name: string, f: () => Promise<T>): Promise<T | undefined> => {
    if (ONLY && !ONLY.includes(name)) return undefined;
    const figures = await f();
    runs[name] = figures;
    process.stderr.write(`${name}: ${figures.userRecordsPerSecondPerShard} records/s per shard, ${figures.callsPer1000UserRecords} calls per 1000\n`);
    return figures;
  };
  try {
    const plain = await run('unaggregated', () => producerRun(ctx, { stream: 'bench-plain', aggregate: false, seconds: RUN_SECONDS }));
    const aggregated = await run('aggregated', () => producerRun(ctx, { stream: 'bench-aggregated', aggregate: true, seconds: RUN_SECONDS }));
    await run('naivePutRecordLoop', () => naiveRun(ctx, NAIVE_SECONDS));
    const faults = await run('entryAndRequestFaults', () => producerRun(ctx, {
      stream: 'bench-faults',
      aggregate: false,
      seconds: SCENARIO_SECONDS,
      // 5% of entries fail (InternalFailure), 2% of calls fail before the write (5xx and resets, half each).
      faults: { internalFailureRate: 0.05, serverErrorRate: 0.01, resetRate: 0.01, random: seededRandom(15) },
    }));
    const hung = await run('hungRequests', () => producerRun(ctx, {
      stream: 'bench-hung', aggregate: false, seconds: SCENARIO_SECONDS, faults: { hungRate: 0.02, random: seededRandom(16) },
    }));
    const dropped = await run('droppedAfterWrite', () => producerRun(ctx, {
      stream: 'bench-dropped', aggregate: false, seconds: SCENARIO_SECONDS, faults: { dropAfterWriteRate: 0.02, random: seededRandom(17) },
    }));
    await run('hotKeyUnaggregated', () => producerRun(ctx, {
      stream: 'bench-hot-plain', aggregate: false, seconds: SCENARIO_SECONDS, hotKeyOutstanding: HOT_KEY_OUTSTANDING,
    }));
    await run('hotKeyAggregated', () => producerRun(ctx, {
      stream: 'bench-hot-aggregated', aggregate: true, seconds: SCENARIO_SECONDS, hotKeyOutstanding: HOT_KEY_OUTSTANDING,
    }));
    await run('reshard', () => producerRun(ctx, {
      stream: 'bench-reshard', aggregate: false, seconds: SCENARIO_SECONDS, splitAfterSeconds: SCENARIO_SECONDS / 2,
    }));

    // The hung scenario again on a scripted stream (same limits, workload and caller, no emulator CPU), against its
    // fault-free baseline in this process: figures that a loaded machine does not swamp.
    const scripted: Record<string, ScriptedFigures> = {};
    const scriptedRun = async (name: string, hungRate: number, hangCalls: number[]) => {
      if (ONLY && !ONLY.includes(name)) return undefined;
      const figures = await scriptedHungRun({
        seconds: SCENARIO_SECONDS, shards: SHARDS, keys: KEYS_PER_RUN, recordBytes: USER_RECORD_BYTES, hungRate, hangCalls, seed: 16,
      });
      scripted[name] = figures;
      process.stderr.write(`${name}: ${figures.userRecordsPerSecondPerShard} records/s per shard\n`);
      return figures;
    };
    const scriptedClean = await scriptedRun('scriptedFaultFree', 0, []);
    const scriptedHung = await scriptedRun('scriptedHungRequests', 0.02, [2]);

    const firstOrderKept = (r?: RunFigures) => r === undefined || (r.audit.lost === 0 && r.audit.outOfOrderFirstOccurrences === 0);
    const report = {
      benchmark: 'producer',
      setup: {
        shards: SHARDS,
        userRecordBytes: USER_RECORD_BYTES,
        partitionKeys: KEYS_PER_RUN,
        runSeconds: RUN_SECONDS,
        scenarioSeconds: SCENARIO_SECONDS,
        hotKeyOutstanding: HOT_KEY_OUTSTANDING,
        shardLimits: { recordsPerSecond: KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND, bytesPerSecond: KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND },
        enforcedBy: 'fault front over kinesalite, one-second windows per shard',
        only: ONLY,
        loadAverage1m: { atStart: round2(loadAtStart[0]), atEnd: round2(loadavg()[0]) },
      },
      runs,
      scripted,
      // The ratios the targets below compare, so a run shows its margin and not only a verdict.
      ratios: {
        faultsCallsToFaultFree: faults && plain && round2(faults.callsPer1000UserRecords / plain.callsPer1000UserRecords),
        faultsRateToFaultFree: faults && plain && round2(faults.userRecordsPerSecondPerShard / plain.userRecordsPerSecondPerShard),
        hungRateToFaultFree: hung && plain && round2(hung.userRecordsPerSecondPerShard / plain.userRecordsPerSecondPerShard),
      },
      targets: {
        unaggregatedAtLeast95PercentOfRecordLimit: plain && plain.percentOfShardRecordLimit >= 95,
        aggregatedAtLeast8TimesRecordLimit: aggregated && aggregated.multipleOfShardRecordLimit >= 8,
        noRecordLost: Object.values(runs).every((r) => r.audit.lost === 0),
        // A call abandoned after it was written may be applied late, after later records of its keys: then a second
        // copy comes after them. So all copies must be in order only in runs where no result was flagged.
        noPerKeyReorderingInRunsWithoutAmbiguousFailures: Object.values(runs)
          .every((r) => ('possibleDuplicateResults' in r && r.possibleDuplicateResults > 0) || r.audit.outOfOrder === 0),
        faultsCallsAtMostTwiceTheFaultFreeFigure: faults && plain && faults.callsPer1000UserRecords <= 2 * plain.callsPer1000UserRecords,
        faultsDeliveredRateAtLeast95PercentOfFaultFree: faults && plain && faults.userRecordsPerSecondPerShard >= 0.95 * plain.userRecordsPerSecondPerShard,
        hungRequestsAtLeast95PercentOfRecordLimit: hung && hung.percentOfShardRecordLimit >= 95,
        droppedAfterWriteAtLeast95PercentOfRecordLimit: dropped && dropped.percentOfShardRecordLimit >= 95,
        firstOccurrencesInOrderEverywhere: Object.values(runs).every(firstOrderKept),
        everyDuplicateFlaggedPossibleDuplicate: Object.values(runs).every((r) => r.audit.unflaggedDuplicates === 0),
        scriptedHungRequestsAtLeast95PercentOfRecordLimit: scriptedHung && scriptedHung.percentOfShardRecordLimit >= 95,
        scriptedHungRequestsAtLeast95PercentOfFaultFree: scriptedHung && scriptedClean
          && scriptedHung.userRecordsPerSecondPerShard >= 0.95 * scriptedClean.userRecordsPerSecondPerShard,
        scriptedRunsNothingLostFirstCopiesInOrderCopiesFlagged: Object.values(scripted)
          .every((r) => r.audit.lost === 0 && r.audit.outOfOrderFirstOccurrences === 0 && r.audit.unflaggedDuplicates === 0),
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    client.destroy();
    await front.stop();
    await kinesalite.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The run names of `--only a,b` or `--only=a,b`, if given. */
function onlyArgument(args: readonly string[]): string[] | undefined {
  const i = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return undefined;
  const value = args[i].startsWith('--only=') ? args[i].slice('--only='.length) : args[i + 1];
  if (!value) throw new Error('--only needs a comma-separated list of run names');
  return value.split(',');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
