/**
 * Where a record goes: Kinesis maps a record to the shard whose hash-key range holds its explicit hash key, or the
 * MD5 of its partition key read as a 128-bit unsigned integer. BigInt keeps all 128 bits exact.
 *
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecordsRequestEntry.html
 */
import { createHash } from 'crypto';
import { KinesisLimits } from '../../src/validation/limits';

export const MAX_HASH_KEY = BigInt(KinesisLimits.MAX_HASH_KEY);

/** The MD5 of the partition key's UTF-8 bytes as an unsigned 128-bit integer. */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** Parses a decimal explicit hash key; undefined when it is not a decimal integer within 0 to 2^128 - 1. */
export function parseExplicitHashKey(value: string): bigint | undefined {
  if (!/^\d{1,39}$/.test(value)) return undefined;
  const key = BigInt(value);
  return key <= MAX_HASH_KEY ? key : undefined;
}

/** The hash key Kinesis will use for a record. Call only on validated records. */
export function effectiveHashKey(partitionKey: string, explicitHashKey?: string): bigint {
  return explicitHashKey === undefined ? partitionKeyHash(partitionKey) : parseExplicitHashKey(explicitHashKey)!;
}
