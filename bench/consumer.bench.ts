/**
 * Per-record overhead of the consumer runtime against `@aws-lambda-powertools/batch` (sequential mode), on
 * 10,000-record Kinesis events, plain and KPL-aggregated, in the same process.
 *
 * Overhead = (time of the framework over the batch − time of a bare loop doing the same work) / records, where the
 * work is what any consumer must do: base64-decode, de-aggregate (aggregated events) and call the record handler.
 * Both frameworks get the same handler and the same de-aggregator, so what differs is only the framework.
 * Figures are medians over RUNS runs after WARMUP runs. In a run each subject handles BATCHES_PER_SAMPLE batches, the
 * subjects taking turns batch by batch (the order rotating), each batch timed in CPU time of the process (on a shared
 * machine, time spent waiting for a core belongs to neither subject); a run's overheads are paired with the bare loop's
 * batches interleaved with them.
 *
 * The baseline is Powertools as its documentation deploys it: one `BatchProcessor` at module level, for the life of the
 * process. No subject gets a forced garbage collection: each pays for its garbage when V8 collects it, as in a Lambda
 * function. (Earlier versions built a processor per batch and collected before every run, which threw away
 * Powertools' optimized code each time and made its overhead look several times larger.)
 *
 * Each scenario runs in PROCESSES processes of its own, one after another, whose runs are pooled: a Lambda function's
 * process runs one handler on one kind of stream, and a process's JIT makes its own inlining decisions, so that two
 * processes of the same code can differ by more than the effect being measured.
 *
 * Usage: npm run bench:consumer [-- --runs 15] [-- --processes 3] [-- --only aggregated]
 */
import { spawnSync } from 'child_process';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { deaggregate, encodeAggregate, isAggregated } from '../lambda/aggregation';
import { processKinesisBatch } from '../lambda/consumer';

const RECORDS = 10_000;
const KEYS = 500;
const USER_RECORDS_PER_AGGREGATE = 20;
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 15;
/**
 * Processes per scenario whose runs are pooled (see `measureInProcesses`); `--processes 1` measures every scenario in
 * this one process, as earlier versions did (for `node --cpu-prof`).
 */
const PROCESSES = Number(args[args.indexOf('--processes') + 1]) || 3;
/** `--child <scenario>`: measure that scenario in this process and print what was measured (see `measureInProcesses`). */
const CHILD = args.includes('--child') ? args[args.indexOf('--child') + 1] : undefined;
const WARMUP = 5;
/** `--only aggregated` runs the scenarios whose name contains the text (for profiling one of them). */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
/** Batches per subject and run, interleaved with the other subjects' (see `measure`). */
const BATCHES_PER_SAMPLE = 10;
const SHARD = 'shardId-000000000000';

function sequence(n: number): string {
  return `4959033827149025660855969253836157109592157598913${String(n).padStart(7, '0')}`;
}

function record(n: number, partitionKey: string, data: Uint8Array): KinesisStreamRecord {
  return {
    kinesis: { kinesisSchemaVersion: '1.0', partitionKey, sequenceNumber: sequence(n), data: Buffer.from(data).toString('base64'), approximateArrivalTimestamp: 1_700_000_000 },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${SHARD}:${sequence(n)}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/bench',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/bench',
  };
}

const click = (i: number) => Buffer.from(JSON.stringify({ user: `user-${i % KEYS}`, page: `/products/${i % 977}`, at: 1_700_000_000_000 + i }));

function plainEvent(): KinesisStreamEvent {
  return { Records: Array.from({ length: RECORDS }, (_, i) => record(i, `user-${i % KEYS}`, click(i))) };
}

function aggregatedEvent(): KinesisStreamEvent {
  const records: KinesisStreamRecord[] = [];
  for (let a = 0; a < RECORDS / USER_RECORDS_PER_AGGREGATE; a++) {
    const users = Array.from({ length: USER_RECORDS_PER_AGGREGATE }, (_, j) => a * USER_RECORDS_PER_AGGREGATE + j)
      .map((i) => ({ partitionKey: `user-${i % KEYS}`, data: click(i) }));
    records.push(record(a, users[0].partitionKey, encodeAggregate(users)));
  }
  return { Records: records };
}

