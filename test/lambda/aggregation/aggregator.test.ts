import { randomBytes } from 'crypto';
import { deaggregate, RecordAggregator, UserRecord } from '../../../lambda/aggregation';

const rec = (partitionKey: string, size: number, explicitHashKey?: string): UserRecord => ({
  partitionKey, explicitHashKey, data: randomBytes(size),
});

describe('RecordAggregator', () => {
  test('sizeBytes is exactly the encoded data plus the enclosing partition key, after every add', () => {
    const agg = new RecordAggregator({ maxBytes: 1024 * 1024 });
    let first: string | undefined;
    // Sizes around varint boundaries (127/128, 16383/16384) and keys of 1 to 256 characters.
    const sizes = [0, 1, 127, 128, 129, 16_383, 16_384, 20_000, 5];
    for (let i = 0; i < 60; i++) {
      const key = i % 7 === 0 ? 'k'.repeat(1 + (i * 37) % 256) : `key-${i % 5}-é`;
      const r = rec(key, sizes[i % sizes.length], i % 3 === 0 ? String(BigInt(i) * 123456789n) : undefined);
      first ??= r.partitionKey;
      const predicted = agg.sizeWith(r);
      expect(agg.add(r)).toBe(true);
      expect(agg.sizeBytes).toBe(predicted);
      if (agg.count > 1) {
        // Encode a copy to compare: drain empties the aggregator, so rebuild it from the same records.
        const copy = new RecordAggregator({ maxBytes: 1024 * 1024 });
        const snapshot = (agg as unknown as { records: UserRecord[] }).records;
        snapshot.forEach((s) => copy.add(s));
        const encoded = copy.drain()!;
        expect(encoded.sizeBytes).toBe(encoded.data.length + Buffer.byteLength(first, 'utf8'));
        expect(encoded.sizeBytes).toBe(agg.sizeBytes);
      }
    }
  });

  test('add returns false exactly when the next record would exceed maxBytes', () => {
    const maxBytes = 10_000;
    const agg = new RecordAggregator({ maxBytes });
    const added: UserRecord[] = [];
    let r = rec('device-1', 97);
    for (let i = 0; agg.add(r); i++) {
      added.push(r);
      r = rec(`device-${i % 13}`, 90 + (i % 20));
    }
    expect(agg.sizeBytes).toBeLessThanOrEqual(maxBytes);
    expect(agg.sizeWith(r)).toBeGreaterThan(maxBytes);
    const countBefore = agg.count;
    expect(agg.add(r)).toBe(false);
    expect(agg.count).toBe(countBefore);
    const encoded = agg.drain()!;
    expect(encoded.sizeBytes).toBeLessThanOrEqual(maxBytes);
    expect(encoded.aggregated).toBe(true);
    const out = deaggregate(encoded.data, encoded.partitionKey);
    expect(out.map((o) => o.partitionKey)).toEqual(added.map((a) => a.partitionKey));
    expect(out.every((o, i) => Buffer.from(o.data).equals(Buffer.from(added[i].data)))).toBe(true);
    expect(agg.count).toBe(0);
    expect(agg.drain()).toBeUndefined();
  });

  test('a record too large on its own is refused by an empty aggregator', () => {
    const agg = new RecordAggregator({ maxBytes: 100 });
    expect(agg.add(rec('k', 99))).toBe(true); // sent as a plain record: 99 + 1 bytes
    const single = agg.drain()!;
    expect(single.aggregated).toBe(false);
    expect(single.sizeBytes).toBe(100);
    expect(agg.add(rec('k', 100))).toBe(false);
    expect(agg.count).toBe(0);
  });

  test('maxRecords bounds the count', () => {
    const agg = new RecordAggregator({ maxRecords: 2 });
    expect(agg.add(rec('a', 1))).toBe(true);
    expect(agg.add(rec('b', 1))).toBe(true);
    expect(agg.add(rec('c', 1))).toBe(false);
  });

  test('the enclosing keys are the first user record\'s', () => {
    const agg = new RecordAggregator();
    agg.add(rec('first', 3, '77'));
    agg.add(rec('second', 3));
    const e = agg.drain()!;
    expect(e.partitionKey).toBe('first');
    expect(e.explicitHashKey).toBe('77');
    expect(e.records.map((r) => r.partitionKey)).toEqual(['first', 'second']);
  });

  test('rejects nonsensical limits', () => {
    expect(() => new RecordAggregator({ maxBytes: 0 })).toThrow(/positive maxBytes/);
  });
});
