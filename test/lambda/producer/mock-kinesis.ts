/**
 * A scripted Kinesis client for unit tests: ListShards answers from a shard list the test controls, PutRecords
 * calls a function the test provides, and every call is recorded with its entries decoded.
 */
import { createHash } from 'crypto';
import { KinesisClient, ListShardsCommand, PutRecordsCommand, PutRecordsCommandOutput, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

export const MAX_HASH = 2n ** 128n - 1n;

export interface MockShard { readonly id: string; readonly start: bigint; readonly end: bigint; readonly closed?: boolean }

/** Splits the hash space into `n` equal shards, like CreateStream does. */
export function evenShards(n: number): MockShard[] {
  const step = (MAX_HASH + 1n) / BigInt(n);
  return Array.from({ length: n }, (_, i) => ({
    id: `shardId-${String(i).padStart(12, '0')}`,
    start: step * BigInt(i),
    end: i === n - 1 ? MAX_HASH : step * BigInt(i + 1) - 1n,
  }));
}

export interface RecordedCall {
  readonly at: number;
  readonly entries: readonly PutRecordsRequestEntry[];
}

type PutRecordsAnswer = Partial<PutRecordsCommandOutput>;
export type PutRecordsScript = (entries: readonly PutRecordsRequestEntry[], call: number, signal?: AbortSignal) => Promise<PutRecordsAnswer> | PutRecordsAnswer;

export class MockKinesis {
  public shards: MockShard[];
  public readonly calls: RecordedCall[] = [];
  /** Entries the stream accepted, in the order it accepted them. */
  public readonly written: PutRecordsRequestEntry[] = [];
  public listShardsCalls = 0;
  public listShardsError: Error | undefined;
  private sequence = 0;

  constructor(shards: MockShard[], public script: PutRecordsScript = (entries) => this.acceptAll(entries)) {
    this.shards = shards;
  }

  public get client(): KinesisClient {
    return { send: (command: unknown, options?: { abortSignal?: AbortSignal }) => this.send(command, options?.abortSignal) } as unknown as KinesisClient;
  }

  /** The shard Kinesis would pick for an entry. */
  public shardOf(entry: PutRecordsRequestEntry): MockShard {
    const hash = entry.ExplicitHashKey !== undefined ? BigInt(entry.ExplicitHashKey) : md5Hash(entry.PartitionKey!);
    return this.shards.find((s) => !s.closed && hash >= s.start && hash <= s.end)!;
  }

  public acceptAll(entries: readonly PutRecordsRequestEntry[]): Partial<PutRecordsCommandOutput> {
    return { FailedRecordCount: 0, Records: entries.map((e) => this.accept(e)) };
  }

  public accept(entry: PutRecordsRequestEntry) {
    return { ShardId: this.shardOf(entry).id, SequenceNumber: String(++this.sequence).padStart(20, '0') };
  }

  private async send(command: unknown, signal?: AbortSignal): Promise<unknown> {
    if (command instanceof ListShardsCommand) {
      this.listShardsCalls++;
      if (this.listShardsError) throw this.listShardsError;
      return {
        Shards: this.shards.map((s) => ({
          ShardId: s.id,
          HashKeyRange: { StartingHashKey: s.start.toString(), EndingHashKey: s.end.toString() },
          SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: s.closed ? '2' : undefined },
        })),
      };
    }
    if (command instanceof PutRecordsCommand) {
      const entries = command.input.Records!;
      this.calls.push({ at: Date.now(), entries });
      const out = await this.script(entries, this.calls.length - 1, signal);
      out.Records?.forEach((r, i) => {
        if (!r.ErrorCode) this.written.push(entries[i]);
      });
      return out;
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  }
}

export function md5Hash(key: string): bigint {
  return BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);
}

export const text = (s: string) => Buffer.from(s, 'utf8');
export const decode = (d: Uint8Array | undefined) => Buffer.from(d ?? []).toString('utf8');
