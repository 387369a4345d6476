/**
 * A local event source mapping from a Kinesis stream to a function, with Lambda's semantics
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html):
 *
 * - per shard, records are batched up to the batch size, waiting at most the batching window;
 * - the parallelization factor runs that many batches of a shard at once, a partition key always on the same one,
 *   so each key's order holds;
 * - a function error retries the batch (bisecting it first when bisect-on-error is on) until the retry attempts are
 *   spent, then the batch's shard and sequence range go to the on-failure destination, and the shard moves on;
 * - with `ReportBatchItemFailures`, the batch resumes at the lowest reported sequence number (an identifier that is
 *   not in the batch fails the whole batch, as Lambda treats it);
 * - records older than the maximum record age are not handed over, and go to the destination.
 *
 * The on-failure destination is a JSON-lines file of Lambda's on-failure records under the run's failures folder.
 */
import type { LambdaHandler } from './handlers';
import { lambdaContext } from './handlers';
import { eventIdOf, OrderCheck, PartStats, RunTracker, sleep } from './metrics';
import type { LocalConsumer } from './model';
import type { ShardReader, StreamRecord } from './shard-reader';

export interface MappingOptions {
  readonly consumer: LocalConsumer;
  readonly handler: LambdaHandler;
  readonly reader: ShardReader;
  readonly tracker: RunTracker;
  readonly stats: PartStats;
  /** Writes one on-failure record; returns where it went (for the summary). */
  readonly onFailure: (record: unknown) => string;
}

