/**
 * Checks a record against the Kinesis rules before it is buffered, so one bad record gets its own clear error
 * instead of failing a whole PutRecords call (Kinesis rejects the entire request on a validation error).
 */
import { KinesisLimits } from '../../src/validation/limits';
import { UserRecord } from '../aggregation';
import { parseExplicitHashKey } from './hash-key';

/** What is wrong with a record, or undefined when it may be sent. `sizeBytes` is what Kinesis counts. */
export function validateRecord(record: UserRecord, maxRecordSizeBytes: number): string | undefined {
  const key: unknown = record?.partitionKey;
  if (typeof key !== 'string') return `partition key must be a string, got ${typeof key}`;
  const length = unicodeLength(key);
  if (length < KinesisLimits.MIN_PARTITION_KEY_LENGTH || length > KinesisLimits.MAX_PARTITION_KEY_LENGTH) {
    return `partition key has ${length} characters; Kinesis accepts ${KinesisLimits.MIN_PARTITION_KEY_LENGTH} to ${KinesisLimits.MAX_PARTITION_KEY_LENGTH}`;
  }
  if (!(record.data instanceof Uint8Array)) return 'data must be a Uint8Array (or Buffer)';
  const size = recordSizeBytes(record);
  if (size > maxRecordSizeBytes) {
    return `record is ${size} bytes (data plus partition key); the stream accepts at most ${maxRecordSizeBytes}`;
  }
  if (record.explicitHashKey !== undefined && parseExplicitHashKey(record.explicitHashKey) === undefined) {
    return `explicit hash key '${String(record.explicitHashKey).slice(0, 64)}' is not a decimal integer from 0 to ${KinesisLimits.MAX_HASH_KEY}`;
  }
  return undefined;
}

/** Data plus partition key bytes: what Kinesis counts against the record size, request size and shard byte rate. */
export function recordSizeBytes(record: UserRecord): number {
  return record.data.length + Buffer.byteLength(record.partitionKey, 'utf8');
}

/** Kinesis counts partition key length in Unicode characters (code points), not UTF-16 units. */
function unicodeLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is a single character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
