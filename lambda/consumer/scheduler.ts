import type { Context } from 'aws-lambda';
import { checkpointId } from './checkpoint';
import type { CheckpointStore } from './checkpoint';
import type { UserRecordCursor } from './cursor';
import { RecordDecodeError, RecordHandlerError, RecordNotAttemptedError, messageOf } from './errors';
import type { RecordError } from './errors';
import { comparePositions } from './position';
import type { RecordPosition } from './position';
import type { DecodedRecord, KinesisUserRecord } from './records';
import { bucketOf, KEY_BUCKETS } from '../aggregation/key-bucket';

/** What a run needs to know; see `ConsumerOptions` for their meaning. */
export interface RunSettings<T> {
  readonly handler: (body: T, record: KinesisUserRecord) => unknown;
  readonly parser?: (data: Buffer, record: KinesisUserRecord) => T;
  readonly strict: boolean;
  readonly keyConcurrency: number;
  readonly checkpoints?: CheckpointStore;
  /** Checkpoints loaded for the batch's keys, by `checkpointId`; given with `checkpoints`. */
  readonly saved?: Map<string, RecordPosition>;
  /** The shard of every record, when the batch is known to have one (as every batch Lambda delivers does). */
  readonly shardId?: string;
  /** `Date.now()` after which no record is started. */
  readonly deadline?: number;
  readonly context?: Context;
}

function noop(): void {}

/** One of the `keyConcurrency` workers of a run: the key it has in flight, and the records queued behind it. */
class Lane {
  /**
   * Continue the lane once its record's promise fulfilled, or rejected: made once per lane, not per record, and each
   * calls the run's method for its outcome directly (no outcome to test, no frame in between).
   */
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

