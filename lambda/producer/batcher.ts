/**
 * Builds PutRecords requests: retries that are due first, then ready keys lane by lane (a lane is a predicted
 * shard), within the request's entry and byte limits and the shards' rate. With aggregation on, the ready records
 * of one shard are packed into KPL aggregates; records are never aggregated across shards.
 */
import { RecordAggregator } from '../aggregation';
import { Entry, entryKeys, PendingRecord } from './entry';
import { KeyQueues } from './key-queues';
import { ShardRateLimiter } from './rate-limiter';
import { ShardMap } from './shard-map';

/** The lane of keys whose shard is unknown: no map yet, or a hash key in a reshard gap. Sent plain and unlimited. */
export const UNKNOWN_LANE = '';

export interface BatcherOptions {
  readonly aggregate: boolean;
  /** Largest aggregate, data plus partition key. */
  readonly aggregationMaxBytes: number;
  readonly maxEntriesPerRequest: number;
  readonly maxRequestBytes: number;
}

export interface BuiltRequest {
  readonly entries: Entry[];
  /** When something that is waiting now (backoff, shard rate) may be sendable; undefined when nothing waits. */
  readonly wakeAt?: number;
  /** Retries are due but were not taken because no request was to be built (`buildNew` false). */
  readonly dueRetries: boolean;
}

export class Batcher {
  /** Entries waiting for their backoff to end. Their keys stay held, so nothing of theirs overtakes them. */
  private readonly retries: Entry[] = [];
  private laneCursor = 0;

  constructor(
    private readonly queues: KeyQueues,
    private readonly options: BatcherOptions,
    private readonly shardMap?: ShardMap,
    private readonly limiter?: ShardRateLimiter,
  ) {}

  /** The lane a record belongs to under the current shard map. */
  public laneOf(record: PendingRecord): string {
    return this.shardMap?.lookup(record.hashKey)?.shardId ?? UNKNOWN_LANE;
  }

  public scheduleRetry(entry: Entry): void {
    this.retries.push(entry);
  }

  /** Takes every entry waiting for a retry, for a producer that is closing. */
  public removeRetries(): Entry[] {
    return this.retries.splice(0, this.retries.length);
  }

  /**
   * The next request's entries; `buildNew` false (the buffer time is not up, no flush waits) builds nothing.
   *
   * Due retries come first, but they ride in the requests that are built anyway, as the KPL puts a failed record
   * back into its pipeline: a retry alone does not start a request before the buffer time (the producer lingers for
   * it as for a new record), and a rate-limited shard takes its retries only when it is admitted for new records
   * too, so they share that request instead of each travelling alone on the few tokens that trickle in.
   *
   * A request is started only by a shard that is admitted (half its burst back), but once it has entries it goes
   * anyway, so a second pass lets every other shard with rate left join it with what its tokens allow. Without
   * that pass, shards whose buckets refill out of step (one slowed by a throttle, one refunded for failed entries)
   * each wait for their own half burst and travel alone: on a saturated two-shard stream that is twice the calls
   * for the same records, and it is what the calls per record with faults measured, not the retries. Drained
   * together, the shards refill together, so the next request again carries all of them.
   */
  public next(now: number, buildNew = true): BuiltRequest {
    const build: Build = { request: new RequestSpace(this.options.maxEntriesPerRequest, this.options.maxRequestBytes), now, dueRetries: false };
    this.takeRetries(build, buildNew, false);
    const lanes = buildNew ? this.queues.readyLanes() : [];
    this.fillLanes(build, lanes, false);
    if (build.request.entries.length > 0 && !build.request.full) {
      this.takeRetries(build, buildNew, true);
      this.fillLanes(build, this.queues.readyLanes(), true);
    }
    // Start the next request at the following lane, so one busy shard does not always go first.
    this.laneCursor = lanes.length === 0 ? 0 : (this.laneCursor + 1) % lanes.length;
    return { entries: build.request.entries, wakeAt: build.wakeAt, dueRetries: build.dueRetries };
  }

  /** @param joining the request has entries already: a shard with any rate left may join it (see {@link next}) */
  private takeRetries(build: Build, buildNew: boolean, joining: boolean): void {
    const { request, now } = build;
    for (let i = 0; i < this.retries.length && !request.full;) {
      const entry = this.retries[i];
      if (entry.notBefore > now) {
        wake(build, entry.notBefore);
        i++;
        continue;
      }
      if (!buildNew) {
        build.dueRetries = true;
        i++;
        continue;
      }
      this.retries.splice(i, 1);
      for (const e of this.repredict(entry)) {
        if (!request.fits(e.sizeBytes) || (e.shardId !== undefined && !this.admit(e.shardId, build, joining))) {
          // Back in the queue, behind nothing: it is still the oldest work for its keys.
          this.retries.splice(i++, 0, e);
          continue;
        }
        this.charge(e, now);
        request.add(e);
      }
    }
  }

