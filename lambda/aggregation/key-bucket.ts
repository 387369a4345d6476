/**
 * The bucket of a partition key, for the consumer scheduler's two filters (keys in flight, stopped keys): from the key's
 * length, its last three characters and its middle one. A bucket holding no key in flight (or no stopped key) rules a
 * record out without a lookup, and keys that share a bucket only cost the exact check. The last characters are where
 * numbered, hashed and random keys differ (5,000 UUIDs, hex digests, `user-<n>` or `device-<nnnnnn>` keys each fill
 * all 256 buckets).
 *
 * Two ways to the same bucket: from the string, and from the bytes of an ASCII key in a KPL aggregate's key table,
 * read while the table is decoded. On Node.js 20 a `charCodeAt` of a key just made from bytes costs several
 * nanoseconds, a typed-array read one: five of them per user record were a third of the scheduler's cost per record.
 */

/** Buckets of the filters. */
export const KEY_BUCKETS = 256;

/** The bucket of `key`. */
export function bucketOf(key: string): number {
  const n = key.length;
  if (n < 3) return n === 0 ? 0 : (n + key.charCodeAt(0) * 10 + key.charCodeAt(n - 1)) % KEY_BUCKETS;
  // An integer half: `Math.floor(n / 2)` made the index a double, which cost more than all five reads.
  return (n + key.charCodeAt(n - 1) + key.charCodeAt(n - 2) * 10 + key.charCodeAt(n - 3) * 100 + key.charCodeAt((n - (n % 2)) / 2) * 7) % KEY_BUCKETS;
}

/**
 * The bucket of the ASCII key in `data[start, end)`: the same as `bucketOf` of its string. (For other keys the bytes
 * are not the characters: use `bucketOf`.)
 */
export function bucketOfAscii(data: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n < 3) return n === 0 ? 0 : (n + data[start] * 10 + data[end - 1]) % KEY_BUCKETS;
  return (n + data[end - 1] + data[end - 2] * 10 + data[end - 3] * 100 + data[start + (n - (n % 2)) / 2] * 7) % KEY_BUCKETS;
}