// The record handler: reads the bytes, as any handler does, and keeps a checksum so the work cannot be optimized away.
let sink = 0;
const handler = (data: Uint8Array): void => { sink = (sink + data.length + data[0]) % 1_000_003; };
const asyncHandler = async (data: Uint8Array): Promise<void> => { handler(data); };

function userRecordsOf(r: KinesisStreamRecord): Uint8Array[] {
  const data = Buffer.from(r.kinesis.data, 'base64');
  return isAggregated(data) ? deaggregate(data, r.kinesis.partitionKey).map((u) => u.data) : [data];
}

type Subject = (event: KinesisStreamEvent) => Promise<unknown> | unknown;

// The bare loop and the Powertools record handler wait for the handler only when it returns a promise, as the runtime
// does: awaiting a synchronous handler's `undefined` costs a microtask per record that no consumer has to pay, and
// would be counted as the frameworks' work in the baseline instead of as their overhead.
const subjects = (h: (d: Uint8Array) => unknown): Record<string, Subject> => ({
  bare: async (event) => {
    for (const r of event.Records) {
      for (const d of userRecordsOf(r)) {
        const result = h(d);
        if (result instanceof Promise) await result;
      }
    }
  },
  runtime: (event) => processKinesisBatch(event, (body) => h(body)),
  powertools: (event) => processPartialResponse(event, async (r: KinesisStreamRecord) => {
    for (const d of userRecordsOf(r)) {
      const result = h(d);
      if (result instanceof Promise) await result;
    }
  }, processor, { processInParallel: false }),
});

// One processor for the life of the process, at module level, as Powertools' documentation creates it: a processor
// per batch would also be new garbage per batch, and not how anyone deploys it.
const processor = new BatchProcessor(EventType.KinesisDataStreams);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function measure(event: KinesisStreamEvent, chosen: Record<string, Subject>): Promise<Record<string, number[]>> {
  const names = Object.keys(chosen);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const sums: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    // Subjects take turns batch by batch, not run by run: on a shared machine the speed of a core drifts over tens of
    // milliseconds (another process's cache and memory traffic, frequency), and a run of one subject after another
    // put that drift into the difference between them. The order rotates so that none always follows the same one
    // (and inherits its garbage).
    for (let b = 0; b < BATCHES_PER_SAMPLE; b++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(run + b + k) % names.length];
        const start = process.cpuUsage();
        await chosen[name](event);
        const used = process.cpuUsage(start);
        sums[name] += (used.user + used.system) / 1e3;
      }
    }
    if (run >= WARMUP) for (const name of names) times[name].push(sums[name] / BATCHES_PER_SAMPLE);
  }
  return times;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}

type Times = Record<string, number[]>;

/** What one process measured of a scenario: CPU milliseconds per batch, per subject and run. */
interface Measured {
  readonly scenario: string;
  readonly kinesisRecords: number;
  readonly times: Times;
}

function summarize(name: string, kinesisRecords: number, perProcess: readonly Times[]) {
  // Overhead is paired within a run (framework minus the bare loop of the same run), so that drift between runs on a
  // shared machine cancels out instead of landing on one subject.
  const overheads = (times: Times, subject: string) => times[subject].map((ms, run) => ((ms - times.bare[run]) * 1e6) / RECORDS);
  const all = (subject: string) => perProcess.flatMap((times) => overheads(times, subject));
  const runtime = all('runtime');
  const powertools = all('powertools');
  const runtimeNs = Math.round(median(runtime));
  const powertoolsNs = Math.round(median(powertools));
  const paired = runtime.map((ns, run) => ns / powertools[run]);
  const batchMs = (subject: string) => +median(perProcess.flatMap((times) => times[subject])).toFixed(2);
  return {
    scenario: name,
    kinesisRecords,
    userRecords: RECORDS,
    partitionKeys: KEYS,
    medianBatchMs: { bare: batchMs('bare'), runtime: batchMs('runtime'), powertools: batchMs('powertools') },
    overheadNsPerRecord: { runtime: runtimeNs, powertools: powertoolsNs },
    interquartileNsPerRecord: {
      runtime: [Math.round(quantile(runtime, 0.25)), Math.round(quantile(runtime, 0.75))],
      powertools: [Math.round(quantile(powertools, 0.25)), Math.round(quantile(powertools, 0.75))],
    },
    runtimeToPowertoolsRatio: +(runtimeNs / powertoolsNs).toFixed(3),
    // The ratio within each run, where both overheads met the same conditions: its median and quartiles say how much of
    // the ratio above is the machine.
    pairedRatio: {
      median: +median(paired).toFixed(3),
      interquartile: [+quantile(paired, 0.25).toFixed(3), +quantile(paired, 0.75).toFixed(3)],
    },
    // Each process's own ratio of medians: V8 compiles each process's hot paths its own way (what it inlines depends on
    // when it optimizes), so one process can be 20 to 40 ns per record faster or slower than the next, for all its runs.
    perProcessRatio: perProcess.map((times) => +(median(overheads(times, 'runtime')) / median(overheads(times, 'powertools'))).toFixed(3)),
    meetsTarget: runtimeNs <= powertoolsNs / 2,
  };
}

