/**
 * The summary of a run, per part: records in and out, failures and where they went, latency percentiles, per-shard
 * throughput against the shard limits, iterator age, and whether every record is accounted for. `--json` prints it
 * as is; `formatSummary` renders it for a terminal; the report page draws it.
 */
import type { LocalEventSourceMapping } from './event-source-mapping';
import { latencySummary, LatencySummary, RunTracker } from './metrics';
import type { LocalPipeline } from './model';
import type { ShardFront } from './shard-front';
import { KinesisLimits } from '../src/validation/limits';

export interface ShardSummary {
  readonly shardId: string;
  readonly records: number;
  readonly bytes: number;
  readonly throttled: number;
  readonly peakRecordsPerSecond: number;
  readonly peakBytesPerSecond: number;
  /** Records accepted per second of the run (index 0 = first second). */
  readonly recordsPerSecond: number[];
  readonly throttledPerSecond: number[];
}

export interface StreamSummary {
  readonly id: string;
  readonly name: string;
  readonly shardCount: number;
  readonly limitRecordsPerSecond: number;
  readonly limitBytesPerSecond: number;
  readonly shards: ShardSummary[];
}

export interface PartSummary {
  readonly kind: string;
  readonly id: string;
  readonly label: string;
  /** The stream it reads or writes, when it has one. */
  readonly stream?: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly failed: number;
  readonly dropped: number;
  readonly failureTargets: Record<string, number>;
  readonly latencyMs: LatencySummary;
  /** Latency histogram: bucket upper bounds (ms) and counts. */
  readonly latencyHistogram: { bounds: number[]; counts: number[] };
  readonly invocations: number;
  readonly functionErrors: number;
  readonly retries: number;
  readonly bisects: number;
  readonly orderViolations: number;
  readonly duplicates: number;
  readonly maxIteratorAgeMs: number;
  /** Records of its stream the part neither handled nor gave up on (0 when everything is accounted for). */
  readonly unaccounted?: number;
  readonly objects: number;
  readonly objectKeys: string[];
  readonly outPerSecond: number[];
  readonly notes: string[];
}

export interface RunSummary {
  readonly app: string;
  readonly useCase: string;
  readonly seconds: number;
  readonly rate: number;
  readonly startedAt: string;
  readonly outDir: string;
  readonly drained: boolean;
  readonly produced: number;
  readonly writtenToStreams: number;
  readonly streams: StreamSummary[];
  readonly parts: PartSummary[];
  readonly skipped: string[];
  readonly failureFiles: Record<string, number>;
  readonly handlerLog: string;
  /** Every record produced is delivered, dropped by a filter, or accounted for as a failure, at every part. */
  readonly allAccounted: boolean;
}

export interface SummaryInput {
  readonly pipeline: LocalPipeline;
  readonly tracker: RunTracker;
  readonly front: ShardFront;
  readonly seconds: number;
  readonly rate: number;
  readonly outDir: string;
  readonly drained: boolean;
  readonly mappings: readonly LocalEventSourceMapping[];
  readonly failureFiles: ReadonlyMap<string, number>;
  readonly logFile: string;
}

const BOUNDS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, Infinity];

export function buildSummary(input: SummaryInput): RunSummary {
  const { pipeline, tracker, front } = input;
  const t0 = Math.floor(tracker.startedAt / 1000);
  const span = Math.max(1, Math.ceil(Date.now() / 1000) - t0);
  const series = (m: ReadonlyMap<number, number>) => Array.from({ length: span }, (_, i) => m.get(t0 + i) ?? 0);

  const streams: StreamSummary[] = pipeline.streams.map((s) => {
    const perShard = front.writes.get(s.name) ?? new Map();
    const ids = [...perShard.keys()].sort();
    return {
      id: s.id,
      name: s.name,
      shardCount: s.shardCount,
      limitRecordsPerSecond: KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND,
      limitBytesPerSecond: KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND,
      shards: ids.map((shardId) => {
        const w = perShard.get(shardId)!;
        const secs = [...w.seconds.values()];
        return {
          shardId,
          records: w.records,
          bytes: w.bytes,
          throttled: w.throttled,
          peakRecordsPerSecond: Math.max(0, ...secs.map((x) => x.records)),
          peakBytesPerSecond: Math.max(0, ...secs.map((x) => x.bytes)),
          recordsPerSecond: series(new Map([...w.seconds].map(([k, v]) => [k, v.records]))),
          throttledPerSecond: series(new Map([...w.seconds].map(([k, v]) => [k, v.throttled]))),
        };
      }),
    };
  });

  const inStream = (streamName: string) => [...tracker.events.values()].filter((e) => e.stream === streamName).length;
  let allAccounted = input.drained;
  let mappingIndex = 0;
  const parts: PartSummary[] = tracker.parts.map((p) => {
    let unaccounted: number | undefined;
    let stream: string | undefined;
    if (p.kind === 'consumer') {
      const c = pipeline.consumers.find((x) => x.id === p.id)!;
      const mapping = input.mappings[mappingIndex++];
      stream = c.stream.id;
      unaccounted = [...tracker.events.entries()].filter(([id, e]) => e.stream === c.stream.name && !mapping.accounted(id)).length;
    } else if (p.kind === 'delivery') {
      const d = pipeline.deliveryStreams.find((x) => x.id === p.id)!;
      stream = d.source?.id;
      const expected = d.source ? inStream(d.source.name) : p.received;
      unaccounted = Math.max(0, expected - p.out - p.dropped - p.failed);
    } else if (p.kind === 'producer') {
      stream = pipeline.producers.find((x) => x.id === p.id)?.stream.id;
      unaccounted = Math.max(0, p.received - p.out - p.failed);
    }
    if (unaccounted) allAccounted = false;
    const counts = BOUNDS.map(() => 0);
    for (const l of p.latenciesMs) counts[BOUNDS.findIndex((b) => l <= b)]++;
    return {
      kind: p.kind,
      id: p.id,
      label: p.label,
      stream,
      recordsIn: p.received,
      recordsOut: p.out,
      failed: p.failed,
      dropped: p.dropped,
      failureTargets: Object.fromEntries(p.failureTargets),
      latencyMs: latencySummary(p.latenciesMs),
      latencyHistogram: { bounds: BOUNDS.map((b) => (b === Infinity ? -1 : b)), counts },
      invocations: p.invocations,
      functionErrors: p.functionErrors,
      retries: p.retries,
      bisects: p.bisects,
      orderViolations: p.orderViolations,
      duplicates: p.duplicates,
      maxIteratorAgeMs: p.maxIteratorAgeMs,
      unaccounted,
      objects: p.objects.length,
      objectKeys: p.objects.map((o) => o.key).slice(0, 50),
      outPerSecond: series(p.perSecond),
      notes: [...p.notes],
    };
  });

  return {
    app: pipeline.name,
    useCase: pipeline.useCase,
    seconds: input.seconds,
    rate: input.rate,
    startedAt: new Date(tracker.startedAt).toISOString(),
    outDir: input.outDir,
    drained: input.drained,
    produced: tracker.events.size,
    writtenToStreams: [...tracker.events.values()].filter((e) => e.stream !== undefined).length,
    streams,
    parts,
    skipped: [...pipeline.skipped],
    failureFiles: Object.fromEntries(input.failureFiles),
    handlerLog: input.logFile,
    allAccounted,
  };
}