  constructor(run: { fulfilled(lane: Lane): void; rejected(lane: Lane, error: unknown): void }) {
    this.fulfilled = () => run.fulfilled(this);
    this.rejected = (error) => run.rejected(this, error);
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
/** A record was done, stopped its key, or is in flight: the promise to wait for (a native one, never a thenable). */
type Attempt = typeof DONE | typeof STOPPED | Promise<unknown>;

/** Up to this many lanes, the lane of a key in flight is found by scanning them; beyond, by a map. */
const SCANNED_LANES = 16;

export { bucketOf } from '../aggregation/key-bucket';

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
  private readonly inFlight = new Int32Array(KEY_BUCKETS);
  /** Whether a key of the bucket stopped. */
  private readonly stoppedBuckets = new Uint8Array(KEY_BUCKETS);
  /** Keys in flight, over all buckets. */
  private keysInFlight = 0;
  /** Whether any key stopped. */
  private anyStopped = false;
  /** Beyond `SCANNED_LANES` lanes, the lane of a key in flight is kept in `ShardState.owners`. */
  private readonly mapsOwners: boolean;
  /** One record of the run, kept with it (see `latest` in processor.ts). */
  private kept: DecodedRecord | undefined;
  /** Lanes that have not yet found the cursor exhausted with nothing in flight. */
  private activeLanes = 0;
  private finished: () => void = noop;
  private broken: (error: unknown) => void = noop;

  /** The settings read per record, as fields of the run: one load each instead of two. */
  private readonly handler: RunSettings<T>['handler'];
  private readonly parser: RunSettings<T>['parser'];
  private readonly checkpoints: CheckpointStore | undefined;
  private readonly strict: boolean;
  /** Whether a record must be checked against a checkpoint or the deadline before it is handled. */
  private readonly guarded: boolean;
  /** The state of the batch's only shard, when it has one: no record's shard needs to be looked at. */
  private readonly onlyShard: ShardState | undefined;

  constructor(private readonly settings: RunSettings<T>) {
    this.mapsOwners = settings.keyConcurrency > SCANNED_LANES;
    this.handler = settings.handler;
    this.parser = settings.parser;
    this.checkpoints = settings.checkpoints;
    this.strict = settings.strict;
    this.guarded = settings.saved !== undefined || settings.deadline !== undefined;
    if (settings.shardId !== undefined) this.onlyShard = this.shardOf(settings.shardId);
  }

  /** Handles every record of `cursor`; resolves once none is in flight. */
  public run(cursor: UserRecordCursor): Promise<void> {
    this.cursor = cursor;
    return new Promise<void>((resolve, reject) => {
      this.finished = resolve;
      this.broken = reject;
      // A lane runs until its first promise: with a synchronous handler the first lane handles the whole batch.
      for (let i = 0; i < this.settings.keyConcurrency && !this.exhausted; i++) {
        const lane = new Lane(this);
        this.lanes.push(lane);
        this.activeLanes++;
        this.pump(lane);
      }
    });
  }

  /**
   * `lane`'s record fulfilled: the records of its key that queued meanwhile are handled, then the lane goes on with
   * the batch. Called back by the record's promise: a callback per lane, rather than an async function awaiting each
   * record, is a promise reaction instead of an await, which suspends and resumes a generator.
   *
   * The common case, nothing queued behind the key, takes no call beyond `pump`: the costs of the runtime per record
   * with an async handler were mostly frames and tests between the promise and the next record.
   */
  public fulfilled(lane: Lane): void {
    try {
      const shard = lane.shard!;
      this.handled++;
      if (this.checkpoints !== undefined) shard.lastHandled.set(lane.record!.partitionKey, lane.record!);
      if (lane.head < lane.queue.length) {
        this.drain(lane, shard);
      } else {
        this.release(lane, shard);
        this.pump(lane);
      }
    } catch (error) {
      // Only a bug of the runtime gets here (user code is called inside try blocks): the invocation fails, as it would
      // with an await.
      this.broken(error);
    }
  }

  /** `lane`'s record rejected with `error`: its key stops (and its queue is dropped); the lane goes on with the batch. */
  public rejected(lane: Lane, error: unknown): void {
    try {
      const shard = lane.shard!;
      this.stop(shard, lane.key, new RecordHandlerError(lane.record!, error));
      this.release(lane, shard);
      this.pump(lane);
    } catch (bug) {
      this.broken(bug);
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

  private ownerOf(shard: ShardState, key: string): Lane | undefined {
    if (this.mapsOwners) return shard.owners.get(key);
    for (const lane of this.lanes) {
      if (lane.shard === shard && lane.key === key) return lane;
    }
    return undefined;
  }

  /**
   * Handles the next records of the batch on `lane` until one returns a promise, which the lane then holds (its key is
   * in flight until the promise settles), or until the batch is exhausted, which ends the lane. Records whose handler
   * returns synchronously are done on the way; records of a stopped key are passed over, and those of a key in flight
   * queue on the lane that holds it. While no key is in flight or stopped (a synchronous handler that has not
   * failed), there is nothing to ask of the filters.
   */
  private pump(lane: Lane): void {
    const cursor = this.cursor!;
    const strict = this.strict;
    for (let record = cursor.next(); record !== undefined; record = cursor.next()) {
      if (this.kept === undefined) this.kept = record;
      const shard = this.onlyShard ?? this.shardOf(record.shardId);
      const key = strict ? '' : record.partitionKey;
      let bucket = -1;
      if (this.keysInFlight !== 0 || this.anyStopped) {
        // An aggregate's user record knows its key's bucket from the key table's bytes (see key-bucket.ts).
        bucket = strict ? 0 : record.keyBucket >= 0 ? record.keyBucket : bucketOf(key);
        if (this.stoppedBuckets[bucket] !== 0 && shard.stopped.has(key)) continue;
        if (this.inFlight[bucket] !== 0) {
          const owner = this.ownerOf(shard, key);
          if (owner !== undefined) {
            owner.queue.push(record);
            continue;
          }
        }
      }
      const attempt = this.attempt(shard, key, record);
      if (attempt === DONE || attempt === STOPPED) continue;
      // In flight: records of the key that other lanes read from now on queue on this one.
      if (bucket < 0) {
        bucket = strict ? 0 : record.keyBucket >= 0 ? record.keyBucket : bucketOf(key);
        // The filters are asked from now on: aggregates read next bring their keys' buckets.
        cursor.keyBuckets = true;
      }
      lane.shard = shard;
      lane.key = key;
      lane.bucket = bucket;
      lane.record = record;
      this.inFlight[bucket]++;
      this.keysInFlight++;
      if (this.mapsOwners) shard.owners.set(key, lane);
      attempt.then(lane.fulfilled, lane.rejected);
      return;
    }
    this.exhausted = true;
    if (--this.activeLanes === 0) {
      // The run is kept until the next batch (see processor.ts): let go of the invocation's promise, and so of the
      // event its caller still holds, once the run is done.
      const finished = this.finished;
      this.finished = noop;
      this.broken = noop;
      finished();
    }
  }

  /**
   * The records queued behind `lane`'s key while it was in flight are handled, synchronously as long as their handler
   * is; the lane waits for the first that returns a promise, or, once the queue is done, goes on with the batch.
   */
  private drain(lane: Lane, shard: ShardState): void {
    const key = lane.key;
    while (lane.head < lane.queue.length) {
      const record = lane.queue[lane.head++];
      const next = this.attempt(shard, key, record);
      if (next === DONE) continue;
      // Stopped: `stop` emptied the queue.
      if (next === STOPPED) break;
      lane.record = record;
      next.then(lane.fulfilled, lane.rejected);
      return;
    }
    this.release(lane, shard);
    this.pump(lane);
  }

  /** `lane` no longer has a key in flight. */
  private release(lane: Lane, shard: ShardState): void {
    this.inFlight[lane.bucket]--;
    this.keysInFlight--;
    lane.shard = undefined;
    lane.record = undefined;
    if (this.mapsOwners) shard.owners.delete(lane.key);
    if (lane.queue.length !== 0) {
      lane.queue.length = 0;
      lane.head = 0;
    }
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
    if (this.guarded) {
      const guard = this.guard(shard, key, record);
      if (guard !== undefined) return guard;
    }
    let data: Buffer;
    try {
      data = record.data;
    } catch (error) {
      // A plain record's data is decoded here, when it is handled: not base64 is the record's failure, not the handler's.
      this.stop(shard, key, error instanceof RecordDecodeError ? error : new RecordDecodeError(record, error));
      return STOPPED;
    }
    let result: { then?: unknown } | null | undefined;
    try {
      const parser = this.parser;
      result = this.handler(parser !== undefined ? parser(data, record) : data as unknown as T, record) as { then?: unknown } | undefined;
    } catch (error) {
      this.stop(shard, key, new RecordHandlerError(record, error));
      return STOPPED;
    }
    // Waiting only for promises keeps synchronous handlers free of a microtask per record. A native promise calls back
    // once and never synchronously; any other thenable is adopted by one, which guarantees both.
    if (result instanceof Promise) return result;
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') return Promise.resolve(result);
    this.succeeded(shard, record);
    return DONE;
  }

  /** Skips a record a checkpoint shows handled, or stops its key past the deadline; `undefined` to handle it. */
  private guard(shard: ShardState, key: string, record: DecodedRecord): Attempt | undefined {
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
    return undefined;
  }

  private succeeded(shard: ShardState, record: DecodedRecord): void {
    this.handled++;
    if (this.checkpoints !== undefined) shard.lastHandled.set(record.partitionKey, record);
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
