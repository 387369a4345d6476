/**
 * The batching producer: buffers user records, sends them in PutRecords calls (several in flight), retries only
 * what failed, keeps each partition key's order, and settles every record with its own result.
 */
import { PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { Batcher, UNKNOWN_LANE } from './batcher';
import { Entry, entryKeys, PendingRecord } from './entry';
import { ProducerErrorCode, RecordError } from './errors';
import { effectiveHashKey, PartitionKeyHashes } from './hash-key';
import { InFlightCalls } from './in-flight-calls';
import { KeyQueues } from './key-queues';
import { KinesisProducerOptions, ProducerDefaults, ResolvedOptions, resolveOptions } from './options';
import { ProducerMetrics, ProducerMetricsSnapshot } from './producer-metrics';
import { ShardRateLimiter } from './rate-limiter';
import { RequestDeadline } from './request-deadline';
import { failedResult as failure, PutResult } from './result';
import { ClassifiedFailure, classifyEntryError, classifyRequestError, FailureKind, RetryPolicy } from './retry-policy';
import { putRecords, RequestTimeoutError } from './sender';
import { ShardMap } from './shard-map';
import { StreamTarget } from './stream';
import { KinesisLimits } from '../../src/validation/limits';
import { UserRecord } from '../aggregation';
import { recordSizeBytes, validateRecord } from './validation';

/** Whether an entry was refused by itself (in a PutRecords response) or with its whole request. */
const enum FailureScope {
  ENTRY,
  /** The service answered the request with an error (a 5xx): it did not count the entries against the shard. */
  REQUEST,
  /**
   * The request got no answer (timed out, its connection broke): it may have been written, and counted against the
   * shard's rate, in full.
   */
  UNANSWERED,
}

/**
 * Writes user records to a Kinesis data stream in batches.
 *
 * ```ts
 * const producer = new KinesisProducer({ client, streamName: 'telemetry' });
 * const results = await producer.putAll(records);   // one PutResult per record, in input order
 * const failed = results.filter((r) => !r.succeeded);
 * ```
 *
 * Records that share a partition key reach the stream in the order they were submitted: a key never has two
 * entries on the wire, so a retried record cannot be overtaken by a later one. No method rejects for a record's
 * failure; every record gets a {@link PutResult}.
 */
export class KinesisProducer {
  private readonly options: ResolvedOptions;
  private readonly stream: StreamTarget;
  private readonly queues = new KeyQueues();
  private readonly batcher: Batcher;
  private readonly shardMap?: ShardMap;
  private readonly limiter?: ShardRateLimiter;
  private readonly policy: RetryPolicy;
  private readonly deadline: RequestDeadline;
  private readonly counters = new ProducerMetrics();
  private readonly hashes = new PartitionKeyHashes();
  private readonly inFlight: InFlightCalls;
  private submitted = 0;
  private outstanding = 0;
  private eager = false;
  private draining = 0;
  private closed = false;
  private pumpScheduled = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private wakeTimer: { at: number; handle: NodeJS.Timeout } | undefined;
  /**
   * Submission epochs: `flush()` closes the current one and waits only for the records of the epochs up to it, so a
   * stream of puts after the call cannot keep it waiting. Keys are in ascending order (epochs only grow, and only
   * the current one can be re-added), so the first key is the oldest epoch with records outstanding.
   */
  private epoch = 0;
  private readonly outstandingByEpoch = new Map<number, number>();
  private flushWaiters: Array<{ readonly epoch: number; readonly resolve: () => void }> = [];
  private mapListener: Promise<void> | undefined;
  private mapVersionSeen = 0;

  constructor(options: KinesisProducerOptions) {
    this.options = resolveOptions(options);
    this.stream = { streamName: options.streamName, streamArn: options.streamArn };
    if (!this.stream.streamName && !this.stream.streamArn) throw new Error('KinesisProducer needs a streamName or a streamArn');
    if (this.options.aggregate || this.options.rateLimit) {
      this.shardMap = new ShardMap(this.options.client, this.stream, {
        refreshIntervalMs: this.options.shardMapRefreshIntervalMs,
        minRefreshGapMs: ProducerDefaults.SHARD_MAP_MIN_REFRESH_GAP_MS,
        requestTimeoutMs: this.options.requestTimeoutMs,
      });
    }
    if (this.options.rateLimit) {
      this.limiter = new ShardRateLimiter({
        percentOfShardLimit: this.options.percentOfShardLimit,
        burstSeconds: ProducerDefaults.RATE_LIMIT_BURST_SECONDS,
      });
    }
    this.policy = new RetryPolicy({
      maxAttempts: this.options.maxAttempts,
      retryTimeoutMs: this.options.retryTimeoutMs,
      throttledBaseDelayMs: ProducerDefaults.THROTTLED_BASE_DELAY_MS,
      transientBaseDelayMs: ProducerDefaults.TRANSIENT_BASE_DELAY_MS,
      maxDelayMs: ProducerDefaults.MAX_DELAY_MS,
      random: this.options.random,
    });
    this.deadline = new RequestDeadline({ minMs: this.options.minRequestTimeoutMs, maxMs: this.options.requestTimeoutMs });
    this.inFlight = new InFlightCalls(this.deadline);
    this.batcher = new Batcher(this.queues, {
      aggregate: this.options.aggregate,
      aggregationMaxBytes: this.options.aggregationMaxBytes,
      maxEntriesPerRequest: KinesisLimits.MAX_RECORDS_PER_PUT_RECORDS,
      maxRequestBytes: this.options.maxRequestBytes,
    }, this.shardMap, this.limiter);
  }

  /** Counters since the producer was created. */
  public get metrics(): ProducerMetricsSnapshot {
    return this.counters.snapshot(this.queues.waitingRecords, this.inFlight.size, this.deadline);
  }

  /**
   * Buffers one record; resolves when it is written or has failed for good.
   * @param index what the result and its error call the record; defaults to a submission counter
   */
  public put(record: UserRecord, index?: number): Promise<PutResult> {
    const i = index ?? this.submitted;
    this.submitted++;
    return new Promise((resolve) => this.submit(record, i, resolve));
  }

  /** Buffers records; resolves with one result per record, in input order (`index` is the array position). */
  public putAll(records: readonly UserRecord[]): Promise<PutResult[]> {
    this.submitted += records.length;
    return Promise.all(records.map((record, index) => new Promise<PutResult>((resolve) => this.submit(record, index, resolve))));
  }

  /**
   * Sends everything buffered now and resolves when every record submitted before the call is settled. Records
   * submitted while it waits are sent as usual but not waited for: under a continuous stream of puts, a flush
   * resolves as soon as its own records are done.
   */
  public async flush(): Promise<void> {
    if (this.outstanding === 0) return;
    const epoch = this.epoch++;
    if (this.settledUpTo(epoch)) return;
    // While a flush waits, requests are built at once: its records must not linger for the buffer time.
    this.draining++;
    this.schedulePump();
    try {
      await new Promise<void>((resolve) => this.flushWaiters.push({ epoch, resolve }));
    } finally {
      this.draining--;
    }
  }

  /**
   * Settles every outstanding record as failed with `code` (for a function about to time out). Records in flight
   * may still land; their results say `possibleDuplicate`. Later puts work as usual.
   */
  public abandon(code: string = ProducerErrorCode.PRODUCER_CLOSED, message = 'the producer gave up on the record'): void {
    const fail = (p: PendingRecord, attempts: number, possibleDuplicate: boolean) => p.settle(failure(p, code, message, attempts, true, possibleDuplicate));
    for (const p of this.queues.removeAll()) fail(p, 0, false);
    for (const e of this.batcher.removeRetries()) {
      e.records.forEach((p) => fail(p, e.attempts, e.possibleDuplicate));
      entryKeys(e).forEach((k) => this.queues.release(k));
    }
    for (const entries of this.inFlight.batches()) {
      for (const e of entries) {
        // Its response will only release the keys: the caller already has these records back.
        e.abandoned = true;
        e.records.forEach((p) => fail(p, e.attempts, true));
      }
    }
  }

  /** Refuses further records, then flushes: resolves when every record submitted before it is settled. */
  public async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.clearTimers();
  }

  private settledUpTo(epoch: number): boolean {
    const oldest = this.outstandingByEpoch.keys().next();
    return oldest.done === true || oldest.value > epoch;
  }

  private submit(record: UserRecord, index: number, resolve: (r: PutResult) => void): void {
    const problem = this.closed ? 'the producer is closed' : validateRecord(record, this.options.maxRecordSizeBytes);
    if (problem !== undefined) {
      const code = this.closed ? ProducerErrorCode.PRODUCER_CLOSED : ProducerErrorCode.VALIDATION;
      const partitionKey = typeof record?.partitionKey === 'string' ? record.partitionKey : String(record?.partitionKey);
      this.counters.failed++;
      resolve({
        index,
        record,
        succeeded: false,
        attempts: 0,
        possibleDuplicate: false,
        error: new RecordError({ code, message: problem, index, partitionKey, attempts: 0, retryable: false }),
      });
      return;
    }
    this.outstanding++;
    const epoch = this.epoch;
    this.outstandingByEpoch.set(epoch, (this.outstandingByEpoch.get(epoch) ?? 0) + 1);
    let settled = false;
    const pending: PendingRecord = {
      record,
      index,
      hashKey: record.explicitHashKey === undefined ? this.hashes.of(record.partitionKey) : effectiveHashKey(record.partitionKey, record.explicitHashKey),
      sizeBytes: recordSizeBytes(record),
      enqueuedAt: Date.now(),
      settle: (result) => {
        // A record abandoned while in flight is settled once; its late response is ignored.
        if (settled) return;
        settled = true;
        if (result.succeeded) this.counters.succeeded++;
        else this.counters.failed++;
        resolve(result);
        const left = this.outstandingByEpoch.get(epoch)! - 1;
        if (left > 0) this.outstandingByEpoch.set(epoch, left);
        else this.outstandingByEpoch.delete(epoch);
        while (this.flushWaiters.length > 0 && this.settledUpTo(this.flushWaiters[0].epoch)) this.flushWaiters.shift()!.resolve();
        if (--this.outstanding === 0) {
          // Nothing left to wait for: no timer may keep the process (or a test runner) alive.
          this.clearTimers();
          this.eager = false;
        }
      },
    };
    this.queues.enqueue(pending, this.batcher.laneOf(pending));
    if (this.queues.waitingRecords >= this.options.maxBufferedRecords || this.queues.waitingBytes >= this.options.maxRequestBytes) {
      this.eager = true;
    } else {
      this.linger();
    }
    this.schedulePump();
  }

  /** Starts the buffer time, unless it is running or requests are being built at once anyway. */
  private linger(): void {
    if (this.eager || this.lingerTimer) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.eager = true;
      this.pump();
    }, this.options.bufferTimeMs);
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // After the caller's synchronous burst of puts, so they share requests.
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    this.watchShardMap();
    // Until the first map is in, every key would land in the unknown lane: wait for it (unless it failed).
    if (this.shardMap && !this.shardMap.loaded && this.shardMap.refreshing) return;
    const buildNew = this.eager || this.draining > 0;
    while (this.inFlight.size < this.options.maxInFlightRequests) {
      const { entries, wakeAt, dueRetries } = this.batcher.next(Date.now(), buildNew);
      if (wakeAt !== undefined) this.wakeAt(wakeAt);
      // A due retry waits for company like a new record: at most the buffer time.
      if (dueRetries) this.linger();
      if (entries.length === 0) break;
      this.send(entries);
    }
    if (this.queues.waitingRecords === 0) this.eager = false;
  }

  private watchShardMap(): void {
    const map = this.shardMap;
    if (!map) return;
    if (map.version !== this.mapVersionSeen) {
      this.mapVersionSeen = map.version;
      this.queues.relane((p) => this.batcher.laneOf(p));
      this.limiter?.retain(new Set(map.openShards.map((s) => s.shardId)));
    }
    if (this.mapListener) return;
    const refresh = map.refreshIfDue();
    if (!refresh) return;
    this.counters.shardMapRefreshes++;
    this.mapListener = refresh.then(() => {
      this.mapListener = undefined;
      this.schedulePump();
    });
  }

  private send(entries: Entry[]): void {
    const now = Date.now();
    let timeouts = 0;
    for (const e of entries) {
      if (e.attempts === 0) e.firstAttemptAt = now;
      e.attempts++;
      timeouts = Math.max(timeouts, e.timeouts);
    }
    this.counters.requests++;
    this.counters.entries += entries.length;
    // The keys of these entries stay held until the call is answered or abandoned: the deadline bounds how long an
    // unanswered call can stall them. Their retry is still the one entry of its keys, so order holds.
    putRecords(this.options.client, this.stream, entries, this.inFlight.start(entries, timeouts))
      .then((results) => {
        this.deadline.observe(Date.now() - now);
        this.onResults(entries, results);
      }, (err) => {
        if (err instanceof RequestTimeoutError) {
          this.counters.requestTimeouts++;
          for (const e of entries) e.timeouts++;
        }
        this.onRequestError(entries, err);
      })
      .catch((err) => {
        // A bug in result handling must not leave records unsettled forever.
        for (const e of entries) e.records.forEach((p) => p.settle(failure(p, 'ProducerError', String(err), e.attempts, true, true)));
      })
      .finally(() => {
        // After observe(): the deadlines of the calls still in flight are checked against what this answer taught.
        this.inFlight.finish(entries);
        this.schedulePump();
      });
  }

  private onResults(entries: readonly Entry[], results: readonly PutRecordsResultEntry[]): void {
    entries.forEach((e, i) => {
      const r = results[i];
      if (r.ErrorCode) {
        this.onEntryFailure(e, classifyEntryError(r.ErrorCode, r.ErrorMessage ?? ''), FailureScope.ENTRY);
        return;
      }
      if (e.shardId !== undefined && r.ShardId && r.ShardId !== e.shardId) {
        // The stream was resharded under us: the map is stale.
        this.counters.wrongShard++;
        this.shardMap?.invalidate();
        if (e.aggregated) {
          this.onAggregateOnWrongShard(e, r);
          return;
        }
      }
      this.succeed(e, e.records, r);
    });
  }

  private onRequestError(entries: readonly Entry[], err: unknown): void {
    const failureOfRequest = classifyRequestError(err);
    this.counters.requestErrors++;
    const answered = err as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } } | undefined;
    const status = answered?.$metadata?.httpStatusCode ?? answered?.$response?.statusCode;
    const scope = failureOfRequest.ambiguous && status === undefined ? FailureScope.UNANSWERED : FailureScope.REQUEST;
    for (const e of entries) this.onEntryFailure(e, failureOfRequest, scope);
  }

  private succeed(e: Entry, records: readonly PendingRecord[], r: PutRecordsResultEntry): void {
    // Positions inside the aggregate, looked up once: indexOf per record would be quadratic in the aggregate size.
    const position = e.aggregated ? new Map(e.records.map((p, i) => [p, i])) : undefined;
    records.forEach((p) => p.settle({
      index: p.index,
      record: p.record,
      succeeded: true,
      shardId: r.ShardId,
      sequenceNumber: r.SequenceNumber,
      subSequenceNumber: position?.get(p),
      attempts: e.attempts,
      possibleDuplicate: e.possibleDuplicate,
    }));
    entryKeys(e).forEach((k) => this.queues.release(k));
  }

  /**
   * An aggregate landed on a shard other than the one its records were grouped for. A consumer that checks hash
   * ranges (the KCL does) drops the user records outside the landing shard's range, so those are sent again, in a
   * new aggregate built from the refreshed map; their keys stay held until then, so order holds. The ones inside
   * the range are delivered. This is the one case where a record may be written twice on purpose: a consumer that
   * does not check ranges sees the re-sent records twice, and their results say `possibleDuplicate`.
   */
  private onAggregateOnWrongShard(e: Entry, r: PutRecordsResultEntry): void {
    const map = this.shardMap!;
    // When the map already knows the landing shard it is newer than the prediction; otherwise it must be reloaded.
    const fresh = map.shard(r.ShardId!) ? Promise.resolve() : map.refresh();
    void fresh.then(() => {
      const landed = map.shard(r.ShardId!);
      const inRange = (p: PendingRecord) => landed !== undefined && p.hashKey >= landed.startingHashKey && p.hashKey <= landed.endingHashKey;
      const delivered = e.records.filter(inRange);
      const resend = e.records.filter((p) => !inRange(p));
      if (resend.length > 0) {
        const again: Entry = { ...e, records: resend, shardId: undefined, mapVersion: -1, notBefore: 0, possibleDuplicate: true };
        entryKeys(again).forEach((k) => this.queues.hold(k));
        this.batcher.scheduleRetry(again);
        this.counters.resentAfterReshard += resend.length;
      }
      this.succeed(e, delivered, r);
      this.schedulePump();
    });
  }

  /** @param scope whether the entry alone was refused or the request it was in failed as a whole */
  private onEntryFailure(e: Entry, f: ClassifiedFailure, scope: FailureScope): void {
    if (e.abandoned) {
      entryKeys(e).forEach((k) => this.queues.release(k));
      return;
    }
    const now = Date.now();
    e.lastFailure = f;
    if (f.ambiguous) e.possibleDuplicate = true;
    if (f.kind === FailureKind.THROTTLED) this.counters.throttled++;
    else if (f.kind === FailureKind.TRANSIENT) this.counters.transientFailures++;
    if (e.shardId !== undefined && e.shardId !== UNKNOWN_LANE) {
      // Kinesis counts neither a refused entry nor (as a rule) a request it answered with an error against the
      // shard, so the tokens go back; keeping them would pace the shard below its limit for every failure. An
      // unanswered request keeps them: it was most likely written, and a refund would then be credit the shard does
      // not have. Measured with 2% of calls hung: refunded, that credit survived on a saturated shard (each entry it
      // sent was throttled and refunded in turn) and came back as a storm of throttled entries every second. Only a
      // shard's own throttling of the entry slows its pace.
      if (scope !== FailureScope.UNANSWERED) this.limiter?.refund(e.shardId, 1, e.sizeBytes, now);
      if (scope === FailureScope.ENTRY && f.kind === FailureKind.THROTTLED) this.limiter?.throttled(e.shardId, now);
    }
    const delay = this.policy.nextDelay(f, e.attempts, e.firstAttemptAt, now);
    if (delay === undefined) {
      this.failForGood(e, f);
      return;
    }
    e.notBefore = now + delay;
    this.counters.retries++;
    this.batcher.scheduleRetry(e);
    this.wakeAt(e.notBefore);
  }

  private failForGood(e: Entry, f: ClassifiedFailure): void {
    const retryable = f.kind !== FailureKind.FATAL;
    e.records.forEach((p) => p.settle(failure(p, f.code, f.message, e.attempts, retryable, e.possibleDuplicate)));
    for (const key of entryKeys(e)) {
      if (this.options.haltKeyOnFailure) {
        const first = e.records.find((p) => p.record.partitionKey === key)!;
        for (const p of this.queues.removeWaiting(key)) {
          p.settle(failure(p, ProducerErrorCode.PRECEDING_RECORD_FAILED,
            `record ${first.index} of the same partition key failed (${f.code}); this one was not sent, to keep the key's order`, 0, true, false));
        }
      }
      this.queues.release(key);
    }
  }

  private wakeAt(at: number): void {
    if (this.wakeTimer && this.wakeTimer.at <= at) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer.handle);
    const handle = setTimeout(() => {
      this.wakeTimer = undefined;
      this.pump();
    }, Math.max(0, at - Date.now()));
    this.wakeTimer = { at, handle };
  }

  private clearTimers(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer.handle);
    this.lingerTimer = undefined;
    this.wakeTimer = undefined;
  }
}
