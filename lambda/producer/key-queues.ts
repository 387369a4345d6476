/**
 * Per-partition-key order.
 *
 * Kinesis orders records of a key within a shard by arrival, but a PutRecords call may fail some entries and accept
 * later ones, and concurrent calls race. So a key is either *free* or *held* by entries that are in flight or waiting
 * for a retry, and its next records wait until every entry holding it is acknowledged. A held key never has a
 * second entry on the wire; that is what keeps the order under partial failures and retries.
 *
 * Keys with waiting records and no hold are *ready*; they are grouped in lanes (the predicted shard) so the batcher
 * can pick work for shards that have rate to spare without scanning the others. A lane hands out its ready keys
 * oldest head record first, so records leave in about the order they came, as far as their keys' holds allow: a
 * busy key whose next record has waited longest goes in the very next request after its hold ends, instead of
 * queueing behind every other ready key of its shard, and gets one entry per round trip even when the shard is
 * saturated.
 */
import { PendingRecord } from './entry';

export class KeyQueues {
  private readonly waiting = new Map<string, PendingRecord[]>();
  private readonly holds = new Map<string, number>();
  private readonly lanes = new Map<string, Set<string>>();
  /** Per lane, ready keys by the submission order of their head record; entries that went stale are skipped. */
  private readonly order = new Map<string, KeyHeap>();
  private readonly sequence = new WeakMap<PendingRecord, number>();
  private nextSequence = 0;
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
    this.sequence.set(record, this.nextSequence++);
    this.records++;
    this.bytes += record.sizeBytes;
    if (!this.holds.has(key)) this.markReady(key);
  }

  /** Lanes that have ready keys, in the order they first became ready. */
  public readyLanes(): string[] {
    return [...this.lanes.keys()];
  }

  /**
   * Ready keys of a lane, the one with the oldest head record first. Each key yielded must be {@link take}n before
   * the next is asked for; the iteration ends when the lane has no ready key left or a yielded key was not taken.
   */
  public *readyKeys(lane: string): Generator<string> {
    let last: string | undefined;
    for (;;) {
      const key = this.oldestReady(lane);
      if (key === undefined || key === last) return;
      last = key;
      yield key;
    }
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
    this.order.clear();
    for (const [key, queue] of this.waiting) this.laneOfKey.set(key, laneOf(queue[0]));
    for (const key of ready) this.markReady(key);
  }

  private oldestReady(lane: string): string | undefined {
    const set = this.lanes.get(lane);
    const heap = this.order.get(lane);
    if (!set || !heap) return undefined;
    for (;;) {
      const top = heap.peek();
      if (!top) return undefined;
      const head = this.waiting.get(top.key)?.[0];
      if (set.has(top.key) && head !== undefined && this.sequence.get(head) === top.sequence) return top.key;
      heap.pop();
    }
  }

  private markReady(key: string): void {
    const lane = this.laneOfKey.get(key)!;
    let set = this.lanes.get(lane);
    if (!set) {
      set = new Set();
      this.lanes.set(lane, set);
    }
    if (set.has(key)) return;
    set.add(key);
    let heap = this.order.get(lane);
    if (!heap) {
      heap = new KeyHeap();
      this.order.set(lane, heap);
    }
    heap.push({ sequence: this.sequence.get(this.waiting.get(key)![0])!, key });
  }

  private unmarkReady(key: string): void {
    const lane = this.laneOfKey.get(key);
    if (lane === undefined) return;
    const set = this.lanes.get(lane);
    if (!set) return;
    set.delete(key);
    if (set.size === 0) {
      this.lanes.delete(lane);
      this.order.delete(lane);
    }
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

/** A binary min-heap of ready keys by their head record's submission order. */
class KeyHeap {
  private readonly items: Array<{ readonly sequence: number; readonly key: string }> = [];

  public peek(): { readonly sequence: number; readonly key: string } | undefined {
    return this.items[0];
  }

  public push(item: { readonly sequence: number; readonly key: string }): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const parent = Math.floor((i - 1) / 2);
      if (a[parent].sequence <= a[i].sequence) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  public pop(): void {
    const a = this.items;
    const last = a.pop();
    if (a.length === 0 || !last) return;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l].sequence < a[m].sequence) m = l;
      if (r < a.length && a[r].sequence < a[m].sequence) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i], a[m]];
      i = m;
    }
  }
}
