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
import * as crypto from 'crypto';
import { createHash } from 'crypto';
import { bucketOfAscii } from './key-bucket';
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
 * The user records of an aggregate, without an object per user record: the key tables, decoded once, and for user
 * record `i` the entries `4i` to `4i + 3` of `records`: partition key index, explicit hash key index (-1 for none),
 * and the start and end of its data in the aggregate's bytes. Consumers that keep a batch's records for a while
 * (grouping them by key) hold this instead of thousands of small objects and views.
 */
export interface AggregateLayout {
  readonly partitionKeys: readonly string[];
  readonly explicitHashKeys: readonly string[];
  readonly records: readonly number[];
  /**
   * With `keyBuckets` asked of `readAggregate`: the consumer scheduler's bucket (see key-bucket.ts) of each partition
   * key of the table that is ASCII, from its bytes, and -1 for the others.
   */
  readonly partitionKeyBuckets?: readonly number[];
}

/** Entries per user record in `AggregateLayout.records`. */
export const LAYOUT_STRIDE = 4;

/**
 * Checks and reads an aggregate (data that starts with the magic bytes: see `isAggregated`) into its layout.
 *
 * @param keyBuckets whether to compute `partitionKeyBuckets` (see there), from each ASCII key's bytes. @default false
 * @throws AggregationFormatError when it is not a valid aggregate: bad MD5, malformed protobuf, an index out of range.
 */
export function readAggregate(data: Uint8Array, keyBuckets = false): AggregateLayout {
  if (data.length < FRAMING_BYTES) {
    throw new AggregationFormatError(`${data.length} bytes is shorter than the ${FRAMING_BYTES} bytes of magic and MD5 trailer`);
  }
  const bodyEnd = data.length - DIGEST_BYTES;
  const digest = md5(data.subarray(MAGIC.length, bodyEnd));
  for (let i = 0; i < DIGEST_BYTES; i++) {
    if (digest.charCodeAt(i) !== data[bodyEnd + i]) {
      throw new AggregationFormatError(`MD5 trailer ${Buffer.from(data.subarray(bodyEnd)).toString('hex')} does not match the message (${Buffer.from(digest, 'latin1').toString('hex')})`);
    }
  }
  try {
    return decodeBody(data, bodyEnd, keyBuckets);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw new AggregationFormatError(err.message);
    throw err;
  }
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
  const { partitionKeys, explicitHashKeys, records } = readAggregate(data);
  const out: DeaggregatedRecord[] = new Array(records.length / LAYOUT_STRIDE);
  for (let i = 0, r = 0; r < records.length; i++, r += LAYOUT_STRIDE) {
    const e = records[r + 1];
    out[i] = {
      partitionKey: partitionKeys[records[r]],
      explicitHashKey: e < 0 ? undefined : explicitHashKeys[e],
      data: data.subarray(records[r + 2], records[r + 3]),
      subSequenceNumber: i,
      aggregated: true,
    };
  }
  return out;
}

/** One-shot hashing (Node.js 20.12 and later) saves a Hash object per aggregate. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'binary') => string }).hash;

/**
 * The MD5 of `data`, one character per byte ('binary' is latin1). A string rather than a Buffer: Node.js gives a
 * Buffer made in C++ a hidden class of its own that dies with the last such buffer, and each full garbage collection
 * that collected it would throw away the optimized code of the function comparing digests.
 */
function md5(data: Uint8Array): string {
  return oneShotHash ? oneShotHash('md5', data, 'binary') : createHash('md5').update(data).digest('binary');
}

/**
 * The readers of `decodeBody`, created once: it is synchronous and calls nothing that could re-enter it. Readers made
 * per aggregate would be garbage, and their hidden class would die with them at each full garbage collection that
 * finds none alive, throwing away the optimized code of this hot path.
 */
const BODY_READER = new ProtobufReader(new Uint8Array(0));
const RECORD_READER = new ProtobufReader(new Uint8Array(0));
const NO_BYTES = new Uint8Array(0);

/** Reads the protobuf message in `data[MAGIC.length, bodyEnd)`; offsets in errors count from the start of `data`. */
function decodeBody(data: Uint8Array, bodyEnd: number, keyBuckets: boolean): AggregateLayout {
  try {
    BODY_READER.load(data, MAGIC.length, bodyEnd, MAGIC.length);
    RECORD_READER.load(data, 0, 0, 0);
    return readBody(data, BODY_READER, RECORD_READER, keyBuckets);
  } finally {
    BODY_READER.load(NO_BYTES, 0, 0, 0);
    RECORD_READER.load(NO_BYTES, 0, 0, 0);
  }
}

