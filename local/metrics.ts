/**
 * What a run measures: every produced event by id (when it was sent, where it landed), and per part the records in
 * and out, failures and where they went, latencies, per-second series. The summary and the report read these.
 */

export interface ProducedEvent {
  readonly key: string;
  /** The event's place in its key's order (1, 2, ...). */
  readonly n: number;
  readonly sentAt: number;
  readonly malformed: boolean;
  /** The stream and shard the producer wrote it to. */
  stream?: string;
  shardId?: string;
}

export type PartKind = 'producer' | 'stream' | 'consumer' | 'delivery';

export class PartStats {
  /** Records the part received (a retried record counts each time it is handed over). */
  public received = 0;
  /** Distinct records the part handled successfully (consumers), wrote (producers) or delivered (delivery streams). */
  public out = 0;
  /** Distinct records that went to a failure destination, queue or error prefix. */
  public failed = 0;
  /** Records a transform dropped on purpose (filters). */
  public dropped = 0;
  public invocations = 0;
  public functionErrors = 0;
  public retries = 0;
  public bisects = 0;
  /** A key's event handled after a later one of the same key. */
  public orderViolations = 0;
  /** A record handled successfully more than once (retries without idempotency do that, as in Lambda). */
  public duplicates = 0;
  public maxIteratorAgeMs = 0;
  public readonly latenciesMs: number[] = [];
  /** Where failures went (folders, files), with counts. */
  public readonly failureTargets = new Map<string, number>();
  /** Objects written, by key. */
  public readonly objects: Array<{ key: string; records: number; bytes: number }> = [];
  /** Per epoch second: records out. */
  public readonly perSecond = new Map<number, number>();
  public readonly notes: string[] = [];

  constructor(public readonly kind: PartKind, public readonly id: string, public readonly label: string) {}

  public countOut(n = 1, at = Date.now()): void {
    this.out += n;
    const s = Math.floor(at / 1000);
    this.perSecond.set(s, (this.perSecond.get(s) ?? 0) + n);
  }

  public countFailure(target: string, n = 1): void {
    this.failed += n;
    this.failureTargets.set(target, (this.failureTargets.get(target) ?? 0) + n);
  }
}

export class RunTracker {
  public readonly events = new Map<string, ProducedEvent>();
  public readonly parts: PartStats[] = [];
  public readonly startedAt = Date.now();

  public part(kind: PartKind, id: string, label: string): PartStats {
    const p = new PartStats(kind, id, label);
    this.parts.push(p);
    return p;
  }

  public produced(eventId: string, key: string, n: number, malformed: boolean, at = Date.now()): void {
    this.events.set(eventId, { key, n, sentAt: at, malformed });
  }
}

/** Per consumer: the last n handled per key, and the ids handled, to count order violations and duplicates. */
export class OrderCheck {
  private readonly lastN = new Map<string, number>();
  private readonly seen = new Set<string>();

  /** Returns false when the event was handled before (a duplicate). */
  public handled(eventId: string, event: ProducedEvent | undefined, stats: PartStats, at: number): boolean {
    if (this.seen.has(eventId)) {
      stats.duplicates++;
      return false;
    }
    this.seen.add(eventId);
    if (event) {
      const last = this.lastN.get(event.key) ?? 0;
      if (event.n < last) stats.orderViolations++;
      else this.lastN.set(event.key, event.n);
      stats.latenciesMs.push(at - event.sentAt);
    }
    return true;
  }

  public has(eventId: string): boolean {
    return this.seen.has(eventId);
  }
}

export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface LatencySummary { readonly count: number; readonly p50?: number; readonly p90?: number; readonly p99?: number; readonly max?: number }

export function latencySummary(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** Reads the `eventId` of a record's JSON data; undefined for data that is not one of the run's events. */
export function eventIdOf(data: Uint8Array | string): string | undefined {
  try {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const id = (JSON.parse(text) as { eventId?: unknown }).eventId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
