import type { Context } from 'aws-lambda';
import { checkpointId } from './checkpoint';
import type { CheckpointStore } from './checkpoint';
import type { UserRecordCursor } from './cursor';
import { RecordDecodeError, RecordHandlerError, RecordNotAttemptedError, messageOf } from './errors';
import type { RecordError } from './errors';
import { comparePositions } from './position';
import type { RecordPosition } from './position';
import type { DecodedRecord, KinesisUserRecord } from './records';

/** What a run needs to know; see `ConsumerOptions` for their meaning. */
export interface RunSettings<T> {
  readonly handler: (body: T, record: KinesisUserRecord) => unknown;
  readonly parser?: (data: Buffer, record: KinesisUserRecord) => T;
  readonly strict: boolean;
  readonly keyConcurrency: number;
  readonly checkpoints?: CheckpointStore;
  /** Checkpoints loaded for the batch's keys, by `checkpointId`; given with `checkpoints`. */
  readonly saved?: Map<string, RecordPosition>;
  /** `Date.now()` after which no record is started. */
  readonly deadline?: number;
  readonly context?: Context;
}

function noop(): void {}

/** The outcome of a record whose thenable fulfilled (any other outcome is what it rejected with). */
const FULFILLED: unique symbol = Symbol('fulfilled');

/** One of the `keyConcurrency` workers of a run: the key it has in flight, and the records queued behind it. */
class Lane {
  /** Continue the lane once its record's thenable fulfilled, or rejected: made once per lane, not per record. */
  public readonly fulfilled: () => void;
  public readonly rejected: (error: unknown) => void;
  /** The shard of the key in flight; `undefined` while the lane has nothing in flight. */
  public shard: ShardState | undefined;
  public key = '';
  public bucket = 0;
  /** The record in flight. */
  public record: DecodedRecord | undefined;
  public readonly queue: DecodedRecord[] = [];
  public head = 0;

  constructor(run: { resume(lane: Lane, outcome: unknown): void }) {
    this.fulfilled = () => run.resume(this, FULFILLED);
    this.rejected = (error) => run.resume(this, error);
  }
}

class ShardState {
  /** Keys that failed (or ran out of time): their later records are not handled. */
  public readonly stopped = new Set<string>();
  /** With many lanes: the lane of each key in flight, which would otherwise take a scan of every lane to find. */
  public readonly owners = new Map<string, Lane>();
  /** With checkpoints: the last record handled per partition key. */
  public readonly lastHandled = new Map<string, DecodedRecord>();
  constructor(public readonly shardId: string) {}
}

const DONE = 0;
const STOPPED = 1;
type Attempt = typeof DONE | typeof STOPPED | PromiseLike<unknown>;

const BUCKETS = 256;
/** Up to this many lanes, the lane of a key in flight is found by scanning them; beyond, by a map. */
const SCANNED_LANES = 16;

/**
 * A cheap bucket of a key, from its length, its last three characters and its middle one: a bucket holding no key in
 * flight (or no stopped key) rules a record out without a lookup, and keys that share a bucket only cost the exact
 * check. The last characters are where numbered, hashed and random keys differ (5,000 UUIDs, hex digests, `user-<n>`
 * or `device-<nnnnnn>` keys each fill all 256 buckets).
 */
export function bucketOf(key: string): number {
  const n = key.length;
  if (n < 3) return n === 0 ? 0 : (n + key.charCodeAt(0) * 10 + key.charCodeAt(n - 1)) % BUCKETS;
  return (n + key.charCodeAt(n - 1) + key.charCodeAt(n - 2) * 10 + key.charCodeAt(n - 3) * 100 + key.charCodeAt(Math.floor(n / 2)) * 7) % BUCKETS;
}

/**
 * Handles the user records of a batch as a cursor yields them (each shard's in position order), on at most
 * `keyConcurrency` lanes, each with one key in flight at a time:
 *
 * - a record whose handler returns synchronously is done before the next record is read, so a synchronous handler
 *   runs the batch in one pass on one lane, in event order;
 * - a record whose handler returns a thenable gives its key to the lane while it is awaited: later records of that
 *   key that other lanes read queue on it and are handled, in order, when it settles;
 * - a failure stops its key (in strict mode, its shard): the key's queued and later records are not handled, and the
 *   failing record is reported so that Lambda resumes there.
 *
 * Whether a record's key is in flight or stopped is first asked of two bucket filters, so that most records are
 * handed out without a lookup by key: this is most of what the runtime costs per record beyond the handler.
 */