const ms = (v?: number) => (v === undefined ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)}s` : `${Math.round(v)}ms`);
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(`\nlocal run of ${s.app} (${s.useCase} events, ${s.rate}/s per producer for ${s.seconds}s): ${s.produced} produced, ${s.writtenToStreams} written to streams`);
  for (const st of s.streams) {
    lines.push(`\n■ stream ${st.id} (${st.shardCount} shard${st.shardCount === 1 ? '' : 's'}; limit per shard ${st.limitRecordsPerSecond} records/s, ${kib(st.limitBytesPerSecond)}/s)`);
    for (const sh of st.shards) {
      const pct = Math.round((100 * sh.peakRecordsPerSecond) / st.limitRecordsPerSecond);
      lines.push(`    ${sh.shardId}  ${String(sh.records).padStart(7)} records  peak ${sh.peakRecordsPerSecond}/s (${pct}% of limit), ${kib(sh.peakBytesPerSecond)}/s  throttled ${sh.throttled}`);
    }
  }
  for (const p of s.parts) {
    lines.push(`\n■ ${p.kind} ${p.label}`);
    const inOut = p.kind === 'delivery'
      ? `in ${p.recordsIn}, delivered ${p.recordsOut} in ${p.objects} object(s), dropped by filters ${p.dropped}, failed ${p.failed}`
      : `in ${p.recordsIn}, out ${p.recordsOut}, failed ${p.failed}`;
    lines.push(`    records: ${inOut}${p.unaccounted ? `, NOT ACCOUNTED FOR ${p.unaccounted}` : ''}`);
    for (const [target, n] of Object.entries(p.failureTargets)) lines.push(`    failures: ${n} → ${target}`);
    const latencyWhat = p.kind === 'producer' ? 'invocation' : 'end-to-end';
    if (p.latencyMs.count > 0) lines.push(`    ${latencyWhat} latency: p50 ${ms(p.latencyMs.p50)}  p90 ${ms(p.latencyMs.p90)}  p99 ${ms(p.latencyMs.p99)}  max ${ms(p.latencyMs.max)}`);
    if (p.invocations) lines.push(`    invocations ${p.invocations}, function errors ${p.functionErrors}, retries ${p.retries}${p.kind === 'consumer' ? `, bisects ${p.bisects}` : ''}`);
    if (p.kind === 'consumer') lines.push(`    per-key order: ${p.orderViolations === 0 ? 'kept' : `${p.orderViolations} violation(s)`}, duplicates ${p.duplicates}, max iterator age ${ms(p.maxIteratorAgeMs)}`);
    if (p.kind === 'delivery' && p.objectKeys.length) lines.push(`    e.g. ${p.objectKeys[0]}`);
    for (const n of p.notes) lines.push(`    note: ${n}`);
  }
  for (const k of s.skipped) lines.push(`\n· skipped ${k}`);
  if (!s.drained) lines.push('\n! the parts did not drain in time after the producers stopped: records still in flight are counted as not accounted for (a slower machine, or a rate above what the handlers keep up with: try a lower --rate)');
  lines.push(`\n${s.allAccounted ? '✓ every record produced is delivered, filtered or accounted for as a failure' : '✗ some records are not accounted for (see above)'}`);
  lines.push(`  objects and failures under ${s.outDir}; handler logs in ${s.handlerLog}`);
  return lines.join('\n');
}
