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

  constructor(private ratePerSecond: number, private readonly capacity: number, now: number) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Changes the refill rate from now on. */
  public setRate(ratePerSecond: number, now: number): void {
    this.refill(now);
    this.ratePerSecond = ratePerSecond;
  }

  public available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  public take(amount: number, now: number): void {
    this.refill(now);
    this.tokens -= amount;
  }

  /** Gives back `amount` taken before, never beyond the capacity: a refund cannot make room the shard never had. */
  public give(amount: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.capacity, this.tokens + amount);
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

/**
 * How a shard's pace reacts to throttling (additive increase, multiplicative decrease, as TCP does): the shard
 * limits are the ceiling, but other producers, clock skew and the service's own accounting mean the real room is
 * often a little less. A throttle cuts the pace by DECREASE (at most once per DECREASE_GAP_MS, one rate window);
 * after that it climbs back by INCREASE_PER_SECOND. Kept just under the point where throttling starts, a hot
 * producer is rejected a few times a minute instead of several times a second.
 */
const DECREASE = 0.02;
const DECREASE_GAP_MS = 1000;
const INCREASE_PER_SECOND = 0.02;
const MIN_PACE = 0.5;

/** Share of a bucket that must be back before an emptied shard is admitted again. */
const ADMIT_FRACTION = 0.5;

/** The span Kinesis counts a shard's writes over (its limits are per second). */
const WINDOW_MS = 1000;

/**
 * The trailing second's cap, as a multiple of the paced limit. At exactly the limit the cap binds every send, and each
 * timer's lateness (a millisecond or two) compounds: the next send waits for the late one to leave the window, so a
 * saturated shard ran at 96.5% of its limit on the scripted stream. Three percent absorbs that; the bucket still holds
 * the long run at the limit, and a second carries at most 3% more than the limit instead of a whole burst more.
 */
const TRAILING_SLACK = 1.03;

/**
 * What a shard was charged in the last `WINDOW_MS`, send by send. A token bucket allows its burst on top of its rate,
 * so a saturated shard sent up to a burst more than its limit within some second, which the service refused; each
 * refusal cut the pace (see DECREASE), and the shard ran below its limit for the next seconds though nothing else
 * wrote to it. Capping every trailing second at the paced limit keeps the bucket's pacing without that overshoot.
 */
class TrailingSecond {
  private readonly at: number[] = [];
  private readonly records: number[] = [];
  private readonly bytes: number[] = [];
  private head = 0;
  private recordsSum = 0;
  private bytesSum = 0;

  public add(records: number, bytes: number, now: number): void {
    this.expire(now);
    this.recordsSum += records;
    this.bytesSum += bytes;
    // A request charges its entries one by one at one time: they share a slot.
    const last = this.at.length - 1;
    if (last >= this.head && this.at[last] === now) {
      this.records[last] += records;
      this.bytes[last] += bytes;
      return;
    }
    this.at.push(now);
    this.records.push(records);
    this.bytes.push(bytes);
  }

  /** Takes back a charge (a refused entry), from the latest sends: it was charged at most a round trip ago. */
  public remove(records: number, bytes: number): void {
    for (let i = this.at.length - 1; i >= this.head && (records > 0 || bytes > 0); i--) {
      const r = Math.min(records, this.records[i]);
      const b = Math.min(bytes, this.bytes[i]);
      this.records[i] -= r;
      this.bytes[i] -= b;
      this.recordsSum -= r;
      this.bytesSum -= b;
      records -= r;
      bytes -= b;
    }
  }

  /** Whether `records` more records fit under `recordsCap`, and the bytes are under `bytesCap` (a send may overshoot it, as a bucket may go into debt). */
  public fits(records: number, recordsCap: number, bytesCap: number, now: number): boolean {
    this.expire(now);
    return this.recordsSum + records <= recordsCap && this.bytesSum < bytesCap;
  }

  /** When `records` more records fit under `recordsCap` and `bytes` more under `bytesCap`. */
  public fitsAt(records: number, recordsCap: number, bytes: number, bytesCap: number, now: number): number {
    this.expire(now);
    let recordsSum = this.recordsSum;
    let bytesSum = this.bytesSum;
    let at = now;
    for (let i = this.head; i < this.at.length && (recordsSum + records > recordsCap || bytesSum + bytes > bytesCap); i++) {
      recordsSum -= this.records[i];
      bytesSum -= this.bytes[i];
      at = this.at[i] + WINDOW_MS;
    }
    return at;
  }

  private expire(now: number): void {
    while (this.head < this.at.length && this.at[this.head] <= now - WINDOW_MS) {
      this.recordsSum -= this.records[this.head];
      this.bytesSum -= this.bytes[this.head];
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.at.length) {
      this.at.splice(0, this.head);
      this.records.splice(0, this.head);
      this.bytes.splice(0, this.head);
      this.head = 0;
    }
  }
}

class ShardPace {
  public readonly records: TokenBucket;
  public readonly bytes: TokenBucket;
  public readonly recordsCapacity: number;
  public readonly bytesCapacity: number;
  public readonly sent = new TrailingSecond();
  private pace = 1;
  private adjustedAt: number;
  private decreasedAt = -Infinity;

