import { createHash } from 'crypto';
import { deaggregate, encodeAggregate } from '../../../lambda/aggregation';
import { bucketOf } from '../../../lambda/aggregation/key-bucket';
import { LAYOUT_STRIDE, readAggregate } from '../../../lambda/aggregation/record-format';

const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
function frame(body: number[]): Buffer {
  const b = Buffer.from(body);
  return Buffer.concat([MAGIC, b, createHash('md5').update(b).digest()]);
}

describe('readAggregate', () => {
  const records = [
    { partitionKey: 'a', data: Buffer.from('one') },
    { partitionKey: 'ü-ключ-🔑', explicitHashKey: '7', data: Buffer.from([0, 255]) },
    { partitionKey: 'a', data: Buffer.alloc(0) },
  ];

  test('gives the tables once and, per user record, key indexes and the range of its data', () => {
    const encoded = Buffer.from(encodeAggregate(records));
    const layout = readAggregate(encoded);
    expect(layout.partitionKeys).toEqual(['a', 'ü-ключ-🔑']);
    expect(layout.explicitHashKeys).toEqual(['7']);
    expect(layout.records.length / LAYOUT_STRIDE).toBe(3);
    records.forEach((r, i) => {
      const [p, e, start, end] = layout.records.slice(i * LAYOUT_STRIDE, (i + 1) * LAYOUT_STRIDE);
      expect(layout.partitionKeys[p]).toBe(r.partitionKey);
      expect(e < 0 ? undefined : layout.explicitHashKeys[e]).toBe(r.explicitHashKey);
      expect(encoded.subarray(start, end).equals(r.data)).toBe(true);
    });
  });

  test('asked for key buckets, computes them from the bytes of each ASCII partition key and marks the others -1', () => {
    const encoded = Buffer.from(encodeAggregate([...records, { partitionKey: 'bc', data: Buffer.from('x') }]));
    const layout = readAggregate(encoded, true);
    expect(layout.partitionKeys).toEqual(['a', 'ü-ключ-🔑', 'bc']);
    expect(layout.partitionKeyBuckets).toEqual([bucketOf('a'), -1, bucketOf('bc')]);
    expect(readAggregate(encoded).partitionKeyBuckets).toBeUndefined();
  });

  test('a Uint8Array that is not a Buffer decodes the same as a Buffer, keys included', () => {
    const encoded = encodeAggregate(records);
    const plain = new Uint8Array(encoded);
    const fromPlain = deaggregate(plain, 'x');
    expect(fromPlain.map((r) => [r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString('hex')]))
      .toEqual(deaggregate(Buffer.from(encoded), 'x').map((r) => [r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString('hex')]));
    expect(Buffer.isBuffer(fromPlain[0].data)).toBe(false);
  });

  test('errors point at the byte of the whole record, in nested messages too', () => {
    // Magic is bytes 0-3; the record message's payload starts at byte 9; its varint is cut at byte 11.
    expect(() => readAggregate(frame([0x0a, 1, 0x6b, 0x1a, 2, 0x08, 0x80]))).toThrow(/truncated varint at byte 11/);
    expect(() => readAggregate(frame([0x0a, 5, 0x6b]))).toThrow(/length 5 runs past the end of the message \(1 bytes left\) at byte 6/);
    expect(() => readAggregate(frame([0x1a, 2, 0x08]))).toThrow(/runs past the end/);
  });

  test('unknown fields of every wire type are skipped, in the aggregate and in records', () => {
    const layout = readAggregate(frame([
      0x0a, 1, 0x6b, // partition_key_table: "k"
      0x20, 5, // field 4, varint
      0x29, 1, 2, 3, 4, 5, 6, 7, 8, // field 5, fixed64
      0x35, 1, 2, 3, 4, // field 6, fixed32
      0x1a, 14, 0x08, 0, 0x22, 2, 0x0a, 0x00, 0x2d, 1, 2, 3, 4, 0x1a, 1, 0x78, // record { pk 0, tag, fixed32, data "x" }
    ]));
    expect(layout.partitionKeys).toEqual(['k']);
    expect(layout.records.slice(0, 2)).toEqual([0, -1]);
  });

  test('a key that is not valid UTF-8 is refused, in the explicit hash key table too', () => {
    expect(() => readAggregate(frame([0x0a, 1, 0x6b, 0x12, 1, 0xc3, 0x1a, 3, 0x08, 0, 0x1a, 0]))).toThrow(/explicit hash key in the table is not valid UTF-8/);
  });
});
