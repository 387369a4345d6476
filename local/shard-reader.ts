/**
 * Reads every shard of a stream from kinesalite (GetShardIterator, then GetRecords at the given interval) and hands
 * the records to subscribers, so that several consumers of one stream read it as shared-throughput consumers do:
 * each on its own iterator, here one reader per consumer.
 */
import { eventIdOf, sleep } from './metrics';

export interface StreamRecord {
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly data: Buffer;
  /** Approximate arrival, epoch ms. */
  readonly arrival: number;
  readonly eventId?: string;
}

export class ShardReader {
  private readonly subscribers = new Map<string, Array<(records: StreamRecord[]) => void>>();
  private readonly idle = new Map<string, boolean>();
  private running = true;
  private readonly loops: Promise<void>[] = [];

  /**
   * @param client a Kinesis client on kinesalite itself (reads are not limited by the shard front)
   * @param sdk the `@aws-sdk/client-kinesis` module
   */
  constructor(private readonly client: any, private readonly sdk: any, private readonly streamName: string, private readonly intervalMs: number) {}

  public subscribe(shardId: string, fn: (records: StreamRecord[]) => void): void {
    const list = this.subscribers.get(shardId) ?? [];
    list.push(fn);
    this.subscribers.set(shardId, list);
  }

  public start(shardIds: readonly string[]): void {
    for (const shardId of shardIds) this.loops.push(this.read(shardId));
  }

  /** The last GetRecords of the shard returned nothing: every record written so far has been handed over. */
  public caughtUp(shardId: string): boolean {
    return this.idle.get(shardId) === true;
  }

  /** Reads until every shard is caught up, then stops. */
  public async drain(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async read(shardId: string): Promise<void> {
    let iterator: string | undefined = (await this.client.send(new this.sdk.GetShardIteratorCommand({
      StreamName: this.streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON',
    }))).ShardIterator;
    while (iterator) {
      const out: any = await this.client.send(new this.sdk.GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      iterator = out.NextShardIterator;
      const records: StreamRecord[] = (out.Records ?? []).map((r: any) => {
        const data = Buffer.from(r.Data);
        const arrival = new Date(r.ApproximateArrivalTimestamp).getTime();
        return { partitionKey: r.PartitionKey, sequenceNumber: r.SequenceNumber, data, arrival, eventId: eventIdOf(data) };
      });
      this.idle.set(shardId, records.length === 0);
      if (records.length > 0) for (const fn of this.subscribers.get(shardId) ?? []) fn(records);
      if (records.length === 0 && !this.running) return;
      await sleep(records.length > 0 ? Math.min(this.intervalMs, 50) : this.intervalMs);
    }
  }
}
