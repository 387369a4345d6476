/**
 * A local Firehose delivery stream to S3 (or to the S3 staging of a Redshift delivery): records are buffered until
 * the buffer's size or interval is reached (and at the end of the run), handed to the real bundled transform in
 * Firehose's event shape, partitioned by the keys the transform (or a MetadataExtraction query) returns, and written
 * as objects under `<out>/s3/<bucket>/<key>`, the key built from the prefix expressions as Firehose builds it, and
 * compressed as configured. Records the transform fails (or that the prefix cannot be built for) go under the error
 * output prefix as Firehose's error records; records it drops are counted, not written.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type { LambdaHandler } from './handlers';
import { lambdaContext } from './handlers';
import { PartStats, RunTracker } from './metrics';
import type { LocalBucketOutput, LocalDeliveryStream } from './model';
import { evaluatePrefix, extractMetadata, MissingPartitionKeyError, objectName } from './prefixes';

export interface DeliveryRecord {
  readonly data: Buffer;
  readonly arrival: number;
  readonly eventId?: string;
  readonly kinesis?: { readonly partitionKey: string; readonly sequenceNumber: string; readonly shardId: string };
}

interface Buffered extends DeliveryRecord { readonly recordId: string }
interface Transformed { r: Buffered; result: string; data: Buffer; keys?: Record<string, string>; message?: string }

/** Firehose retries a failing transform invocation; then its records are processing-failed. */
const TRANSFORM_ATTEMPTS = 3;
/** Firehose hands a transform at most 6 MB per invocation. */
const MAX_INVOCATION_BYTES = 6 * 1000 * 1000;

export class LocalDeliveryStreamSim {
  private buffer: Buffered[] = [];
  private bufferBytes = 0;
  private bufferSince?: number;
  private flushing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private nextId = 0;
  public readonly writtenKeys: string[] = [];

  constructor(
    private readonly d: LocalDeliveryStream,
    private readonly transform: LambdaHandler | undefined,
    private readonly tracker: RunTracker,
    private readonly stats: PartStats,
    private readonly s3Dir: string,
  ) {}

  public start(): void {
    this.timer = setInterval(() => {
      if (this.bufferSince !== undefined && Date.now() - this.bufferSince >= this.d.bufferSeconds * 1000) void this.flush();
    }, 200);
  }

  public put(records: readonly DeliveryRecord[]): void {
    for (const r of records) {
      this.buffer.push({ ...r, recordId: `${String(++this.nextId).padStart(12, '0')}` });
      this.bufferBytes += r.data.length;
      this.bufferSince ??= r.arrival;
    }
    this.stats.received += records.length;
    if (this.bufferBytes >= this.d.bufferBytes) void this.flush();
  }