export class BatchRun<T> {
  public handled = 0;
  public skipped = 0;
  /** The records at which a key stopped. */
  public readonly stops: RecordError[] = [];
  private readonly shards = new Map<string, ShardState>();
  private shard: ShardState | undefined;
  private cursor: UserRecordCursor | undefined;
  private exhausted = false;
  private readonly lanes: Lane[] = [];
  /** Keys in flight per bucket. */
  private readonly inFlight = new Int32Array(BUCKETS);
  /** Whether a key of the bucket stopped. */
  private readonly stoppedBuckets = new Uint8Array(BUCKETS);
  /** Keys in flight, over all buckets. */
  private keysInFlight = 0;
  /** Whether any key stopped. */
  private anyStopped = false;
  /** The shard and key of the record `take()` returned last, and its bucket when `take()` needed it (-1 if not). */
  private takenShard: ShardState | undefined;
  private takenKey = '';
  private takenBucket = -1;
  /** Beyond `SCANNED_LANES` lanes, the lane of a key in flight is kept in `ShardState.owners`. */
  private readonly mapsOwners: boolean;
  /** One record of the run, kept with it (see `latest` in processor.ts). */
  private kept: DecodedRecord | undefined;
  /** Lanes that have not yet found the cursor exhausted with nothing in flight. */
  private activeLanes = 0;
  private finished: () => void = noop;
  private broken: (error: unknown) => void = noop;

  constructor(private readonly settings: RunSettings<T>) {
    this.mapsOwners = settings.keyConcurrency > SCANNED_LANES;
  }

  /** Handles every record of `cursor`; resolves once none is in flight. */
  public run(cursor: UserRecordCursor): Promise<void> {
    this.cursor = cursor;
    return new Promise<void>((resolve, reject) => {
      this.finished = resolve;
      this.broken = reject;
      // A lane runs until its first thenable: with a synchronous handler the first lane handles the whole batch.
      for (let i = 0; i < this.settings.keyConcurrency && !this.exhausted; i++) {
        const lane = new Lane(this);
        this.lanes.push(lane);
        this.activeLanes++;
        this.wait(lane, this.advance(lane));
      }
    });
  }

  /**
   * Continues `lane` once its record settled. Called back by the record's thenable: a callback per lane, rather than
   * an async function awaiting each record, costs a record about 35 ns less on node 20 (a promise reaction instead of
   * an await, which suspends and resumes a generator), which was most of the runtime's overhead per record with an
   * async handler.
   */
  public resume(lane: Lane, outcome: unknown): void {
    try {
      this.wait(lane, this.settle(lane, outcome));
    } catch (error) {
      // Only a bug of the runtime gets here (user code is called inside try blocks): the invocation fails, as it would
      // with an await.
      this.broken(error);
    }
  }

  /** Has `lane` wait for `pending`, or ends it when there is nothing left to handle. */
  private wait(lane: Lane, pending: PromiseLike<unknown> | undefined): void {
    if (pending !== undefined) {
      // A native promise calls back once and never synchronously; anything else is adopted by one first.
      (pending instanceof Promise ? pending : Promise.resolve(pending)).then(lane.fulfilled, lane.rejected);
    } else if (--this.activeLanes === 0) {
      // The run is kept until the next batch (see processor.ts): let go of the invocation's promise, and so of the
      // event its caller still holds, once the run is done.
      const finished = this.finished;
      this.finished = noop;
      this.broken = noop;
      finished();
    }
  }

  /**
   * Saves, per shard and partition key, the position of the last record handled, once the batch is done: an
   * invocation that is about to time out stops starting records `timeoutMarginMillis` ahead, which leaves the time.
   */
  public async saveCheckpoints(): Promise<void> {
    const store = this.settings.checkpoints;
    if (store === undefined) return;
    const saves: Promise<void>[] = [];
    for (const { shardId, lastHandled } of this.shards.values()) {
      for (const [partitionKey, record] of lastHandled) {
        saves.push(store.save({ shardId, partitionKey }, record).catch((error) => {
          // The records were handled; failing them now would repeat their effects. A lost checkpoint only means that a
          // later retry of this batch may handle them again, which is what happens without idempotency.
          console.error(JSON.stringify({ level: 'WARN', message: 'checkpoint not saved', shardId, partitionKey, sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber, cause: messageOf(error) }));
        }));
      }
    }
    await Promise.all(saves);
    // The run outlives the batch (see `latest` in processor.ts); the records, and the buffers they view, must not.
    for (const shard of this.shards.values()) shard.lastHandled.clear();
  }

  /**
   * The next record whose key is free: records of a stopped key are passed over, and those of a key in flight are
   * queued on the lane that has it. While no key is in flight or stopped (a synchronous handler that has not failed),
   * there is nothing to ask of the filters.
   */
  private take(): DecodedRecord | undefined {
    const strict = this.settings.strict;
    for (let record = this.cursor!.next(); record !== undefined; record = this.cursor!.next()) {
      if (this.kept === undefined) this.kept = record;
      const shard = this.shardOf(record.shardId);
      const key = strict ? '' : record.partitionKey;
      let bucket = -1;
      if (this.keysInFlight !== 0 || this.anyStopped) {
        bucket = bucketOf(key);
        if (this.stoppedBuckets[bucket] !== 0 && shard.stopped.has(key)) continue;
        if (this.inFlight[bucket] !== 0) {
          const owner = this.ownerOf(shard, key);
          if (owner !== undefined) {
            owner.queue.push(record);
            continue;
          }
        }
      }
      this.takenShard = shard;
      this.takenKey = key;
      this.takenBucket = bucket;
      return record;
    }
    this.exhausted = true;
    return undefined;
  }

