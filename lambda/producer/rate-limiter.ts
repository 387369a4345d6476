/**
 * Per-shard token buckets at the shard write limits, so a hot producer paces itself just under them instead of
 * sending a storm that Kinesis throttles and the producer then retries.
 */
import { KinesisLimits } from '../../src/validation/limits';

/**
 * A bucket that may go into debt: a send is allowed while the bucket is not empty, and a large send (a 1 MiB
 * record against a 100 KiB bucket) then pushes it below zero, which delays the next send by exactly the excess.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly ratePerSecond: number, private readonly capacity: number, now: number) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  public available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  public take(amount: number, now: number): void {
    this.refill(now);
    this.tokens -= amount;
  }

  /** Empties the bucket (keeping any debt): the service said we were over the limit, whatever we computed. */
  public drain(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** When the bucket will hold at least `amount` tokens (amount is capped at the capacity). */
  public readyAt(amount: number, now: number): number {
    this.refill(now);
    const need = Math.min(amount, this.capacity) - this.tokens;
    return need <= 0 ? now : now + Math.ceil((need / this.ratePerSecond) * 1000);
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
      this.updatedAt = now;
    }
  }
}

export interface ShardRateLimiterOptions {
  /**
   * Share of each shard's write limits to use, in percent. Lower it when several producers write to the same shards.
   */
  readonly percentOfShardLimit: number;
  /** Seconds of traffic a bucket holds: the burst allowed after an idle period. */
  readonly burstSeconds: number;
}

interface ShardBuckets {
  readonly records: TokenBucket;
  readonly bytes: TokenBucket;
  readonly recordsCapacity: number;
  readonly bytesCapacity: number;
}

/** Share of a bucket that must be back before a drained shard is admitted again. */
const ADMIT_FRACTION = 0.5;

export class ShardRateLimiter {
  private readonly buckets = new Map<string, ShardBuckets>();
  private readonly recordsPerSecond: number;
  private readonly bytesPerSecond: number;

  constructor(private readonly options: ShardRateLimiterOptions) {
    const share = options.percentOfShardLimit / 100;
    this.recordsPerSecond = KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND * share;
    this.bytesPerSecond = KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND * share;
  }

  /**
   * Whether the shard may take more records now. A drained shard is admitted again only when its buckets are half
   * full: sending each token as it trickles in would cost one PutRecords call per few records.
   */
  public canSend(shardId: string, now: number): boolean {
    return this.readyAt(shardId, now) <= now;
  }

  /** Whether a shard already admitted for this request can take one more record (its buckets are not empty). */
  public hasRoom(shardId: string, now: number): boolean {
    const b = this.bucketsOf(shardId, now);
    return b.records.available(now) >= 1 && b.bytes.available(now) > 0;
  }

  /** Charges a Kinesis record (an aggregate counts as one record) to the shard. */
  public take(shardId: string, records: number, bytes: number, now: number): void {
    const b = this.bucketsOf(shardId, now);
    b.records.take(records, now);
    b.bytes.take(bytes, now);
  }

  /** The shard throttled us: stop sending to it until its buckets refill. */
  public throttled(shardId: string, now: number): void {
    const b = this.bucketsOf(shardId, now);
    b.records.drain(now);
    b.bytes.drain(now);
  }

  /** When the shard may take more records (see {@link canSend}). */
  public readyAt(shardId: string, now: number): number {
    const b = this.bucketsOf(shardId, now);
    return Math.max(b.records.readyAt(Math.max(1, b.recordsCapacity * ADMIT_FRACTION), now), b.bytes.readyAt(b.bytesCapacity * ADMIT_FRACTION, now));
  }

  /** Drops the buckets of shards that are gone (closed by a reshard). */
  public retain(shardIds: ReadonlySet<string>): void {
    for (const id of this.buckets.keys()) if (!shardIds.has(id)) this.buckets.delete(id);
  }

  private bucketsOf(shardId: string, now: number): ShardBuckets {
    let b = this.buckets.get(shardId);
    if (!b) {
      const recordsCapacity = Math.max(1, this.recordsPerSecond * this.options.burstSeconds);
      const bytesCapacity = this.bytesPerSecond * this.options.burstSeconds;
      b = {
        records: new TokenBucket(this.recordsPerSecond, recordsCapacity, now),
        bytes: new TokenBucket(this.bytesPerSecond, bytesCapacity, now),
        recordsCapacity,
        bytesCapacity,
      };
      this.buckets.set(shardId, b);
    }
    return b;
  }
}
