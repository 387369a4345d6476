/**
 * Builds Lambda Kinesis events in the shape AWS documents for the Kinesis event source
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html): base64 data, `eventID` = `<shardId>:<sequence>`.
 */
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { encodeAggregate } from '../../lambda/aggregation';

export const STREAM_ARN = 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream';
export const DEFAULT_SHARD = 'shardId-000000000006';

/** A realistic 56-digit sequence number; `n` orders them. */
export function sequenceNumber(n: number): string {
  return `4959033827149025660855969253836157109592157598913${String(n).padStart(7, '0')}`;
}

export interface RecordSpec {
  readonly partitionKey: string;
  readonly data: Uint8Array | string;
  readonly sequence: number;
  readonly shardId?: string;
}

export function kinesisRecord(spec: RecordSpec): KinesisStreamRecord {
  const seq = sequenceNumber(spec.sequence);
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data, 'utf8') : Buffer.from(spec.data);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: spec.partitionKey,
      sequenceNumber: seq,
      data: data.toString('base64'),
      approximateArrivalTimestamp: 1545084650.987,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${spec.shardId ?? DEFAULT_SHARD}:${seq}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
    awsRegion: 'us-east-2',
    eventSourceARN: STREAM_ARN,
  };
}

/** A KPL aggregate of `records` as one Kinesis record under `enclosingKey`. */
export function aggregatedRecord(
  sequence: number,
  enclosingKey: string,
  records: { partitionKey: string; data: string }[],
  shardId?: string,
): KinesisStreamRecord {
  const data = encodeAggregate(records.map((r) => ({ partitionKey: r.partitionKey, data: Buffer.from(r.data) })));
  return kinesisRecord({ partitionKey: enclosingKey, data, sequence, shardId });
}

export function event(...records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** One plain record per `[partitionKey, data]`, with consecutive sequence numbers from `first`. */
export function plainEvent(pairs: [string, string][], first = 1): KinesisStreamEvent {
  return event(...pairs.map(([partitionKey, data], i) => kinesisRecord({ partitionKey, data, sequence: first + i })));
}

/** A Lambda context whose remaining time follows a clock that the test controls. */
export function lambdaContext(remainingMillis: () => number): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-2:123456789012:function:consumer',
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/consumer',
    logStreamName: '2026/11/23/[$LATEST]abc',
    getRemainingTimeInMillis: remainingMillis,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
