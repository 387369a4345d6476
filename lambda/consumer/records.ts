import type { KinesisStreamRecord } from 'aws-lambda';
import { deaggregate, isAggregated } from '../aggregation';
import { RecordDecodeError } from './errors';
import type { RecordIdentity } from './errors';

/** One user record as the record handler sees it: a plain Kinesis record, or one user record of a KPL aggregate. */
export interface KinesisUserRecord extends RecordIdentity {
  /** The record's bytes, base64-decoded and de-aggregated. */
  readonly data: Buffer;
  /** The explicit hash key the producer chose, when it chose one (KPL aggregates carry it per user record). */
  readonly explicitHashKey?: string;
  /** Whether the record arrived inside a KPL aggregated record. */
  readonly aggregated: boolean;
  /** When Kinesis accepted the enclosing record, in seconds since the epoch (milliseconds in the fraction). */
  readonly approximateArrivalTimestamp: number;
  /** ARN of the stream the record was read from. */
  readonly eventSourceArn: string;
}

/** A user record, or the placeholder of a Kinesis record that could not be decoded. */
export interface DecodedRecord extends KinesisUserRecord {
  /** Set when the enclosing Kinesis record could not be decoded; the record is then a failure, never handled. */
  readonly decodeError?: RecordDecodeError;
}

const EMPTY = Buffer.alloc(0);

/** `shardId-000000000000:4954...` → `shardId-000000000000`. */
export function shardIdOf(record: KinesisStreamRecord): string {
  const colon = record.eventID.indexOf(':');
  return colon > 0 ? record.eventID.slice(0, colon) : record.eventID;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Decodes one Kinesis record of a Lambda event into its user records, in sub-sequence order. A record that cannot be
 * decoded (a corrupt aggregate: wrong MD5 or malformed protobuf) becomes one placeholder carrying the error under the
 * enclosing partition key, because the keys of the user records inside it cannot be known.
 */
export function decodeRecord(record: KinesisStreamRecord, shardId: string, out: DecodedRecord[]): void {
  const kinesis = record.kinesis;
  const base = {
    shardId,
    sequenceNumber: kinesis.sequenceNumber,
    approximateArrivalTimestamp: kinesis.approximateArrivalTimestamp,
    eventSourceArn: record.eventSourceARN,
  };
  const data = Buffer.from(kinesis.data, 'base64');
  if (!isAggregated(data)) {
    out.push({ ...base, subSequenceNumber: 0, partitionKey: kinesis.partitionKey, data, aggregated: false });
    return;
  }
  try {
    for (const user of deaggregate(data, kinesis.partitionKey)) {
      out.push({
        ...base,
        subSequenceNumber: user.subSequenceNumber,
        partitionKey: user.partitionKey,
        explicitHashKey: user.explicitHashKey,
        data: asBuffer(user.data),
        aggregated: user.aggregated,
      });
    }
  } catch (error) {
    const identity = { ...base, subSequenceNumber: 0, partitionKey: kinesis.partitionKey };
    out.push({ ...identity, data: EMPTY, aggregated: true, decodeError: new RecordDecodeError(identity, error) });
  }
}
