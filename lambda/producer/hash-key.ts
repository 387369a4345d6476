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

/**
 * Remembers the hash of recently seen partition keys: producers see the same keys (device ids, user ids) over and
 * over, and an MD5 per record is a measurable share of the CPU at tens of thousands of records per second.
 */
export class PartitionKeyHashes {
  private readonly hashes = new Map<string, bigint>();

  constructor(private readonly capacity = 10_000) {}

  public of(partitionKey: string): bigint {
    let hash = this.hashes.get(partitionKey);
    if (hash === undefined) {
      // Cleared when full rather than evicted one by one: cheap, and a working set that large gains little anyway.
      if (this.hashes.size >= this.capacity) this.hashes.clear();
      hash = partitionKeyHash(partitionKey);
      this.hashes.set(partitionKey, hash);
    }
    return hash;
  }
}
