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
  /** The scheduler's bucket of the partition key when it came with the record (see key-bucket.ts); -1 if not. */
  readonly keyBucket: number;
}

const EMPTY = Buffer.alloc(0);

/**
 * The base64 characters every aggregate starts with: those that encode only magic bits. A plain record whose data
 * does not start with them is not decoded until it is handled.
 */
const MAGIC_BASE64_PREFIX = Buffer.from(AggregationLimits.MAGIC).toString('base64').slice(0, Math.floor((AggregationLimits.MAGIC.length * 8) / 6));
const [M0, M1, M2, M3, M4] = [0, 1, 2, 3, 4].map((i) => MAGIC_BASE64_PREFIX.charCodeAt(i));

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
    public readonly keyBucket: number,
  ) {
    this.bytes = bytes;
  }

  /**
   * Decoded on each read for a plain record: a cached buffer would outlive the young generation for nothing.
   *
   * @throws RecordDecodeError when the record's data is not base64; the runtime reads it once before handling the
   * record, and fails the record instead.
   */
  public get data(): Buffer {
    if (this.bytes !== undefined) return this.bytes;
    const bytes = decodeBase64(this.base64!);
    if (bytes === undefined) throw notBase64(this, this.base64!);
    return bytes;
  }
}

const EQUALS = 61;

/**
 * The bytes of base64 text (RFC 4648 section 4: the standard alphabet, padded to a multiple of four characters), or
 * undefined when the text is not that. Kinesis hands records to Lambda in exactly this form.
 *
 * Node's decoder is lenient: it skips characters outside its alphabet (whitespace, `$`, non-ASCII), stops at the first
 * `=`, and reads the URL-safe `-` and `_` as well. Whatever it skipped or stopped at, fewer bytes come out than the
 * text's length and padding promise, so comparing the two checks every character without a loop of our own; the two
 * URL-safe characters, which it decodes like `+` and `/`, are looked for separately.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const n = text.length;
  if (n % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const padding = n === 0 || text.charCodeAt(n - 1) !== EQUALS ? 0 : text.charCodeAt(n - 2) === EQUALS ? 2 : 1;
  if (bytes.length !== (n / 4) * 3 - padding || text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return undefined;
  return bytes;
}

function notBase64(identity: RecordIdentity, text: string): RecordDecodeError {
  return new RecordDecodeError(identity, new Error(`data is not base64 (RFC 4648, standard alphabet, padded): ${text.length} characters starting '${text.slice(0, 16)}'`));
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
  /** User records in the aggregate. */
  public readonly size: number;
  private readonly sequenceNumber: string;
  private readonly arrival: number;
  private readonly arn: string;
  /** The key table's buckets, when the aggregate was read with them. */
  private readonly buckets: readonly number[] | undefined;

  constructor(
    public readonly shardId: string,
    record: KinesisStreamRecord,
    private readonly bytes: Buffer,
    public readonly layout: AggregateLayout,
  ) {
    // Read once here rather than once per user record.
    this.size = layout.records.length / LAYOUT_STRIDE;
    this.sequenceNumber = record.kinesis.sequenceNumber;
    this.arrival = record.kinesis.approximateArrivalTimestamp;
    this.arn = record.eventSourceARN;
    this.buckets = layout.partitionKeyBuckets;
  }

  public userRecord(subSequenceNumber: number): DecodedRecord {
    const layout = this.layout;
    const records = layout.records;
    const r = subSequenceNumber * LAYOUT_STRIDE;
    const p = records[r];
    const e = records[r + 1];
    return new Decoded(this.shardId, this.sequenceNumber, subSequenceNumber, layout.partitionKeys[p], undefined,
      this.bytes.subarray(records[r + 2], records[r + 3]), true, this.arrival, this.arn, e < 0 ? undefined : layout.explicitHashKeys[e], undefined,
      // -1 without buckets, rather than the `undefined` of a read past an empty table: the scheduler compares it as a
      // number, and a field that holds only small integers stays one.
      this.buckets === undefined ? -1 : this.buckets[p]);
  }
}

/** The user record of a plain Kinesis record, created when it is handled so that it dies young. */
export function plainUserRecord(record: KinesisStreamRecord, shardId: string): DecodedRecord {
  const kinesis = record.kinesis;
  return new Decoded(shardId, kinesis.sequenceNumber, 0, kinesis.partitionKey, kinesis.data, undefined, false,
    kinesis.approximateArrivalTimestamp, record.eventSourceARN, undefined, undefined, -1);
}

/** Whether a Kinesis record may be an aggregate: its base64 data starts like the magic bytes. */
export function mayBeAggregated(record: KinesisStreamRecord): boolean {
  // Five character reads: `startsWith` cost about ten times as much on the strings of a parsed event (Node.js 20).
  const data = record.kinesis.data;
  return data.length >= 5 && data.charCodeAt(0) === M0 && data.charCodeAt(1) === M1 && data.charCodeAt(2) === M2
    && data.charCodeAt(3) === M3 && data.charCodeAt(4) === M4;
}

/**
 * Decodes one Kinesis record that may be an aggregate: into an `Aggregate` when it is one, a decoded user record when
 * it is not. A record that cannot be decoded (data that is not base64, or a corrupt aggregate: wrong MD5 or malformed
 * protobuf) becomes one placeholder carrying the error under the enclosing partition key, because the keys of the
 * user records inside it cannot be known.
 *
 * @param keyBuckets whether an aggregate's user records carry their key's scheduler bucket (`keyBucket`, else -1).
 */
export function decodeRecord(record: KinesisStreamRecord, shardId: string, keyBuckets = true): Aggregate | DecodedRecord {
  const kinesis = record.kinesis;
  const seq = kinesis.sequenceNumber;
  const arrival = kinesis.approximateArrivalTimestamp;
  const arn = record.eventSourceARN;
  const bytes = decodeBase64(kinesis.data);
  if (bytes === undefined) return undecodable(record, shardId, false, (identity) => notBase64(identity, kinesis.data));
  if (!isAggregated(bytes)) {
    return new Decoded(shardId, seq, 0, kinesis.partitionKey, undefined, bytes, false, arrival, arn, undefined, undefined, -1);
  }
  try {
    return new Aggregate(shardId, record, bytes, readAggregate(bytes, keyBuckets));
  } catch (error) {
    return undecodable(record, shardId, true, (identity) => new RecordDecodeError(identity, error));
  }
}

/** The placeholder of a Kinesis record that cannot be decoded: a failure of the enclosing partition key. */
function undecodable(record: KinesisStreamRecord, shardId: string, aggregated: boolean, error: (identity: RecordIdentity) => RecordDecodeError): DecodedRecord {
  const kinesis = record.kinesis;
  const identity = { shardId, sequenceNumber: kinesis.sequenceNumber, subSequenceNumber: 0, partitionKey: kinesis.partitionKey };
  return new Decoded(shardId, kinesis.sequenceNumber, 0, kinesis.partitionKey, undefined, EMPTY, aggregated,
    kinesis.approximateArrivalTimestamp, record.eventSourceARN, undefined, error(identity), -1);
}
