/**
 * Each example that has a stream or a delivery stream runs locally for a few seconds: every record produced is
 * delivered, filtered out or accounted for as a failure at every part, each key's order holds at every consumer,
 * and objects land under the prefixes the template names, holding exactly the records delivered.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { EXAMPLES_DIR, objectKeys, synthExample, tempDir } from './support';
import { readAssembly } from '../../local/assembly';
import type { LocalBucketOutput } from '../../local/model';
import { runLocal } from '../../local/run';

const examples = fs.readdirSync(EXAMPLES_DIR).filter((d) => fs.existsSync(path.join(EXAMPLES_DIR, d, 'app.ts'))).sort();

/** A prefix expression as a regular expression over object keys (relative to the bucket). */
function prefixPattern(prefix: string | undefined): string {
  if (!prefix) return '\\d{4}/\\d{2}/\\d{2}/\\d{2}/';
  return prefix.split(/(!\{[^}]*\})/).map((part) => {
    const m = /^!\{([a-zA-Z]+):([^}]*)\}$/.exec(part);
    if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (m[1] === 'timestamp') return m[2].replace(/yyyy/g, '\\d{4}').replace(/MM|dd|HH|mm|ss|yy/g, '\\d{2}');
    if (m[1] === 'firehose' && m[2] === 'error-output-type') return '(processing-failed|partitioning-failed)';
    return '[^/]+';
  }).join('');
}

function recordsIn(file: string): number {
  let body = fs.readFileSync(file);
  if (file.endsWith('.gz')) body = gunzipSync(body);
  return body.toString('utf8').split('\n').filter((l) => l.trim() !== '').length;
}

describe.each(examples)('local run of example %s', (example) => {
  let dir: string;
  beforeAll(() => {
    dir = synthExample(example);
  });

  test('every record is accounted for, order holds, objects land under their prefixes', async () => {
    const pipeline = readAssembly(dir, example);
    if (pipeline.streams.length === 0 && pipeline.deliveryStreams.length === 0) {
      // Nothing to simulate (an OpenSearch-only app): the runner refuses it with a message, tested in cli.test.ts.
      expect(pipeline.skipped.length).toBeGreaterThan(0);
      return;
    }
    const outDir = tempDir(`${example}-run`);
    const { summary } = await runLocal(pipeline, { seconds: 3, rate: 100, outDir, badRate: 0.01, drainSeconds: 90 });

    expect(summary.drained).toBe(true);
    // 300 events are asked for; a loaded machine gets fewer out (the generator runs on wall time), never none.
    expect(summary.produced).toBeGreaterThan(30);
    expect(summary.parts.filter((p) => (p.unaccounted ?? 0) > 0)).toEqual([]);
    expect(summary.allAccounted).toBe(true);

    for (const p of summary.parts) {
      if (p.kind === 'producer') expect(p.recordsOut + p.failed).toBe(p.recordsIn);
      if (p.kind === 'consumer') {
        expect(p.orderViolations).toBe(0);
        // Every record written to the stream it reads (an app may have several streams) was handled or failed.
        const written = summary.streams.find((x) => x.id === p.stream)!.shards.reduce((n, sh) => n + sh.records, 0);
        expect(p.recordsOut + p.failed).toBeGreaterThanOrEqual(written);
        // A stream that only a Flink application writes (not simulated) is fed generated events of the use case,
        // which a consumer of alerts rightly refuses: there, every record failing is the expected outcome.
        const flinkFed = pipeline.skipped.some((s) => s.includes('AWS::KinesisAnalyticsV2::Application'));
        if (!flinkFed) expect(p.recordsOut).toBeGreaterThan(0);
      }
    }

    const keys = objectKeys(outDir);
    for (const d of pipeline.deliveryStreams) {
      const part = summary.parts.find((p) => p.id === d.id)!;
      expect(part.recordsOut).toBeGreaterThan(0);
      expect(part.recordsOut + part.dropped + part.failed).toBe(part.recordsIn);
      const outputs: LocalBucketOutput[] = [d.output, ...(d.backup ? [d.backup] : [])];
      const under = (o: LocalBucketOutput, prefix: string | undefined) => new RegExp(`^${o.bucket}/${prefixPattern(prefix)}[^/]+$`);
      const dataKeys = keys.filter((k) => under(d.output, d.output.prefix).test(k));
      expect(dataKeys.length).toBe(part.objects);
      // The delivered objects hold exactly the records counted as delivered.
      expect(dataKeys.reduce((n, k) => n + recordsIn(path.join(outDir, 's3', ...k.split('/'))), 0)).toBe(part.recordsOut);
      if (d.output.fileExtension) for (const k of dataKeys) expect(k.endsWith(d.output.fileExtension)).toBe(true);
      // Every object of this delivery stream's buckets is under its data, error or backup prefix.
      const mine = keys.filter((k) => outputs.some((o) => k.startsWith(`${o.bucket}/`)));
      // Without an error output prefix, Firehose writes failed records under <error type>/yyyy/MM/dd/HH/.
      const errorPrefix = (o: LocalBucketOutput) => o.errorPrefix ?? '!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/';
      const allowed = outputs.flatMap((o) => [under(o, o.prefix), under(o, errorPrefix(o))]);
      expect(mine.filter((k) => !allowed.some((r) => r.test(k)))).toEqual([]);
      if (part.failed > 0) expect(keys.some((k) => under(d.output, errorPrefix(d.output)).test(k))).toBe(true);
    }
  });
});
