/**
 * The stream's open shards and their hash-key ranges, from ListShards.
 *
 * The producer needs it to aggregate only records bound for the same shard (a consumer that checks ranges, such as
 * the KCL, drops user records whose hash key lies outside the shard it reads) and to rate-limit per shard. The map
 * goes stale when the stream is resharded; the producer then calls {@link ShardMap.invalidate}, and it also refreshes
 * on a period because a split can happen without any record telling us.
 */
import { KinesisClient, ListShardsCommand, ListShardsCommandInput, Shard } from '@aws-sdk/client-kinesis';
import { MAX_HASH_KEY } from './hash-key';
import { StreamTarget, streamParams } from './stream';

/** One open shard. */
export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

export interface ShardMapOptions {
  /** Milliseconds after which the map is refreshed even without a sign of resharding. */
  readonly refreshIntervalMs: number;
  /** Shortest gap between two refreshes, so a burst of wrong-shard signals costs one ListShards call. */
  readonly minRefreshGapMs: number;
  /** Milliseconds one ListShards call may take; a hung call must not stall the producer, which waits for the first map. */
  readonly requestTimeoutMs: number;
  readonly now?: () => number;
}

export class ShardMap {
  private shards: ShardRange[] = [];
  private loadedAt = -Infinity;
  private inFlight: Promise<void> | undefined;
  private mapVersion = 0;
  private stale = false;
  private lastError: unknown;
  private readonly now: () => number;

  constructor(private readonly client: KinesisClient, private readonly stream: StreamTarget, private readonly options: ShardMapOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Increases on every successful refresh that changed the shards; entries built under an older version are re-checked. */
  public get version(): number {
    return this.mapVersion;
  }

  public get loaded(): boolean {
    return this.mapVersion > 0;
  }

  public get refreshing(): boolean {
    return this.inFlight !== undefined;
  }

  /** The error of the last failed refresh, for diagnostics; cleared by a successful one. */
  public get error(): unknown {
    return this.lastError;
  }

  public get openShards(): readonly ShardRange[] {
    return this.shards;
  }

  /** The open shard whose range holds `hashKey`; undefined while the map is not loaded or during a reshard gap. */
  public lookup(hashKey: bigint): ShardRange | undefined {
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const s = this.shards[mid];
      if (hashKey < s.startingHashKey) hi = mid - 1;
      else if (hashKey > s.endingHashKey) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  public shard(shardId: string): ShardRange | undefined {
    return this.shards.find((s) => s.shardId === shardId);
  }

  /** Marks the map stale; the next {@link refreshIfDue} reloads it (subject to the minimum gap). */
  public invalidate(): void {
    this.stale = true;
  }

  /** Whether a refresh is due: never loaded, marked stale, or older than the refresh interval. */
  public get due(): boolean {
    const age = this.now() - this.loadedAt;
    if (!this.loaded) return age >= this.options.minRefreshGapMs;
    return (this.stale && age >= this.options.minRefreshGapMs) || age >= this.options.refreshIntervalMs;
  }

  /** Starts a refresh when one is due; resolves when it ends. Never rejects: a failed refresh keeps the old map. */
  public refreshIfDue(): Promise<void> | undefined {
    if (this.inFlight) return this.inFlight;
    if (!this.due) return undefined;
    return this.refresh();
  }

  /** Reloads the map now (joining a refresh already under way). Never rejects. */
  public refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const startedAt = this.now();
    try {
      const all: Shard[] = [];
      let input: ListShardsCommandInput = { ...streamParams(this.stream) };
      for (;;) {
        const page = await this.client.send(new ListShardsCommand(input), { abortSignal: AbortSignal.timeout(this.options.requestTimeoutMs) });
        all.push(...(page.Shards ?? []));
        if (!page.NextToken) break;
        // With a NextToken, ListShards refuses the stream name: the token already names it.
        input = { NextToken: page.NextToken };
      }
      const open = all
        .filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined && s.HashKeyRange)
        .map((s): ShardRange => ({
          shardId: s.ShardId!,
          startingHashKey: BigInt(s.HashKeyRange!.StartingHashKey!),
          endingHashKey: BigInt(s.HashKeyRange!.EndingHashKey!),
        }))
        .filter((s) => s.startingHashKey <= s.endingHashKey && s.endingHashKey <= MAX_HASH_KEY)
        .sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : a.startingHashKey > b.startingHashKey ? 1 : 0));
      if (!sameShards(open, this.shards)) {
        this.shards = open;
        this.mapVersion++;
      }
      this.loadedAt = startedAt;
      this.stale = false;
      this.lastError = undefined;
    } catch (err) {
      // Keep the old map (or none) and try again after the minimum gap: the producer falls back to sending
      // unaggregated, unlimited records for keys it cannot place, which is always correct, only less efficient.
      this.lastError = err;
      // Stale from now on: the next attempt comes after the minimum gap, not after a whole refresh interval.
      this.loadedAt = startedAt;
      this.stale = true;
    }
  }
}

function sameShards(a: readonly ShardRange[], b: readonly ShardRange[]): boolean {
  return a.length === b.length && a.every((s, i) => s.shardId === b[i].shardId);
}
