/**
 * The producer benchmark's workload and its check: numbered records per partition key (`<key>:<n>:<padding>`),
 * and a read-back audit that counts what was lost, duplicated or reordered.
 */
import { ReadRecord } from '../test/lambda/producer/stream-reader';

/** Endless records over `keys` keys, each `dataBytes` long, numbered per key in submission order. */
export class NumberedWorkload {
  public readonly sent = new Map<string, number>();
  private i = 0;

  constructor(private readonly keys: number, private readonly dataBytes: number, private readonly prefix: string) {}

  public next(count: number): Array<{ partitionKey: string; data: Buffer }> {
    return Array.from({ length: count }, () => {
      const key = `${this.prefix}${(this.i++ * 7919) % this.keys}`;
      const n = this.sent.get(key) ?? 0;
      this.sent.set(key, n + 1);
      const head = `${key}:${n}:`;
      return { partitionKey: key, data: Buffer.from(head.padEnd(this.dataBytes, '.'), 'utf8') };
    });
  }

  /** A record was reported failed: expect its key only up to the record before it. */
  public expectUpTo(record: { partitionKey: string; data: Uint8Array }): void {
    const n = Number(Buffer.from(record.data).toString('utf8').split(':')[1]);
    this.sent.set(record.partitionKey, Math.min(this.sent.get(record.partitionKey) ?? 0, n));
  }
}

export interface Audit {
  readonly expected: number;
  readonly read: number;
  readonly lost: number;
  /** Second and later copies of a record (a retry of a call that had been written). */
  readonly duplicates: number;
  /** Records read after a later record of the same key, copies included. */
  readonly outOfOrder: number;
  /** First copies read after the first copy of a later record of the same key: the order that must hold. */
  readonly outOfOrderFirstOccurrences: number;
  /** Duplicates whose result did not say `possibleDuplicate` (counted only when the flagged records are given). */
  readonly unflaggedDuplicates: number;
}

/** `<key>:<n>`, the identity of a numbered record. */
export function recordId(data: Uint8Array): string {
  const [key, n] = Buffer.from(data).toString('utf8').split(':');
  return `${key}:${n}`;
}

/** @param flagged identities (`recordId`) of the records whose result said `possibleDuplicate` */
export function audit(sent: ReadonlyMap<string, number>, records: readonly ReadRecord[], flagged?: ReadonlySet<string>): Audit {
  const seen = new Map<string, Set<number>>();
  const highest = new Map<string, number>();
  const highestFirst = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let outOfOrderFirst = 0;
  let unflagged = 0;
  for (const r of records) {
    const [key, raw] = r.data.toString('utf8').split(':');
    const n = Number(raw);
    const s = seen.get(key) ?? new Set<number>();
    if (s.has(n)) {
      duplicates++;
      if (flagged && !flagged.has(`${key}:${n}`)) unflagged++;
    } else {
      if (n < (highestFirst.get(key) ?? -1)) outOfOrderFirst++;
      highestFirst.set(key, Math.max(n, highestFirst.get(key) ?? -1));
    }
    s.add(n);
    seen.set(key, s);
    if (n < (highest.get(key) ?? -1)) outOfOrder++;
    highest.set(key, Math.max(n, highest.get(key) ?? -1));
  }
  let lost = 0;
  let expected = 0;
  for (const [key, count] of sent) {
    expected += count;
    const s = seen.get(key) ?? new Set<number>();
    for (let n = 0; n < count; n++) if (!s.has(n)) lost++;
  }
  return { expected, read: records.length, lost, duplicates, outOfOrder, outOfOrderFirstOccurrences: outOfOrderFirst, unflaggedDuplicates: unflagged };
}
