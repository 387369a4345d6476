/**
 * `npm run bench:transform`: throughput of the bundled Firehose transform (assets/firehose/transform, as deployed)
 * on 3 MiB batches, against two loops over the same records in the same process:
 *
 * - `baseline`: `JSON.parse` + `JSON.stringify` of each record's text, no base64 (the loop issue #15 states its target
 *   against). It is not the same work: a transform must also decode each record's base64 and encode what it returns,
 *   check the records and answer the Firehose contract, and the pass-through transform does no `JSON.stringify`;
 * - `base64Baseline`: the same loop as a bare hand-written transform does it, with the base64 decoding and encoding
 *   (and the newline) but none of the checks, metadata or response.
 *
 * Throughput is payload bytes (decoded record data, 3 MiB per batch) per second, in MB/s (10^6 bytes). Each figure is
 * the median of several runs in CPU time of the process; within a run the subjects are timed one after the other,
 * their order rotating from run to run, so that the garbage one leaves behind is not always collected in the time of
 * the same other. The response of a run is dropped before the next, as the Lambda runtime drops it once serialized;
 * `responseSerializationMs` is the median time of that serialization (`JSON.stringify` of the response, which the
 * runtime does after the handler returns), reported apart and counted in no ratio. Two configurations: `passThrough`
 * (required fields, two partition keys, newline: the original bytes are kept, no JSON.stringify) and `reshape` (also a
 * filter, keep, rename and drop: every record is re-serialized).
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

function base64Baseline(event: FirehoseTransformationEvent): number {
  const records = event.records;
  let out = 0;
  for (let i = 0; i < records.length; i++) {
    const text = JSON.stringify(JSON.parse(Buffer.from(records[i].data, 'base64').toString('utf8')));
    out += Buffer.from(`${text}\n`, 'utf8').toString('base64').length;
  }
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
  const base64BaselineMs: number[] = [];
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

  for (const [name, config] of Object.entries(CONFIGS)) {
    const handler = loadHandler(config);
    const transformMs: number[] = [];
    const serializationMs: number[] = [];
    const paired: number[] = [];
    const pairedBase64: number[] = [];
    const counts = { Ok: 0, Dropped: 0, ProcessingFailed: 0 };
    console.log = () => undefined;
    try {
      for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
        // CPU time of the process, not wall time: on a shared machine, time spent waiting for a core is not either's.
        const times: Record<string, number> = {};
        let response: FirehoseTransformationResult | undefined;
        const subjects: Array<[string, () => Promise<unknown> | unknown]> = [
          ['transform', async () => {
            response = await handler(event);
            const t = process.cpuUsage();
            JSON.stringify(response);
            times.serialization = cpuMs(process.cpuUsage(t));
          }],
          ['baseline', () => baseline(records)],
          ['base64Baseline', () => base64Baseline(event)],
        ];
        for (let k = 0; k < subjects.length; k++) {
          const [subject, fn] = subjects[(run + k) % subjects.length];
          const t = process.cpuUsage();
          await fn();
          times[subject] = cpuMs(process.cpuUsage(t)) - (subject === 'transform' ? times.serialization : 0);
        }
        if (run === WARMUP_RUNS + RUNS - 1) for (const r of response!.records) counts[r.result]++;
        response = undefined;
        if (run >= WARMUP_RUNS) {
          transformMs.push(times.transform);
          serializationMs.push(times.serialization);
          baselineMs.push(times.baseline);
          base64BaselineMs.push(times.base64Baseline);
          paired.push(times.baseline / times.transform);
          pairedBase64.push(times.base64Baseline / times.transform);
        }
      }
    } finally {
      console.log = log;
    }
    results[name] = {
      medianMs: round(median(transformMs), 1),
      mbPerSecond: mbPerSecond(median(transformMs)),
      results: counts,
      // Against the baselines of the same run, so that drift between runs on a shared machine cancels out.
      pairedRatioToBaseline: round(median(paired), 2),
      pairedRatioToBase64Baseline: round(median(pairedBase64), 2),
      pairedRatioRange: [round(Math.min(...paired), 2), round(Math.max(...paired), 2)],
      responseSerializationMs: round(median(serializationMs), 1),
    };
  }

  const baselineMbPerSecond = mbPerSecond(median(baselineMs));
  const base64BaselineMbPerSecond = mbPerSecond(median(base64BaselineMs));
  for (const r of Object.values(results) as Array<{ mbPerSecond: number; ratioToBaseline?: number; ratioToBase64Baseline?: number }>) {
    r.ratioToBaseline = round(r.mbPerSecond / baselineMbPerSecond, 2);
    r.ratioToBase64Baseline = round(r.mbPerSecond / base64BaselineMbPerSecond, 2);
  }
  process.stdout.write(`${JSON.stringify({
    benchmark: 'firehose-transform',
    node: process.version,
    batch: { records: records.length, payloadBytes, requestBytes: Buffer.byteLength(JSON.stringify(event)) },
    runs: RUNS,
    baseline: { description: 'JSON.parse + JSON.stringify per record, no base64', medianMs: round(median(baselineMs), 1), mbPerSecond: baselineMbPerSecond },
    base64Baseline: {
      description: 'base64-decode, JSON.parse, JSON.stringify + newline, base64-encode per record; no checks, metadata or response',
      medianMs: round(median(base64BaselineMs), 1),
      mbPerSecond: base64BaselineMbPerSecond,
    },
    transform: results,
  }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