  constructor(private readonly recordsPerSecond: number, private readonly bytesPerSecond: number, burstSeconds: number, now: number) {
    this.recordsCapacity = Math.max(1, recordsPerSecond * burstSeconds);
    this.bytesCapacity = bytesPerSecond * burstSeconds;
    this.records = new TokenBucket(recordsPerSecond, this.recordsCapacity, now);
    this.bytes = new TokenBucket(bytesPerSecond, this.bytesCapacity, now);
    this.adjustedAt = now;
  }

  /** The share of the configured rate the shard is paced at now. */
  public current(now: number): number {
    const from = Math.max(this.adjustedAt, this.decreasedAt + DECREASE_GAP_MS);
    if (now > from && this.pace < 1) {
      this.pace = Math.min(1, this.pace + (INCREASE_PER_SECOND * (now - from)) / 1000);
      this.apply(now);
    }
    this.adjustedAt = Math.max(this.adjustedAt, now);
    return this.pace;
  }

  public throttled(now: number): void {
    if (now - this.decreasedAt < DECREASE_GAP_MS) return;
    this.pace = Math.max(MIN_PACE, this.current(now) * (1 - DECREASE));
    this.decreasedAt = now;
    this.apply(now);
  }

  /** The records any trailing second may carry at the current pace (see TRAILING_SLACK). */
  public recordsCap(): number {
    return Math.max(1, this.recordsPerSecond * this.pace * TRAILING_SLACK);
  }

  /** The bytes any trailing second may carry at the current pace. */
  public bytesCap(): number {
    return this.bytesPerSecond * this.pace * TRAILING_SLACK;
  }

  private apply(now: number): void {
    this.records.setRate(this.recordsPerSecond * this.pace, now);
    this.bytes.setRate(this.bytesPerSecond * this.pace, now);
  }
}

export class ShardRateLimiter {
  private readonly shards = new Map<string, ShardPace>();
  private readonly recordsPerSecond: number;
  private readonly bytesPerSecond: number;

  constructor(private readonly options: ShardRateLimiterOptions) {
    const share = options.percentOfShardLimit / 100;
    this.recordsPerSecond = KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND * share;
    this.bytesPerSecond = KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND * share;
  }

  /**
   * Whether the shard may take more records now. An emptied shard is admitted again only when its buckets are half
   * full: sending each token as it trickles in would cost one PutRecords call per few records.
   */
  public canSend(shardId: string, now: number): boolean {
    return this.readyAt(shardId, now) <= now;
  }

  /** Whether a shard already admitted for this request can take one more record (its buckets are not empty). */
  public hasRoom(shardId: string, now: number): boolean {
    const s = this.shard(shardId, now);
    return s.records.available(now) >= 1 && s.bytes.available(now) > 0 && s.sent.fits(1, s.recordsCap(), s.bytesCap(), now);
  }

  /** Charges a Kinesis record (an aggregate counts as one record) to the shard. */
  public take(shardId: string, records: number, bytes: number, now: number): void {
    const s = this.shard(shardId, now);
    s.records.take(records, now);
    s.bytes.take(bytes, now);
    s.sent.add(records, bytes, now);
  }

  /**
   * Gives back what a refused entry was charged: Kinesis does not count a record it refused against the shard's
   * rate, so keeping the charge would pace the shard below its limit for every rejection.
   */
  public refund(shardId: string, records: number, bytes: number, now: number): void {
    const s = this.shard(shardId, now);
    s.records.give(records, now);
    s.bytes.give(bytes, now);
    s.sent.remove(records, bytes);
  }

  /** The shard refused an entry for throughput: slow its pace (see DECREASE). */
  public throttled(shardId: string, now: number): void {
    this.shard(shardId, now).throttled(now);
  }

  /** The share of the configured rate a shard is paced at now, from MIN_PACE to 1. */
  public pace(shardId: string, now: number): number {
    return this.shard(shardId, now).current(now);
  }

  /** When the shard may take more records (see {@link canSend}). */
  public readyAt(shardId: string, now: number): number {
    const s = this.shard(shardId, now);
    const records = Math.max(1, s.recordsCapacity * ADMIT_FRACTION);
    const bytes = s.bytesCapacity * ADMIT_FRACTION;
    return Math.max(s.records.readyAt(records, now), s.bytes.readyAt(bytes, now), s.sent.fitsAt(records, s.recordsCap(), bytes, s.bytesCap(), now));
  }

  /** Drops the state of shards that are gone (closed by a reshard). */
  public retain(shardIds: ReadonlySet<string>): void {
    for (const id of this.shards.keys()) if (!shardIds.has(id)) this.shards.delete(id);
  }

  private shard(shardId: string, now: number): ShardPace {
    let s = this.shards.get(shardId);
    if (!s) {
      s = new ShardPace(this.recordsPerSecond, this.bytesPerSecond, this.options.burstSeconds, now);
      this.shards.set(shardId, s);
    }
    s.current(now);
    return s;
  }
}
