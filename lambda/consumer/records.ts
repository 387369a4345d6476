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

/**
 * Every decoded record has the same fields in the same order (a class, not spread object literals), so the hot loops
 * that read them stay monomorphic: with 10,000 records per batch, object shape is most of the runtime's cost.
 */
class Decoded implements DecodedRecord {
  constructor(
    public readonly shardId: string,
    public readonly sequenceNumber: string,
    public readonly subSequenceNumber: number,
    public readonly partitionKey: string,
    public readonly data: Buffer,
    public readonly aggregated: boolean,
    public readonly approximateArrivalTimestamp: number,
    public readonly eventSourceArn: string,
    public readonly explicitHashKey: string | undefined,
    public readonly decodeError: RecordDecodeError | undefined,
  ) {}
}

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
  const seq = kinesis.sequenceNumber;
  const arrival = kinesis.approximateArrivalTimestamp;
  const arn = record.eventSourceARN;
  const bytes = Buffer.from(kinesis.data, 'base64');
  if (!isAggregated(bytes)) {
    out.push(new Decoded(shardId, seq, 0, kinesis.partitionKey, bytes, false, arrival, arn, undefined, undefined));
    return;
  }
  try {
    for (const user of deaggregate(bytes, kinesis.partitionKey)) {
      const data = asBuffer(user.data);
      out.push(new Decoded(shardId, seq, user.subSequenceNumber, user.partitionKey, data, user.aggregated, arrival, arn, user.explicitHashKey, undefined));
    }
  } catch (error) {
    const identity = { shardId, sequenceNumber: seq, subSequenceNumber: 0, partitionKey: kinesis.partitionKey };
    out.push(new Decoded(shardId, seq, 0, kinesis.partitionKey, EMPTY, true, arrival, arn, undefined, new RecordDecodeError(identity, error)));
  }
}
