import type { KinesisStreamRecord } from 'aws-lambda';
import { RecordDecodeError } from './errors';
import type { RecordIdentity } from './errors';
import { AggregationLimits } from '../../src/validation/limits';
import { isAggregated } from '../aggregation';
import { LAYOUT_STRIDE, readAggregate } from '../aggregation/record-format';
import type { AggregateLayout } from '../aggregation/record-format';

/** One user record as the record handler sees it: a plain Kinesis record, or one user record of a KPL aggregate. */
export interface KinesisUserRecord extends RecordIdentity {
  /**
   * The record's bytes, base64-decoded and de-aggregated. For a plain record each read decodes the event's base64 text
   * anew (the runtime keeps no decoded copy, to keep a 10,000-record batch out of the old generation of the garbage
   * collector): read it once, or use the body the handler receives.
   */
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
 * The base64 characters every aggregate starts with: those that encode only magic bits. A plain record whose data
 * does not start with them is not decoded until it is handled.
 */
const MAGIC_BASE64_PREFIX = Buffer.from(AggregationLimits.MAGIC).toString('base64').slice(0, Math.floor((AggregationLimits.MAGIC.length * 8) / 6));

/**
 * Every decoded record has the same fields in the same order (a class, not spread object literals), so the hot loops
 * that read them stay monomorphic. A plain record keeps its base64 text and is decoded when read, during its
 * handling: a buffer kept from the cursor to a record queued behind its key would outlive the young generation of the
 * garbage collector for nothing.
 */
class Decoded implements DecodedRecord {
  private readonly bytes: Buffer | undefined;

  constructor(
    public readonly shardId: string,
    public readonly sequenceNumber: string,
    public readonly subSequenceNumber: number,
    public readonly partitionKey: string,
    private readonly base64: string | undefined,
    bytes: Buffer | undefined,
    public readonly aggregated: boolean,
    public readonly approximateArrivalTimestamp: number,
    public readonly eventSourceArn: string,
    public readonly explicitHashKey: string | undefined,
    public readonly decodeError: RecordDecodeError | undefined,
  ) {
    this.bytes = bytes;
  }

  /** Decoded on each read for a plain record: a cached buffer would outlive the young generation for nothing. */
  public get data(): Buffer {
    return this.bytes ?? Buffer.from(this.base64!, 'base64');
  }
}

/** `shardId-000000000000:4954...` → `shardId-000000000000`. */
export function shardIdOf(record: KinesisStreamRecord): string {
  const colon = record.eventID.indexOf(':');
  return colon > 0 ? record.eventID.slice(0, colon) : record.eventID;
}

/**
 * A KPL aggregate of the batch, checked (MD5, protobuf, key indexes) and read as a whole when the cursor reaches it,
 * before any of its user records is handled. Its user records are numbered by sub-sequence number and become objects
 * one at a time, as the cursor hands them out.
 */
export class Aggregate {
  constructor(
    public readonly shardId: string,
    private readonly record: KinesisStreamRecord,
    private readonly bytes: Buffer,
    public readonly layout: AggregateLayout,
  ) {}

  /** User records in the aggregate. */
  public get size(): number {
    return this.layout.records.length / LAYOUT_STRIDE;
  }

  public userRecord(subSequenceNumber: number): DecodedRecord {
    const layout = this.layout;
    const r = subSequenceNumber * LAYOUT_STRIDE;
    const e = layout.records[r + 1];
    const kinesis = this.record.kinesis;
    return new Decoded(this.shardId, kinesis.sequenceNumber, subSequenceNumber, layout.partitionKeys[layout.records[r]], undefined,
      this.bytes.subarray(layout.records[r + 2], layout.records[r + 3]), true, kinesis.approximateArrivalTimestamp, this.record.eventSourceARN,
      e < 0 ? undefined : layout.explicitHashKeys[e], undefined);
  }
}

/** The user record of a plain Kinesis record, created when it is handled so that it dies young. */
export function plainUserRecord(record: KinesisStreamRecord, shardId: string): DecodedRecord {
  const kinesis = record.kinesis;
  return new Decoded(shardId, kinesis.sequenceNumber, 0, kinesis.partitionKey, kinesis.data, undefined, false,
    kinesis.approximateArrivalTimestamp, record.eventSourceARN, undefined, undefined);
}

/** Whether a Kinesis record may be an aggregate: its base64 data starts like the magic bytes. */
export function mayBeAggregated(record: KinesisStreamRecord): boolean {
  return record.kinesis.data.startsWith(MAGIC_BASE64_PREFIX);
}

/**
 * Decodes one Kinesis record that may be an aggregate: into an `Aggregate` when it is one, a decoded user record when
 * it is not. A record that cannot be decoded (a corrupt aggregate: wrong MD5 or malformed protobuf) becomes one
 * placeholder carrying the error under the enclosing partition key, because the keys of the user records inside it
 * cannot be known.
 */
export function decodeRecord(record: KinesisStreamRecord, shardId: string): Aggregate | DecodedRecord {
  const kinesis = record.kinesis;
  const seq = kinesis.sequenceNumber;
  const arrival = kinesis.approximateArrivalTimestamp;
  const arn = record.eventSourceARN;
  const bytes = Buffer.from(kinesis.data, 'base64');
  if (!isAggregated(bytes)) {
    return new Decoded(shardId, seq, 0, kinesis.partitionKey, undefined, bytes, false, arrival, arn, undefined, undefined);
  }
  try {
    return new Aggregate(shardId, record, bytes, readAggregate(bytes));
  } catch (error) {
    const identity = { shardId, sequenceNumber: seq, subSequenceNumber: 0, partitionKey: kinesis.partitionKey };
    return new Decoded(shardId, seq, 0, kinesis.partitionKey, undefined, EMPTY, true, arrival, arn, undefined, new RecordDecodeError(identity, error));
  }
}