  private ownerOf(shard: ShardState, key: string): Lane | undefined {
    if (this.mapsOwners) return shard.owners.get(key);
    for (const lane of this.lanes) {
      if (lane.shard === shard && lane.key === key) return lane;
    }
    return undefined;
  }

  /**
   * Handles records until one returns a thenable, which the lane then has in flight (and returns), or until the cursor
   * is exhausted (`undefined`). Records whose handler returns synchronously are done on the way.
   */
  private advance(lane: Lane): PromiseLike<unknown> | undefined {
    for (let record = this.take(); record !== undefined; record = this.take()) {
      const shard = this.takenShard!;
      const key = this.takenKey;
      const attempt = this.attempt(shard, key, record);
      if (attempt === DONE || attempt === STOPPED) continue;
      // In flight: records of the key that other lanes read from now on queue on this one.
      const bucket = this.takenBucket >= 0 ? this.takenBucket : bucketOf(key);
      lane.shard = shard;
      lane.key = key;
      lane.bucket = bucket;
      lane.record = record;
      this.inFlight[bucket]++;
      this.keysInFlight++;
      if (this.mapsOwners) shard.owners.set(key, lane);
      return attempt;
    }
    return undefined;
  }

  /**
   * The lane's record settled (`outcome` is `FULFILLED` or what it rejected with): the records of its key that queued
   * meanwhile are handled, synchronously as long as their handler is; the next thenable is returned, to be awaited.
   */
  private settle(lane: Lane, outcome: unknown): PromiseLike<unknown> | undefined {
    const shard = lane.shard!;
    const key = lane.key;
    if (outcome !== FULFILLED) {
      this.stop(shard, key, new RecordHandlerError(lane.record!, outcome));
    } else {
      this.succeeded(shard, lane.record!);
      while (lane.head < lane.queue.length) {
        const record = lane.queue[lane.head++];
        const next = this.attempt(shard, key, record);
        if (next === DONE) continue;
        // Stopped: `stop` emptied the queue.
        if (next === STOPPED) break;
        lane.record = record;
        return next;
      }
    }
    this.inFlight[lane.bucket]--;
    this.keysInFlight--;
    lane.shard = undefined;
    lane.record = undefined;
    if (this.mapsOwners) shard.owners.delete(key);
    if (lane.queue.length !== 0) {
      lane.queue.length = 0;
      lane.head = 0;
    }
    return this.advance(lane);
  }

  private shardOf(shardId: string): ShardState {
    if (this.shard !== undefined && this.shard.shardId === shardId) return this.shard;
    let shard = this.shards.get(shardId);
    if (shard === undefined) this.shards.set(shardId, shard = new ShardState(shardId));
    return this.shard = shard;
  }

  /** Handles one record; returns a thenable when the handler returned one. */
  private attempt(shard: ShardState, key: string, record: DecodedRecord): Attempt {
    if (record.decodeError !== undefined) {
      this.stop(shard, key, record.decodeError);
      return STOPPED;
    }
    const settings = this.settings;
    if (settings.saved !== undefined) {
      const saved = settings.saved.get(checkpointId(record));
      if (saved !== undefined && comparePositions(record, saved) <= 0) {
        this.skipped++;
        return DONE;
      }
    }
    // Once something was handled: an invocation that stops before its first record would be retried identically until
    // its attempts ran out, sending a healthy batch to the failure destination.
    if (settings.deadline !== undefined && this.handled > 0 && Date.now() >= settings.deadline) {
      this.stop(shard, key, new RecordNotAttemptedError(record, settings.context!.getRemainingTimeInMillis()));
      return STOPPED;
    }
    let data: Buffer;
    try {
      data = record.data;
    } catch (error) {
      // A plain record's data is decoded here, when it is handled: not base64 is the record's failure, not the handler's.
      this.stop(shard, key, error instanceof RecordDecodeError ? error : new RecordDecodeError(record, error));
      return STOPPED;
    }
    let result: { then?: unknown } | undefined;
    try {
      const body = settings.parser !== undefined ? settings.parser(data, record) : data as unknown as T;
      result = settings.handler(body, record) as { then?: unknown } | undefined;
    } catch (error) {
      this.stop(shard, key, new RecordHandlerError(record, error));
      return STOPPED;
    }
    // Awaiting only real thenables keeps synchronous handlers free of a microtask per record.
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') return result as PromiseLike<unknown>;
    this.succeeded(shard, record);
    return DONE;
  }

  private succeeded(shard: ShardState, record: DecodedRecord): void {
    this.handled++;
    if (this.settings.checkpoints !== undefined) shard.lastHandled.set(record.partitionKey, record);
  }

  /** Stops a key at `error`'s record: the records queued behind it, and its later ones, are not handled. */
  private stop(shard: ShardState, key: string, error: RecordError): void {
    this.stops.push(error);
    shard.stopped.add(key);
    const bucket = bucketOf(key);
    this.stoppedBuckets[bucket] = 1;
    this.anyStopped = true;
    const owner = this.inFlight[bucket] === 0 ? undefined : this.ownerOf(shard, key);
    if (owner !== undefined && owner.queue.length !== 0) {
      owner.queue.length = 0;
      owner.head = 0;
    }
  }
}