function readBody(data: Uint8Array, reader: ProtobufReader, inner: ProtobufReader, keyBuckets: boolean): AggregateLayout {
  const partitionKeys: string[] = [];
  // Filled by index, not `push`: TurboFan left the `push` of a conditionally made array a call to the builtin, once
  // per key (measured in instructions, Node.js 20).
  const buckets: number[] | undefined = keyBuckets ? [] : undefined;
  const explicitHashKeys: string[] = [];
  const records: number[] = [];
  while (!reader.done) {
    const tag = reader.nextTag();
    const wireType = tag % 8;
    if (wireType !== WireType.LENGTH_DELIMITED) {
      reader.skip(wireType);
      continue;
    }
    reader.readLengthDelimited();
    switch ((tag - wireType) / 8) {
      case AggregatedRecordField.PARTITION_KEY_TABLE: {
        const key = decodeString(data, reader.start, reader.end, 'partition key');
        partitionKeys.push(key);
        // As many characters as bytes: every byte was one (ASCII), as valid UTF-8 has no other way to get there.
        if (buckets !== undefined) {
          buckets[partitionKeys.length - 1] = key.length === reader.end - reader.start ? bucketOfAscii(data, reader.start, reader.end) : -1;
        }
        break;
      }
      case AggregatedRecordField.EXPLICIT_HASH_KEY_TABLE:
        explicitHashKeys.push(decodeString(data, reader.start, reader.end, 'explicit hash key'));
        break;
      case AggregatedRecordField.RECORDS:
        inner.reset(reader.start, reader.end, reader.start);
        decodeRecord(inner, records);
        break;
      default:
        // Unknown fields are skipped, as protobuf readers must, so a newer writer does not break this reader.
        break;
    }
  }
  // Checked once the whole message is read, in record order, as the tables may come after the records.
  for (let i = 0, r = 0; r < records.length; i++, r += LAYOUT_STRIDE) {
    const p = records[r];
    const e = records[r + 1];
    if (p < 0) throw new AggregationFormatError(`user record ${i} has no partition_key_index`);
    if (records[r + 2] < 0) throw new AggregationFormatError(`user record ${i} has no data`);
    if (p >= partitionKeys.length) {
      throw new AggregationFormatError(`user record ${i} has partition_key_index ${p}, but the table has ${partitionKeys.length} key(s)`);
    }
    if (e >= explicitHashKeys.length) {
      throw new AggregationFormatError(`user record ${i} has explicit_hash_key_index ${e}, but the table has ${explicitHashKeys.length} key(s)`);
    }
  }
  return buckets === undefined ? { partitionKeys, explicitHashKeys, records } : { partitionKeys, explicitHashKeys, records, partitionKeyBuckets: buckets };
}

/** Appends one `Record` message's entries to `records`; -1 marks a field that is absent. */
function decodeRecord(reader: ProtobufReader, records: number[]): void {
  let partitionKeyIndex = -1;
  let explicitHashKeyIndex = -1;
  let start = -1;
  let end = -1;
  while (!reader.done) {
    const tag = reader.nextTag();
    if (tag === RECORD_PARTITION_KEY_INDEX_TAG) {
      partitionKeyIndex = reader.readVarint();
    } else if (tag === RECORD_EXPLICIT_HASH_KEY_INDEX_TAG) {
      explicitHashKeyIndex = reader.readVarint();
    } else if (tag === RECORD_DATA_TAG) {
      reader.readLengthDelimited();
      start = reader.start;
      end = reader.end;
    } else {
      // Tags (field 4) carry nothing a consumer of this library uses; skipping them is what the KCL does too.
      reader.skip(tag % 8);
    }
  }
  records.push(partitionKeyIndex, explicitHashKeyIndex, start, end);
}

const RECORD_PARTITION_KEY_INDEX_TAG = fieldTag(RecordField.PARTITION_KEY_INDEX, WireType.VARINT);
const RECORD_EXPLICIT_HASH_KEY_INDEX_TAG = fieldTag(RecordField.EXPLICIT_HASH_KEY_INDEX, WireType.VARINT);
const RECORD_DATA_TAG = fieldTag(RecordField.DATA, WireType.LENGTH_DELIMITED);

function decodeString(data: Uint8Array, start: number, end: number, what: string): string {
  // Keys are nearly always ASCII, which is valid UTF-8 read byte for byte: no decoder, no view.
  let ascii = Buffer.isBuffer(data);
  for (let i = start; ascii && i < end; i++) ascii = data[i] < 0x80;
  if (ascii) return (data as Buffer).toString('latin1', start, end);
  try {
    return strictUtf8.decode(data.subarray(start, end));
  } catch {
    throw new AggregationFormatError(`a ${what} in the table is not valid UTF-8`);
  }
}
