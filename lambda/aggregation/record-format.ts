/**
 * The KPL aggregated record format: many user records packed into one Kinesis record.
 *
 * A Kinesis record is an aggregate when its data is `MAGIC ++ protobuf(AggregatedRecord) ++ MD5(protobuf)`:
 *
 * ```proto
 * message AggregatedRecord {
 *   repeated string partition_key_table     = 1;
 *   repeated string explicit_hash_key_table = 2;
 *   repeated Record records                 = 3;
 * }
 * message Record {
 *   required uint64 partition_key_index     = 1;
 *   optional uint64 explicit_hash_key_index = 2;
 *   required bytes  data                    = 3;
 *   repeated Tag    tags                    = 4;
 * }
 * ```
 *
 * @see https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 */
import { createHash } from 'crypto';
import { fieldTag, lengthDelimitedFieldSize, ProtobufDecodeError, ProtobufReader, ProtobufWriter, varintFieldSize, WireType } from './protobuf';
import { AggregationLimits } from '../../src/validation/limits';

/** A record as the producer's caller sees it: before aggregation, or after de-aggregation. */
export interface UserRecord {
  readonly partitionKey: string;
  /** Decimal 128-bit hash key that overrides the MD5 of the partition key when choosing a shard. */
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
}

/** A user record read back out of a Kinesis record. */
export interface DeaggregatedRecord extends UserRecord {
  /** Position of the user record inside its Kinesis record; 0 for a record that was not aggregated. */
  readonly subSequenceNumber: number;
  /** Whether the Kinesis record was an aggregate. */
  readonly aggregated: boolean;
}

/** A Kinesis record starts with the magic bytes but is not a valid aggregate (bad MD5, bad protobuf, bad index). */
export class AggregationFormatError extends Error {
  constructor(message: string) {
    super(`corrupt KPL aggregated record: ${message}`);
    this.name = 'AggregationFormatError';
  }
}

const MAGIC = Uint8Array.from(AggregationLimits.MAGIC);
const DIGEST_BYTES = AggregationLimits.DIGEST_BYTES;
/** Bytes an aggregate adds around its protobuf message. */
export const FRAMING_BYTES = MAGIC.length + DIGEST_BYTES;

const enum AggregatedRecordField { PARTITION_KEY_TABLE = 1, EXPLICIT_HASH_KEY_TABLE = 2, RECORDS = 3 }
const enum RecordField { PARTITION_KEY_INDEX = 1, EXPLICIT_HASH_KEY_INDEX = 2, DATA = 3 }

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `data` starts with the magic bytes of an aggregate. */
export function isAggregated(data: Uint8Array): boolean {
  if (data.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) {
    if (data[i] !== MAGIC[i]) return false;
  }
  return true;
}

/** One user record inside an aggregate, with its keys already replaced by table indexes. */
export interface IndexedRecord {
  readonly partitionKeyIndex: number;
  readonly explicitHashKeyIndex?: number;
  readonly data: Uint8Array;
}

/** Bytes of a `Record` message's payload (without its own tag and length). */
export function recordMessageSize(record: IndexedRecord): number {
  return varintFieldSize(record.partitionKeyIndex)
    + (record.explicitHashKeyIndex === undefined ? 0 : varintFieldSize(record.explicitHashKeyIndex))
    + lengthDelimitedFieldSize(record.data.length);
}

/**
 * Encodes an aggregate from its tables and records. `protobufBytes` must be the exact size of the message, which
 * callers that account incrementally already know; it is checked so that a size bug can never produce a record
 * whose MD5 covers the wrong bytes.
 */
export function encodeTables(
  partitionKeys: readonly Uint8Array[],
  explicitHashKeys: readonly Uint8Array[],
  records: readonly IndexedRecord[],
  protobufBytes: number,
): Uint8Array {
  const out = Buffer.allocUnsafe(protobufBytes + FRAMING_BYTES);
  out.set(MAGIC, 0);
  const body = out.subarray(MAGIC.length, MAGIC.length + protobufBytes);
  const writer = new ProtobufWriter(body);
  for (const key of partitionKeys) writer.lengthDelimited(AggregatedRecordField.PARTITION_KEY_TABLE, key);
  for (const key of explicitHashKeys) writer.lengthDelimited(AggregatedRecordField.EXPLICIT_HASH_KEY_TABLE, key);
  for (const record of records) {
    writer.varint(fieldTag(AggregatedRecordField.RECORDS, WireType.LENGTH_DELIMITED)).varint(recordMessageSize(record));
    writer.varintField(RecordField.PARTITION_KEY_INDEX, record.partitionKeyIndex);
    if (record.explicitHashKeyIndex !== undefined) writer.varintField(RecordField.EXPLICIT_HASH_KEY_INDEX, record.explicitHashKeyIndex);
    writer.lengthDelimited(RecordField.DATA, record.data);
  }
  if (writer.position !== protobufBytes) {
    throw new Error(`aggregate size accounting is off: wrote ${writer.position} bytes, expected ${protobufBytes}`);
  }
  out.set(createHash('md5').update(body).digest(), MAGIC.length + protobufBytes);
  return out;
}

/**
 * Packs user records into one aggregate, in order, with no size limit: use {@link RecordAggregator} to respect the
 * stream's record size. Every record's key goes into the tables, so any consumer can restore it.
 */
