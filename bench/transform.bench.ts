/**
 * `npm run bench:transform`: throughput of the bundled Firehose transform (assets/firehose/transform, as deployed)
 * on 3 MiB batches, against a plain JSON.parse/JSON.stringify loop over the same records in the same process.
 *
 * Throughput is payload bytes (decoded record data, 3 MiB per batch) per second, in MB/s (10^6 bytes). Each figure is
 * the median of several runs, measured alternately so that both see the same machine state. Two configurations:
 * `passThrough` (required fields, two partition keys, newline: the original bytes are kept, no JSON.stringify) and
 * `reshape` (also a filter, keep, rename and drop: every record is re-serialized).
 */
import * as path from 'path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { TRANSFORM_CONFIG_ENV, TRANSFORM_CONFIG_VERSION, type TransformConfig } from '../src/contracts/transform-config';

const BATCH_BYTES = 3 * 1024 * 1024;
const WARMUP_RUNS = 3;
const RUNS = 15;

function makeRecords(): string[] {
  const services = ['checkout', 'search', 'catalog', 'payments', 'auth'];
  const levels = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];
  const records: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < BATCH_BYTES; i++) {
    const text = JSON.stringify({
      timestamp: new Date(1_700_000_000_000 + i * 37).toISOString(),
      service: services[i % services.length],
      level: levels[i % levels.length],
      message: `request ${i} handled in ${(i * 7) % 900} ms`,
      requestId: `req-${i.toString(16).padStart(12, '0')}`,
      http: { method: i % 3 ? 'GET' : 'POST', path: `/api/v1/items/${i % 1000}`, status: i % 17 ? 200 : 503 },
      user: { id: `user-${i % 5000}`, agent: 'Mozilla/5.0 (X11; Linux x86_64)' },
      debug: { host: `ip-10-0-${i % 256}-${(i * 13) % 256}`, pid: 4000 + (i % 64) },
    });
    bytes += Buffer.byteLength(text);
    records.push(text);
  }
  return records;
}

function eventOf(records: string[]): FirehoseTransformationEvent {
  return {
    invocationId: 'bench',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/bench',
    region: 'us-east-1',
    records: records.map((text, i) => ({
      recordId: `49546986683135544286507457936321625675700192471156785154${i}`,
      approximateArrivalTimestamp: 1495072949453,
      data: Buffer.from(text).toString('base64'),
    })),
  };
}

const base = { version: TRANSFORM_CONFIG_VERSION, keepFields: [], renameFields: [], dropFields: [], filters: [], appendNewline: true };
const CONFIGS: Record<string, TransformConfig> = {
  passThrough: { ...base, requiredFields: ['timestamp', 'service'], partitionKeys: [['service', 'service'], ['status', 'http.status']] },
  reshape: {
    ...base,
    requiredFields: ['timestamp', 'service'],
    partitionKeys: [['service', 'service'], ['status', 'http.status']],
    filters: [{ field: 'level', operator: 'notEquals', values: ['DEBUG'] }],
    keepFields: ['timestamp', 'service', 'level', 'message', 'requestId', 'http', 'user'],
    renameFields: [['requestId', 'request_id']],
    dropFields: ['user'],
  },
};

type Handler = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;

function loadHandler(config: TransformConfig): Handler {
  const bundle = path.join(__dirname, '..', 'assets', 'firehose', 'transform', 'index.js');
  process.env[TRANSFORM_CONFIG_ENV] = JSON.stringify(config);
  delete require.cache[require.resolve(bundle)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle).handler as Handler;
}

function baseline(records: string[]): number {
  let out = 0;
  for (let i = 0; i < records.length; i++) out += JSON.stringify(JSON.parse(records[i])).length;
  return out;
}

function cpuMs(used: NodeJS.CpuUsage): number {
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const records = makeRecords();
  const payloadBytes = records.reduce((n, r) => n + Buffer.byteLength(r), 0);
  const event = eventOf(records);
  const mbPerSecond = (ms: number) => Math.round((payloadBytes / 1e6 / (ms / 1000)) * 10) / 10;
  const log = console.log;
  const results: Record<string, unknown> = {};
  const baselineMs: number[] = [];

  for (const [name, config] of Object.entries(CONFIGS)) {
    const handler = loadHandler(config);
    const transformMs: number[] = [];
    const pairedRatios: number[] = [];
    let lastResponse: FirehoseTransformationResult | undefined;
    console.log = () => undefined;
    try {
      for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
        // CPU time of the process, not wall time: on a shared machine, time spent waiting for a core is not either's.
        let t = process.cpuUsage();
        lastResponse = await handler(event);
        const transformElapsed = cpuMs(process.cpuUsage(t));
        t = process.cpuUsage();
        baseline(records);
        const baselineElapsed = cpuMs(process.cpuUsage(t));
        if (run >= WARMUP_RUNS) {
          transformMs.push(transformElapsed);
          baselineMs.push(baselineElapsed);
          pairedRatios.push(baselineElapsed / transformElapsed);
        }
      }
    } finally {
      console.log = log;
    }
    const counts = { Ok: 0, Dropped: 0, ProcessingFailed: 0 };
    for (const r of lastResponse!.records) counts[r.result]++;
    results[name] = {
      medianMs: Math.round(median(transformMs) * 10) / 10,
      mbPerSecond: mbPerSecond(median(transformMs)),
      results: counts,
      // Throughput against the baseline of the same run, so that drift between runs on a shared machine cancels out.
      pairedRatioToBaseline: Math.round(median(pairedRatios) * 100) / 100,
    };
  }

  const baselineMbPerSecond = mbPerSecond(median(baselineMs));
  for (const r of Object.values(results) as Array<{ mbPerSecond: number; ratioToBaseline?: number }>) {
    r.ratioToBaseline = Math.round((r.mbPerSecond / baselineMbPerSecond) * 100) / 100;
  }
  process.stdout.write(`${JSON.stringify({
    benchmark: 'firehose-transform',
    node: process.version,
    batch: { records: records.length, payloadBytes, requestBytes: Buffer.byteLength(JSON.stringify(event)) },
    runs: RUNS,
    baseline: { description: 'JSON.parse + JSON.stringify per record, no base64', medianMs: Math.round(median(baselineMs) * 10) / 10, mbPerSecond: baselineMbPerSecond },
    transform: results,
  }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