const SCENARIOS = ['plain, synchronous handler', 'aggregated, synchronous handler', 'plain, async handler', 'aggregated, async handler'];

/** Measures the scenarios named in this process. */
async function measureHere(names: readonly string[]): Promise<Measured[]> {
  // Lambda's runtime hands the function an event parsed from JSON: so do we, for strings shaped like the real ones.
  const plain = JSON.parse(JSON.stringify(plainEvent())) as KinesisStreamEvent;
  const aggregated = JSON.parse(JSON.stringify(aggregatedEvent())) as KinesisStreamEvent;
  const measured: Measured[] = [];
  for (const name of names) {
    const event = name.startsWith('aggregated') ? aggregated : plain;
    const h = name.includes('async') ? asyncHandler : handler;
    measured.push({ scenario: name, kinesisRecords: event.Records.length, times: await measure(event, subjects(h)) });
  }
  return measured;
}

/**
 * Measures each scenario in PROCESSES processes of its own, one after the other (never at the same time: they would
 * share the cores), and pools their runs. A process of its own per scenario is what a Lambda function is: one handler,
 * one kind of stream. In one process for all four, each scenario ran in code that V8 had specialised for the ones
 * before it (a synchronous handler, plain records), which cost the later ones 20 to 40 ns per record, more for the
 * runtime than for the loops of the other subjects.
 */
function measureInProcesses(names: readonly string[]): Measured[][] {
  const runs: Measured[][] = Array.from({ length: PROCESSES }, () => []);
  for (const name of names) {
    for (let p = 0; p < PROCESSES; p++) {
      // The same node flags (`--cpu-prof`, ...), and TypeScript compiled the way `npm run bench:consumer` compiles it.
      const flags = process.execArgv.some((flag) => flag.includes('ts-node')) ? process.execArgv : [...process.execArgv, '-r', 'ts-node/register/transpile-only'];
      const child = spawnSync(process.execPath, [...flags, __filename, ...args, '--child', name], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (child.status !== 0) throw new Error(`bench process ${p + 1} of ${PROCESSES} for '${name}' failed with status ${child.status} (${child.error?.message ?? 'see its output above'})`);
      runs[p].push(...(JSON.parse(child.stdout) as Measured[]));
    }
  }
  return runs;
}

async function main(): Promise<void> {
  if (CHILD !== undefined) {
    process.stdout.write(JSON.stringify(await measureHere([CHILD])));
    return;
  }
  const names = SCENARIOS.filter((name) => ONLY === undefined || name.includes(ONLY));
  const processes = PROCESSES === 1 ? [await measureHere(names)] : measureInProcesses(names);
  const results = processes[0].map((first, i) => summarize(first.scenario, first.kinesisRecords, processes.map((measured) => measured[i].times)));
  console.log(JSON.stringify({
    benchmark: 'consumer',
    node: process.version,
    processes: PROCESSES,
    runs: RUNS,
    warmup: WARMUP,
    batchesPerRun: BATCHES_PER_SAMPLE,
    baseline: '@aws-lambda-powertools/batch, one module-level BatchProcessor, processInParallel: false',
    clock: 'process CPU time (user + system)',
    target: 'runtime overhead per record <= half of the baseline\'s',
    results,
    // The handler's checksum keeps its work observable; with several processes, that of this one (which ran none).
    checksum: sink,
  }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
