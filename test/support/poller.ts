/**
 * A local stand-in for the Lambda event source mapping on a Kinesis stream, for integration tests against
 * kinesalite. Per shard, it reads batches (GetShardIterator + GetRecords), invokes the handler with the event shape
 * Lambda sends, and moves on as Lambda does with `ReportBatchItemFailures`:
 *
 * - no failures: checkpoint after the batch's last record;
 * - failures: resume AT the lowest reported sequence number (a throw, or an identifier that is not in the batch,
 *   fails the whole batch, as Lambda treats it);
 * - after `maxRetryAttempts` retries without moving forward: report the batch to the failure destination (shard
 *   and sequence range, like Lambda's on-failure record) and continue after it.
 *
 * It does not bisect batches; the runtime does not depend on bisection.
 */
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, ShardIteratorType } from '@aws-sdk/client-kinesis';
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../../lambda/consumer';

export interface PollerOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;
  /** @default 100 */
  readonly batchSize?: number;
  /** Retries of a batch that makes no progress before it goes to the failure destination. @default 3 */
  readonly maxRetryAttempts?: number;
}

/** What Lambda sends to an on-failure destination for a Kinesis batch. */
export interface FailedBatch {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly attempts: number;
}

export interface PollReport {
  readonly invocations: number;
  readonly failedBatches: FailedBatch[];
}

type Position = { type: ShardIteratorType; sequenceNumber?: string };

function toEvent(streamName: string, shardId: string, records: KinesisRecord[]): KinesisStreamEvent {
  const arn = `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}`;
  return {
    Records: records.map((r): KinesisStreamRecord => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.PartitionKey!,
        sequenceNumber: r.SequenceNumber!,
        data: Buffer.from(r.Data!).toString('base64'),
        approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${r.SequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/consumer',
      awsRegion: 'us-east-1',
      eventSourceARN: arn,
    })),
  };
}

/** The checkpoint Lambda takes from a response: the lowest reported sequence number, or the first record's. */
function lowestFailure(records: KinesisRecord[], response: KinesisStreamBatchResponse | void | Error): string | undefined {
  if (response instanceof Error) return records[0].SequenceNumber!;
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  const inBatch = new Set(records.map((r) => r.SequenceNumber!));
  if (failures.some((f) => !f.itemIdentifier || !inBatch.has(f.itemIdentifier))) return records[0].SequenceNumber!;
  return failures.map((f) => f.itemIdentifier).sort(compareSequenceNumbers)[0];
}

async function pollShard(options: PollerOptions, shardId: string, report: { invocations: number; failedBatches: FailedBatch[] }): Promise<void> {
  const { client, streamName } = options;
  const maxRetryAttempts = options.maxRetryAttempts ?? 3;
  let position: Position = { type: ShardIteratorType.TRIM_HORIZON };
  let attempts = 0;
  for (;;) {
    const iterator = await client.send(new GetShardIteratorCommand({
      StreamName: streamName, ShardId: shardId, ShardIteratorType: position.type, StartingSequenceNumber: position.sequenceNumber,
    }));
    const got = await client.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, Limit: options.batchSize ?? 100 }));
    const records = got.Records ?? [];
    // The tests write everything before polling, so an empty read means the shard is drained.
    if (records.length === 0) return;
    report.invocations++;
    const response = await options.handler(toEvent(streamName, shardId, records)).catch((e: Error) => e);
    const checkpoint = lowestFailure(records, response);
    const last = records[records.length - 1].SequenceNumber!;
    if (checkpoint === undefined) {
      position = { type: ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumber: last };
      attempts = 0;
      continue;
    }
    const moved = position.type !== ShardIteratorType.AT_SEQUENCE_NUMBER || position.sequenceNumber !== checkpoint;
    attempts = moved ? 1 : attempts + 1;
    if (attempts > maxRetryAttempts) {
      const batchSize = records.filter((r) => compareSequenceNumbers(r.SequenceNumber!, checkpoint) >= 0).length;
      report.failedBatches.push({ shardId, startSequenceNumber: checkpoint, endSequenceNumber: last, batchSize, attempts });
      position = { type: ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumber: last };
      attempts = 0;
    } else {
      position = { type: ShardIteratorType.AT_SEQUENCE_NUMBER, sequenceNumber: checkpoint };
    }
  }
}

/** Reads every shard of the stream to its end, shards in parallel as Lambda does, and says what went to the failure destination. */
export async function pollStream(options: PollerOptions): Promise<PollReport> {
  const shards = await options.client.send(new ListShardsCommand({ StreamName: options.streamName }));
  const report = { invocations: 0, failedBatches: [] as FailedBatch[] };
  await Promise.all((shards.Shards ?? []).map((s) => pollShard(options, s.ShardId!, report)));
  return report;
}