  /** @param joining the request has entries already: a shard with any rate left may join it (see {@link next}) */
  private fillLanes(build: Build, lanes: readonly string[], joining: boolean): void {
    for (let n = 0; n < lanes.length && !build.request.full; n++) {
      const lane = lanes[(this.laneCursor + n) % lanes.length];
      if (this.options.aggregate && lane !== UNKNOWN_LANE) this.fillAggregated(lane, build, joining);
      else this.fillPlain(lane, build, joining);
    }
  }

  private fillPlain(lane: string, build: Build, joining: boolean): void {
    const { request, now } = build;
    if (!this.admit(lane, build, joining)) return;
    for (const key of this.queues.readyKeys(lane)) {
      const head = this.queues.waitingOf(key)[0];
      if (request.full || !request.fits(head.sizeBytes)) return;
      if (!this.hasRoom(lane, build)) return;
      const [record] = this.queues.take(key, 1);
      const entry = plainEntry(record, lane === UNKNOWN_LANE ? undefined : lane, this.shardMap?.version ?? 0);
      this.charge(entry, now);
      request.add(entry);
    }
  }

  private fillAggregated(lane: string, build: Build, joining: boolean): void {
    const { request, now } = build;
    if (!this.admit(lane, build, joining)) return;
    let aggregator: RecordAggregator | undefined;
    let members: PendingRecord[] = [];
    const finish = () => {
      if (aggregator && members.length > 0) {
        const entry = aggregateEntry(aggregator, members, lane, this.shardMap?.version ?? 0);
        this.charge(entry, now);
        request.add(entry);
      }
      aggregator = undefined;
      members = [];
    };

    for (const key of this.queues.readyKeys(lane)) {
      if (!aggregator) {
        if (request.full || request.bytesLeft <= 0 || !this.hasRoom(lane, build)) return;
        aggregator = new RecordAggregator({ maxBytes: Math.min(this.options.aggregationMaxBytes, request.bytesLeft) });
      }
      const waiting = this.queues.waitingOf(key);
      const total = waiting.length;
      let n = 0;
      while (n < total && aggregator.add(waiting[n].record)) n++;
      if (n > 0) {
        // A key's records go into one entry, in order; the rest wait for this entry to be acknowledged.
        members.push(...this.queues.take(key, n));
        if (n < total) finish();
        continue;
      }
      if (aggregator.count > 0) {
        finish();
        // The key is still ready: it gets a fresh aggregate if the request and the shard have room.
        if (request.full || request.bytesLeft <= 0 || !this.hasRoom(lane, build)) return;
        aggregator = new RecordAggregator({ maxBytes: Math.min(this.options.aggregationMaxBytes, request.bytesLeft) });
        while (n < total && aggregator.add(waiting[n].record)) n++;
        if (n > 0) {
          members.push(...this.queues.take(key, n));
          if (n < total) finish();
          continue;
        }
      }
      // Too big to aggregate (larger than the aggregation limit, though valid): it goes alone, if the request has room.
      const head = waiting[0];
      if (!request.fits(head.sizeBytes)) {
        aggregator = undefined;
        return;
      }
      const entry = plainEntry(this.queues.take(key, 1)[0], lane, this.shardMap?.version ?? 0);
      this.charge(entry, now);
      request.add(entry);
      aggregator = undefined;
    }
    finish();
  }

  /**
   * Whether the lane's shard may take an entry in this request: a lane the request already has needs only a token
   * left, and so does a new one joining a request that has entries already; a new one starting a request must be
   * admitted (half its burst back). If not, note when it will. The unknown lane is not limited.
   * @param joining the request goes anyway: any rate left is enough to join it
   */
  private admit(lane: string, build: Build, joining: boolean): boolean {
    if (!this.limiter || lane === UNKNOWN_LANE) return true;
    const { request, now } = build;
    if (request.lanes.has(lane) || joining) {
      if (!this.hasRoom(lane, build)) return false;
      request.lanes.add(lane);
      return true;
    }
    if (this.limiter.canSend(lane, now)) {
      request.lanes.add(lane);
      return true;
    }
    wake(build, this.limiter.readyAt(lane, now));
    return false;
  }

  /** Whether a lane admitted for this request still has rate for one more entry. */
  private hasRoom(lane: string, build: Build): boolean {
    if (!this.limiter || lane === UNKNOWN_LANE) return true;
    if (this.limiter.hasRoom(lane, build.now)) return true;
    wake(build, this.limiter.readyAt(lane, build.now));
    return false;
  }