  /** Flushes what is buffered (the end of a run does, as a deployed stream would at its interval). */
  public flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    this.bufferSince = undefined;
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.deliver(batch));
    return this.flushing;
  }

  public async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async deliver(batch: Buffered[]): Promise<void> {
    const at = batch[0].arrival;
    const ok: Array<{ r: Buffered; data: Buffer; keys?: Record<string, string> }> = [];
    const failed: Array<{ r: Buffered; code: string; message: string; type: string }> = [];
    if (this.d.backup) this.write(this.d.backup, groupOne(evaluatePrefix(this.d.backup.prefix, { at }), batch.map((r) => r.data)), batch.length);

    const transformed = this.transform ? await this.runTransform(batch) : batch.map((r) => ({ r, result: 'Ok', data: r.data, keys: undefined as Record<string, string> | undefined, message: undefined as string | undefined }));
    for (const t of transformed) {
      if (t.result === 'Dropped') {
        this.stats.dropped++;
        continue;
      }
      if (t.result !== 'Ok') {
        failed.push({ r: t.r, code: 'Lambda.ProcessingFailed', message: t.message ?? 'the transform returned ProcessingFailed', type: 'processing-failed' });
        continue;
      }
      let data = t.data;
      let keys = t.keys;
      if (this.d.metadataQuery) {
        try {
          keys = { ...keys, ...(extractMetadata(this.d.metadataQuery, JSON.parse(data.toString('utf8'))) ?? {}) };
        } catch {
          // not JSON: the prefix check below reports the missing keys
        }
      }
      if (this.d.appendDelimiter) data = Buffer.concat([data, Buffer.from('\n')]);
      ok.push({ r: t.r, data, keys });
    }

    // Group by the evaluated prefix: dynamic partitioning writes one object per partition.
    const groups = new Map<string, Array<{ r: Buffered; data: Buffer }>>();
    for (const o of ok) {
      let prefix: string;
      try {
        prefix = evaluatePrefix(this.d.output.prefix, { at, partitionKeys: o.keys });
      } catch (err) {
        if (!(err instanceof MissingPartitionKeyError)) throw err;
        failed.push({ r: o.r, code: 'DynamicPartitioning.MetadataExtractionFailed', message: err.message, type: 'partitioning-failed' });
        continue;
      }
      const list = groups.get(prefix) ?? [];
      list.push(o);
      groups.set(prefix, list);
    }
    const now = Date.now();
    for (const [prefix, list] of groups) {
      this.write(this.d.output, new Map([[prefix, list.map((x) => x.data)]]), list.length);
      for (const x of list) {
        const event = x.r.eventId ? this.tracker.events.get(x.r.eventId) : undefined;
        if (event) this.stats.latenciesMs.push(now - event.sentAt);
      }
      this.stats.countOut(list.length, now);
    }
    if (failed.length > 0) {
      const byType = new Map<string, typeof failed>();
      for (const f of failed) byType.set(f.type, [...(byType.get(f.type) ?? []), f]);
      for (const [type, list] of byType) {
        const errorPrefix = this.d.output.errorPrefix !== undefined ? evaluatePrefix(this.d.output.errorPrefix, { at, errorOutputType: type }) : `${type}/${evaluatePrefix(undefined, { at })}`;
        const lines = list.map((f) => Buffer.from(JSON.stringify({
          attemptsMade: f.type === 'processing-failed' ? TRANSFORM_ATTEMPTS : 1,
          arrivalTimestamp: f.r.arrival,
          errorCode: f.code,
          errorMessage: f.message,
          attemptEndingTimestamp: now,
          rawData: f.r.data.toString('base64'),
          ...(this.d.transform ? { lambdaArn: `arn:aws:lambda:us-east-1:000000000000:function:${this.d.transform.id}` } : {}),
        }) + '\n'));
        const key = this.write(this.d.output, new Map([[errorPrefix, lines]]), list.length, true)[0];
        this.stats.countFailure(path.posix.dirname(`s3://${this.d.output.bucket}/${key}`) + '/', list.length);
      }
    }
  }

  private async runTransform(batch: Buffered[]): Promise<Transformed[]> {
    const out: Transformed[] = [];
    for (const chunk of chunks(batch)) {
      const event = {
        invocationId: randomUUID(),
        deliveryStreamArn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${this.d.name}`,
        region: 'us-east-1',
        ...(this.d.source ? { sourceKinesisStreamArn: this.d.source.arn } : {}),
        records: chunk.map((r) => ({
          recordId: r.recordId,
          approximateArrivalTimestamp: r.arrival,
          data: r.data.toString('base64'),
          ...(r.kinesis ? { kinesisRecordMetadata: { ...r.kinesis, subsequenceNumber: 0, approximateArrivalTimestamp: r.arrival } } : {}),
        })),
      };
      let response: any;
      let error: string | undefined;
      for (let attempt = 1; attempt <= TRANSFORM_ATTEMPTS; attempt++) {
        this.stats.invocations++;
        try {
          response = await this.transform!(event, lambdaContext(this.d.transform!, event.invocationId));
          break;
        } catch (err) {
          this.stats.functionErrors++;
          error = String((err as Error)?.message ?? err);
          if (attempt < TRANSFORM_ATTEMPTS) this.stats.retries++;
        }
      }
      const byId = new Map<string, any>((response?.records ?? []).map((x: any) => [x.recordId, x]));
      for (const r of chunk) {
        const x = byId.get(r.recordId);
        if (!x) {
          out.push({ r, result: 'ProcessingFailed', data: r.data, message: error ?? 'the transform returned no result for the record' });
          continue;
        }
        out.push({ r, result: x.result, data: x.data !== undefined ? Buffer.from(x.data, 'base64') : Buffer.alloc(0), keys: x.metadata?.partitionKeys });
      }
    }
    return out;
  }

  /** Writes one object per prefix; returns the keys written. */
  private write(output: LocalBucketOutput, byPrefix: Map<string, Buffer[]>, records: number, error = false): string[] {
    const keys: string[] = [];
    for (const [prefix, parts] of byPrefix) {
      let body = Buffer.concat(parts);
      const gzip = output.compression === 'GZIP';
      if (gzip) body = gzipSync(body);
      const extension = output.fileExtension ?? (gzip ? '.gz' : '');
      const key = `${prefix}${objectName(this.d.name, Date.now(), randomUUID(), error ? (gzip ? '.gz' : '') : extension)}`;
      const file = path.join(this.s3Dir, output.bucket, ...key.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, body);
      keys.push(key);
      if (!error && output === this.d.output) {
        this.writtenKeys.push(key);
        this.stats.objects.push({ key: `s3://${output.bucket}/${key}`, records, bytes: body.length });
      }
    }
    return keys;
  }
}

function groupOne(prefix: string, parts: Buffer[]): Map<string, Buffer[]> {
  return new Map([[prefix, parts]]);
}

function* chunks(batch: Buffered[]): Generator<Buffered[]> {
  let current: Buffered[] = [];
  let bytes = 0;
  for (const r of batch) {
    // base64 grows the data by a third in the invocation payload
    const size = Math.ceil(r.data.length * 4 / 3) + 200;
    if (current.length > 0 && bytes + size > MAX_INVOCATION_BYTES) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) yield current;
}