const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export class LocalEventSourceMapping {
  private readonly order = new OrderCheck();
  private readonly failedIds = new Set<string>();
  private running = true;
  private invocation = 0;
  private readonly lanes: Promise<void>[] = [];

  constructor(private readonly o: MappingOptions) {}

  /** Starts one loop per shard and lane. */
  public start(shardIds: readonly string[]): void {
    const pf = Math.max(1, this.o.consumer.parallelizationFactor);
    for (const shardId of shardIds) {
      const queues: StreamRecord[][] = Array.from({ length: pf }, () => []);
      this.o.reader.subscribe(shardId, (records) => {
        for (const r of records) queues[pf === 1 ? 0 : laneOf(r.partitionKey, pf)].push(r);
      });
      for (let lane = 0; lane < pf; lane++) this.lanes.push(this.runLane(shardId, queues[lane]));
    }
  }

  /** Stops once every record read so far is handled or sent to the destination. */
  public async stop(): Promise<void> {
    await this.o.reader.drain();
    this.running = false;
    await Promise.all(this.lanes);
  }

  /** Whether the mapping has handled or given up on the event. */
  public accounted(eventId: string): boolean {
    return this.order.has(eventId) || this.failedIds.has(eventId);
  }

  private async runLane(shardId: string, queue: StreamRecord[]): Promise<void> {
    const c = this.o.consumer;
    let firstWaitingSince: number | undefined;
    for (;;) {
      if (queue.length === 0) {
        if (!this.running && this.o.reader.caughtUp(shardId)) return;
        firstWaitingSince = undefined;
        await sleep(20);
        continue;
      }
      firstWaitingSince ??= Date.now();
      const full = queue.length >= c.batchSize || payloadBytes(queue, c.batchSize) >= MAX_PAYLOAD_BYTES;
      const windowOver = Date.now() - firstWaitingSince >= c.batchingWindowSeconds * 1000;
      if (!full && !windowOver && this.running) {
        await sleep(20);
        continue;
      }
      const batch = takeBatch(queue, c.batchSize);
      firstWaitingSince = undefined;
      await this.process(shardId, batch);
    }
  }

  private async process(shardId: string, batch: StreamRecord[]): Promise<void> {
    const c = this.o.consumer;
    const work: Array<{ records: StreamRecord[]; attempts: number }> = [{ records: batch, attempts: 0 }];
    while (work.length > 0) {
      let { records, attempts } = work.shift()!;
      while (records.length > 0) {
        if (c.maxRecordAgeSeconds >= 0) {
          const expired = records.filter((r) => Date.now() - r.arrival > c.maxRecordAgeSeconds * 1000);
          if (expired.length > 0) {
            this.giveUp(shardId, expired, attempts, 'RecordAgeExceeded');
            records = records.filter((r) => !expired.includes(r));
            if (records.length === 0) break;
          }
        }
        const outcome = await this.invoke(shardId, records);
        if (outcome.ok === records.length) {
          this.complete(records);
          break;
        }
        this.complete(records.slice(0, outcome.ok));
        const rest = records.slice(outcome.ok);
        attempts++;
        if (c.maxRetryAttempts >= 0 && attempts > c.maxRetryAttempts) {
          this.giveUp(shardId, rest, attempts, 'RetryAttemptsExhausted', outcome.error);
          break;
        }
        this.o.stats.retries++;
        if (outcome.functionError && c.bisectOnError && rest.length > 1) {
          this.o.stats.bisects++;
          const half = Math.ceil(rest.length / 2);
          work.unshift({ records: rest.slice(0, half), attempts }, { records: rest.slice(half), attempts });
          break;
        }
        records = rest;
        await sleep(Math.min(1000, 50 * 2 ** attempts));
      }
    }
  }

  /** Invokes the function; returns how many leading records are done. */
  private async invoke(shardId: string, records: StreamRecord[]): Promise<{ ok: number; functionError: boolean; error?: string }> {
    const c = this.o.consumer;
    const stats = this.o.stats;
    stats.invocations++;
    stats.received += records.length;
    stats.maxIteratorAgeMs = Math.max(stats.maxIteratorAgeMs, Date.now() - records[records.length - 1].arrival);
    const event = { Records: records.map((r) => toLambdaRecord(c, shardId, r)) };
    let response: any;
    try {
      response = await this.o.handler(event, lambdaContext(c.fn, `local-${++this.invocation}`));
    } catch (err) {
      stats.functionErrors++;
      return { ok: 0, functionError: true, error: String((err as Error)?.message ?? err) };
    }
    const failures: Array<{ itemIdentifier?: string }> | undefined = c.reportBatchItemFailures ? response?.batchItemFailures : undefined;
    if (!failures || failures.length === 0) return { ok: records.length, functionError: false };
    let lowest = records.length;
    for (const f of failures) {
      const i = records.findIndex((r) => r.sequenceNumber === f.itemIdentifier);
      if (i < 0) return { ok: 0, functionError: false, error: `batchItemFailures names '${f.itemIdentifier}', not in the batch: the whole batch is retried` };
      lowest = Math.min(lowest, i);
    }
    return { ok: lowest, functionError: false, error: `${failures.length} batch item failure(s), resuming at ${records[lowest].sequenceNumber}` };
  }

  private complete(records: readonly StreamRecord[]): void {
    const now = Date.now();
    let n = 0;
    for (const r of records) {
      const id = r.eventId;
      if (id === undefined) continue;
      if (this.order.handled(id, this.o.tracker.events.get(id), this.o.stats, now)) n++;
    }
    this.o.stats.countOut(n, now);
  }

  private giveUp(shardId: string, records: readonly StreamRecord[], attempts: number, condition: string, error?: string): void {
    const c = this.o.consumer;
    const record = {
      requestContext: { requestId: `local-${this.invocation}`, functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${c.fn.id}`, condition, approximateInvokeCount: attempts },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: error ?? 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: records[0].sequenceNumber,
        endSequenceNumber: records[records.length - 1].sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(records[0].arrival).toISOString(),
        approximateArrivalOfLastRecord: new Date(records[records.length - 1].arrival).toISOString(),
        batchSize: records.length,
        streamArn: c.stream.arn,
      },
    };
    const target = this.o.onFailure(record);
    let n = 0;
    for (const r of records) {
      if (r.eventId === undefined || this.failedIds.has(r.eventId)) continue;
      this.failedIds.add(r.eventId);
      n++;
    }
    this.o.stats.countFailure(target, n);
  }
}

function toLambdaRecord(c: LocalConsumer, shardId: string, r: StreamRecord) {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.partitionKey,
      sequenceNumber: r.sequenceNumber,
      data: r.data.toString('base64'),
      approximateArrivalTimestamp: r.arrival / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${r.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::000000000000:role/${c.fn.id}`,
    awsRegion: 'us-east-1',
    eventSourceARN: c.stream.arn,
  };
}

function takeBatch(queue: StreamRecord[], batchSize: number): StreamRecord[] {
  let bytes = 0;
  let n = 0;
  while (n < queue.length && n < batchSize && bytes + queue[n].data.length <= MAX_PAYLOAD_BYTES) bytes += queue[n++].data.length;
  return queue.splice(0, Math.max(1, n));
}

function payloadBytes(queue: readonly StreamRecord[], limit: number): number {
  let bytes = 0;
  for (let i = 0; i < queue.length && i < limit; i++) bytes += queue[i].data.length;
  return bytes;
}

/** Lambda keeps a partition key on one of a shard's concurrent batches; any stable hash does that locally. */
function laneOf(partitionKey: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < partitionKey.length; i++) h = (h * 31 + partitionKey.charCodeAt(i)) % 2147483647;
  return h % lanes;
}

export { eventIdOf };