  private charge(entry: Entry, now: number): void {
    if (this.limiter && entry.shardId !== undefined) this.limiter.take(entry.shardId, 1, entry.sizeBytes, now);
  }

  /**
   * Re-checks a retried entry against a shard map that changed since it was built. A plain record only gets a new
   * prediction. An aggregate whose records now belong to several shards is split into one aggregate per shard:
   * sent as is, a consumer of the new shard would drop the records outside its range.
   */
  private repredict(entry: Entry): Entry[] {
    const map = this.shardMap;
    if (!map || entry.mapVersion === map.version) return [entry];
    if (!entry.aggregated) {
      entry.shardId = map.lookup(entry.records[0].hashKey)?.shardId;
      entry.mapVersion = map.version;
      return [entry];
    }
    const byLane = new Map<string, PendingRecord[]>();
    for (const r of entry.records) {
      const lane = this.laneOf(r);
      byLane.set(lane, [...(byLane.get(lane) ?? []), r]);
    }
    if (byLane.size === 1 && byLane.has(entry.shardId ?? UNKNOWN_LANE)) {
      entry.mapVersion = map.version;
      return [entry];
    }
    const parts: Entry[] = [];
    for (const [lane, records] of byLane) {
      if (lane === UNKNOWN_LANE) {
        parts.push(...records.map((r) => plainEntry(r, undefined, map.version)));
        continue;
      }
      // A subset of an aggregate that fitted always fits again.
      const aggregator = new RecordAggregator({ maxBytes: Number.MAX_SAFE_INTEGER });
      records.forEach((r) => aggregator.add(r.record));
      parts.push(aggregateEntry(aggregator, records, lane, map.version));
    }
    for (const part of parts) {
      part.attempts = entry.attempts;
      part.timeouts = entry.timeouts;
      part.firstAttemptAt = entry.firstAttemptAt;
      part.possibleDuplicate = entry.possibleDuplicate;
      for (const key of entryKeys(part)) this.queues.hold(key);
    }
    for (const key of entryKeys(entry)) this.queues.release(key);
    return parts;
  }
}

/** The request being built, and what the build learnt about when to try again. */
interface Build {
  readonly request: RequestSpace;
  readonly now: number;
  /** When something that is waiting now (backoff, shard rate) may be sendable. */
  wakeAt?: number;
  /** Retries were due but not taken because no request was to be built. */
  dueRetries: boolean;
}

function wake(build: Build, at: number): void {
  build.wakeAt = build.wakeAt === undefined ? at : Math.min(build.wakeAt, at);
}

class RequestSpace {
  public readonly entries: Entry[] = [];
  /** Rate-limited lanes admitted into this request. */
  public readonly lanes = new Set<string>();
  private bytes = 0;

  constructor(private readonly maxEntries: number, private readonly maxBytes: number) {}

  public get full(): boolean {
    return this.entries.length >= this.maxEntries || this.bytes >= this.maxBytes;
  }

  public get bytesLeft(): number {
    return this.maxBytes - this.bytes;
  }

  public fits(sizeBytes: number): boolean {
    return this.entries.length < this.maxEntries && this.bytes + sizeBytes <= this.maxBytes;
  }

  public add(entry: Entry): void {
    this.entries.push(entry);
    this.bytes += entry.sizeBytes;
  }
}

function newEntry(fields: Pick<Entry, 'records' | 'partitionKey' | 'explicitHashKey' | 'data' | 'sizeBytes' | 'aggregated' | 'shardId' | 'mapVersion'>): Entry {
  return { ...fields, attempts: 0, timeouts: 0, firstAttemptAt: 0, notBefore: 0, possibleDuplicate: false };
}

export function plainEntry(record: PendingRecord, shardId: string | undefined, mapVersion: number): Entry {
  return newEntry({
    records: [record],
    partitionKey: record.record.partitionKey,
    explicitHashKey: record.record.explicitHashKey,
    data: record.record.data,
    sizeBytes: record.sizeBytes,
    aggregated: false,
    shardId,
    mapVersion,
  });
}

function aggregateEntry(aggregator: RecordAggregator, members: PendingRecord[], shardId: string, mapVersion: number): Entry {
  const encoded = aggregator.drain()!;
  return newEntry({
    records: members,
    partitionKey: encoded.partitionKey,
    // The first record's hash key lies in the shard's range; pinning it makes Kinesis route the aggregate to the
    // shard the records were grouped for, whatever the enclosing partition key would hash to.
    explicitHashKey: encoded.aggregated ? members[0].hashKey.toString() : encoded.explicitHashKey,
    data: encoded.data,
    sizeBytes: encoded.sizeBytes,
    aggregated: encoded.aggregated,
    shardId,
    mapVersion,
  });
}
