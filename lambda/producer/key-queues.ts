/**
 * Per-partition-key order.
 *
 * Kinesis orders records of a key within a shard by arrival, but a PutRecords call may fail some entries and accept
 * later ones, and concurrent calls race. So a key is either *free* or *held* by entries that are in flight or waiting
 * for a retry, and its next records wait until every entry holding it is acknowledged. A held key never has a
 * second entry on the wire; that is what keeps the order under partial failures and retries.
 *
 * Keys with waiting records and no hold are *ready*; they are grouped in lanes (the predicted shard) so the batcher
 * can pick work for shards that have rate to spare without scanning the others.
 */
import { PendingRecord } from './entry';

export class KeyQueues {
  private readonly waiting = new Map<string, PendingRecord[]>();
  private readonly holds = new Map<string, number>();
  private readonly lanes = new Map<string, Set<string>>();
  private readonly laneOfKey = new Map<string, string>();
  private records = 0;
  private bytes = 0;

  /** Records waiting (not yet in an entry). */
  public get waitingRecords(): number {
    return this.records;
  }

  public get waitingBytes(): number {
    return this.bytes;
  }

  public enqueue(record: PendingRecord, lane: string): void {
    const key = record.record.partitionKey;
    let queue = this.waiting.get(key);
    if (!queue) {
      queue = [];
      this.waiting.set(key, queue);
      this.laneOfKey.set(key, lane);
    }
    queue.push(record);
    this.records++;
    this.bytes += record.sizeBytes;
    if (!this.holds.has(key)) this.markReady(key);
  }

  /** Lanes that have ready keys, in the order they first became ready. */
  public readyLanes(): string[] {
    return [...this.lanes.keys()];
  }

  /** Ready keys of a lane, oldest first. Safe to {@link take} from while iterating. */
  public readyKeys(lane: string): IterableIterator<string> {
    return (this.lanes.get(lane) ?? new Set<string>()).values();
  }

  public waitingOf(key: string): readonly PendingRecord[] {
    return this.waiting.get(key) ?? [];
  }

  /** Removes the first `count` waiting records of a ready key and holds the key for the entry they go into. */
  public take(key: string, count: number): PendingRecord[] {
    const queue = this.waiting.get(key);
    if (!queue || count < 1 || count > queue.length) throw new Error(`cannot take ${count} waiting record(s) of key '${key}'`);
    const taken = queue.splice(0, count);
    this.uncount(taken);
    this.hold(key);
    if (queue.length === 0) this.forget(key);
    return taken;
  }

  /** Another entry now holds the key (an entry split in two after a reshard). */
  public hold(key: string): void {
    this.holds.set(key, (this.holds.get(key) ?? 0) + 1);
    this.unmarkReady(key);
  }

  /** An entry holding the key is done; when none is left, the key's next records become ready. */
  public release(key: string): void {
    const n = (this.holds.get(key) ?? 0) - 1;
    if (n > 0) {
      this.holds.set(key, n);
      return;
    }
    this.holds.delete(key);
    if (this.waiting.has(key)) this.markReady(key);
  }

  /** Removes every waiting record of a key (its predecessor failed for good). */
  public removeWaiting(key: string): PendingRecord[] {
    const queue = this.waiting.get(key) ?? [];
    this.uncount(queue);
    this.unmarkReady(key);
    this.forget(key);
    return queue;
  }

  /** Every waiting record, for a producer that is closing. */
  public removeAll(): PendingRecord[] {
    return [...this.waiting.keys()].flatMap((k) => this.removeWaiting(k));
  }

  /** Moves every key to the lane `laneOf` gives for its first waiting record (the shard map changed). */
  public relane(laneOf: (record: PendingRecord) => string): void {
    const ready = [...this.lanes.values()].flatMap((s) => [...s]);
    this.lanes.clear();
    for (const [key, queue] of this.waiting) this.laneOfKey.set(key, laneOf(queue[0]));
    for (const key of ready) this.markReady(key);
  }

  private markReady(key: string): void {
    const lane = this.laneOfKey.get(key)!;
    let set = this.lanes.get(lane);
    if (!set) {
      set = new Set();
      this.lanes.set(lane, set);
    }
    set.add(key);
  }

  private unmarkReady(key: string): void {
    const lane = this.laneOfKey.get(key);
    if (lane === undefined) return;
    const set = this.lanes.get(lane);
    if (!set) return;
    set.delete(key);
    if (set.size === 0) this.lanes.delete(lane);
  }

  private forget(key: string): void {
    this.waiting.delete(key);
    this.laneOfKey.delete(key);
  }

  private uncount(records: readonly PendingRecord[]): void {
    for (const r of records) {
      this.records--;
      this.bytes -= r.sizeBytes;
    }
  }
}