export function encodeAggregate(records: readonly UserRecord[]): Uint8Array {
  const pkIndex = new Map<string, number>();
  const ehkIndex = new Map<string, number>();
  const pkTable: Uint8Array[] = [];
  const ehkTable: Uint8Array[] = [];
  let size = 0;
  const indexed = records.map((record): IndexedRecord => {
    let p = pkIndex.get(record.partitionKey);
    if (p === undefined) {
      p = pkTable.length;
      pkIndex.set(record.partitionKey, p);
      pkTable.push(utf8.encode(record.partitionKey));
      size += lengthDelimitedFieldSize(pkTable[p].length);
    }
    let e: number | undefined;
    if (record.explicitHashKey !== undefined) {
      e = ehkIndex.get(record.explicitHashKey);
      if (e === undefined) {
        e = ehkTable.length;
        ehkIndex.set(record.explicitHashKey, e);
        ehkTable.push(utf8.encode(record.explicitHashKey));
        size += lengthDelimitedFieldSize(ehkTable[e].length);
      }
    }
    const r: IndexedRecord = { partitionKeyIndex: p, explicitHashKeyIndex: e, data: record.data };
    size += lengthDelimitedFieldSize(recordMessageSize(r));
    return r;
  });
  return encodeTables(pkTable, ehkTable, indexed, size);
}

/**
 * Reads the user records out of a Kinesis record's data.
 *
 * A record without the magic bytes is returned as one user record carrying the enclosing keys, so a consumer can
 * call this on every record of a stream that mixes aggregated and plain records.
 *
 * @throws AggregationFormatError when the record has the magic bytes but is not a valid aggregate. (The KCL would
 * deliver such a record as opaque data; we refuse, because silently handing protobuf bytes to business logic as a
 * payload is worse than a loud, per-record error.)
 */
export function deaggregate(data: Uint8Array, enclosingPartitionKey: string, enclosingExplicitHashKey?: string): DeaggregatedRecord[] {
  if (!isAggregated(data)) {
    return [{ partitionKey: enclosingPartitionKey, explicitHashKey: enclosingExplicitHashKey, data, subSequenceNumber: 0, aggregated: false }];
  }
  if (data.length < FRAMING_BYTES) {
    throw new AggregationFormatError(`${data.length} bytes is shorter than the ${FRAMING_BYTES} bytes of magic and MD5 trailer`);
  }
  const body = data.subarray(MAGIC.length, data.length - DIGEST_BYTES);
  const digest = createHash('md5').update(body).digest();
  const trailer = data.subarray(data.length - DIGEST_BYTES);
  if (!digest.equals(trailer)) {
    throw new AggregationFormatError(`MD5 trailer ${Buffer.from(trailer).toString('hex')} does not match the message (${digest.toString('hex')})`);
  }
  try {
    return decodeBody(body);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw new AggregationFormatError(err.message);
    throw err;
  }
}

interface RawRecord { partitionKeyIndex?: number; explicitHashKeyIndex?: number; data?: Uint8Array }

function decodeBody(body: Uint8Array): DeaggregatedRecord[] {
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const raw: RawRecord[] = [];
  const reader = new ProtobufReader(body, MAGIC.length);
  while (!reader.done) {
    const field = reader.next();
    if (field.wireType !== WireType.LENGTH_DELIMITED) continue;
    switch (field.fieldNumber) {
      case AggregatedRecordField.PARTITION_KEY_TABLE:
        partitionKeys.push(decodeString(field.bytes, 'partition key'));
        break;
      case AggregatedRecordField.EXPLICIT_HASH_KEY_TABLE:
        explicitHashKeys.push(decodeString(field.bytes, 'explicit hash key'));
        break;
      case AggregatedRecordField.RECORDS:
        raw.push(decodeRecord(field.bytes, reader.absoluteOffset(field)));
        break;
      default:
        // Unknown fields are skipped, as protobuf readers must, so a newer writer does not break this reader.
        break;
    }
  }
  return raw.map((r, i) => {
    if (r.partitionKeyIndex === undefined) throw new AggregationFormatError(`user record ${i} has no partition_key_index`);
    if (r.data === undefined) throw new AggregationFormatError(`user record ${i} has no data`);
    if (r.partitionKeyIndex >= partitionKeys.length) {
      throw new AggregationFormatError(`user record ${i} has partition_key_index ${r.partitionKeyIndex}, but the table has ${partitionKeys.length} key(s)`);
    }
    if (r.explicitHashKeyIndex !== undefined && r.explicitHashKeyIndex >= explicitHashKeys.length) {
      throw new AggregationFormatError(
        `user record ${i} has explicit_hash_key_index ${r.explicitHashKeyIndex}, but the table has ${explicitHashKeys.length} key(s)`);
    }
    return {
      partitionKey: partitionKeys[r.partitionKeyIndex],
      explicitHashKey: r.explicitHashKeyIndex === undefined ? undefined : explicitHashKeys[r.explicitHashKeyIndex],
      data: r.data,
      subSequenceNumber: i,
      aggregated: true,
    };
  });
}

function decodeRecord(bytes: Uint8Array, offset: number): RawRecord {
  const record: RawRecord = {};
  const reader = new ProtobufReader(bytes, offset);
  while (!reader.done) {
    const field = reader.next();
    if (field.fieldNumber === RecordField.PARTITION_KEY_INDEX && field.wireType === WireType.VARINT) {
      record.partitionKeyIndex = field.value;
    } else if (field.fieldNumber === RecordField.EXPLICIT_HASH_KEY_INDEX && field.wireType === WireType.VARINT) {
      record.explicitHashKeyIndex = field.value;
    } else if (field.fieldNumber === RecordField.DATA && field.wireType === WireType.LENGTH_DELIMITED) {
      record.data = field.bytes;
    }
    // Tags (field 4) carry nothing a consumer of this library uses; skipping them is what the KCL does too.
  }
  return record;
}

function decodeString(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new AggregationFormatError(`a ${what} in the table is not valid UTF-8`);
  }
}
