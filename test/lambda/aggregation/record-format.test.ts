import { createHash } from 'crypto';
import { AggregationFormatError, deaggregate, encodeAggregate, isAggregated, UserRecord } from '../../../lambda/aggregation';

const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const bytes = (s: string) => Buffer.from(s, 'utf8');

/** Frames a hand-built protobuf body as an aggregate with a correct MD5, to test the decoder on exact bytes. */
function frame(body: number[] | Buffer): Buffer {
  const b = Buffer.from(body);
  return Buffer.concat([MAGIC, b, createHash('md5').update(b).digest()]);
}

describe('isAggregated', () => {
  test('looks at the four magic bytes only', () => {
    expect(isAggregated(MAGIC)).toBe(true);
    expect(isAggregated(Buffer.from([0xf3, 0x89, 0x9a]))).toBe(false);
    expect(isAggregated(Buffer.from([0xf3, 0x89, 0x9a, 0xc3, 0]))).toBe(false);
    expect(isAggregated(bytes('{"a":1}'))).toBe(false);
  });
});

describe('encodeAggregate / deaggregate', () => {
  test('round-trips keys, explicit hash keys, binary data and order', () => {
    const records: UserRecord[] = [
      { partitionKey: 'a', data: bytes('one') },
      { partitionKey: 'ü-ключ-🔑', data: Buffer.from([0, 255, 0xf3, 0x89]) },
      { partitionKey: 'a', explicitHashKey: '340282366920938463463374607431768211455', data: new Uint8Array(0) },
      { partitionKey: 'b', explicitHashKey: '0', data: Buffer.alloc(300, 7) },
    ];
    const encoded = encodeAggregate(records);
    expect(isAggregated(encoded)).toBe(true);
    const out = deaggregate(encoded, 'enclosing', '123');
    expect(out).toHaveLength(4);
    out.forEach((r, i) => {
      expect(r.partitionKey).toBe(records[i].partitionKey);
      expect(r.explicitHashKey).toBe(records[i].explicitHashKey);
      expect(Buffer.from(r.data).equals(Buffer.from(records[i].data))).toBe(true);
      expect(r.subSequenceNumber).toBe(i);
      expect(r.aggregated).toBe(true);
    });
  });

  test('encodes exactly the bytes of the KPL format (tables first, then records)', () => {
    const encoded = Buffer.from(encodeAggregate([
      { partitionKey: 'k', data: bytes('x') },
      { partitionKey: 'k', explicitHashKey: '5', data: bytes('yz') },
    ]));
    const body = [
      0x0a, 1, 0x6b, // partition_key_table: "k"
      0x12, 1, 0x35, // explicit_hash_key_table: "5"
      0x1a, 5, 0x08, 0, 0x1a, 1, 0x78, // record { pk 0, data "x" }
      0x1a, 8, 0x08, 0, 0x10, 0, 0x1a, 2, 0x79, 0x7a, // record { pk 0, ehk 0, data "yz" }
    ];
    expect(encoded.equals(frame(body))).toBe(true);
  });

  test('an empty aggregate decodes to no records', () => {
    expect(deaggregate(encodeAggregate([]), 'pk')).toEqual([]);
  });

  test('a plain blob is one record with the enclosing keys', () => {
    const data = bytes('{"deviceId":"d1"}');
    expect(deaggregate(data, 'd1', '42')).toEqual([{ partitionKey: 'd1', explicitHashKey: '42', data, subSequenceNumber: 0, aggregated: false }]);
    expect(deaggregate(new Uint8Array(0), 'd1')[0].aggregated).toBe(false);
  });

  test('skips unknown fields and tags, as a protobuf reader must', () => {
    const body = [
      0x0a, 1, 0x6b,
      0x28, 0x96, 0x01, // unknown field 5, varint 150
      0x3d, 1, 2, 3, 4, // unknown field 7, fixed32
      0x41, 1, 2, 3, 4, 5, 6, 7, 8, // unknown field 8, fixed64
      0x1a, 12, 0x08, 0, 0x1a, 1, 0x78, 0x22, 5, 0x0a, 1, 0x74, 0x12, 0, // record with a tag {key "t", value ""}
    ];
    const [r] = deaggregate(frame(body), 'enclosing');
    expect(r.partitionKey).toBe('k');
    expect(Buffer.from(r.data).toString()).toBe('x');
  });
});

describe('corrupt aggregates throw AggregationFormatError', () => {
  const good = Buffer.from(encodeAggregate([{ partitionKey: 'a', data: bytes('hello') }, { partitionKey: 'b', data: bytes('world') }]));

  const expectCorrupt = (data: Uint8Array, message: RegExp) => {
    expect(() => deaggregate(data, 'pk')).toThrow(AggregationFormatError);
    expect(() => deaggregate(data, 'pk')).toThrow(message);
  };

  test('bad MD5', () => {
    const bad = Buffer.from(good);
    bad[bad.length - 1] = bad[bad.length - 1] === 0 ? 1 : 0;
    expectCorrupt(bad, /MD5 trailer/);
    const flipped = Buffer.from(good);
    flipped[6] = flipped[6] + 1;
    expectCorrupt(flipped, /MD5 trailer/);
  });

  test('shorter than magic plus trailer', () => {
    expectCorrupt(MAGIC, /shorter than the 20 bytes/);
    expectCorrupt(good.subarray(0, 19), /shorter than the 20 bytes/);
  });

  test('truncated message (length runs past the end)', () => {
    expectCorrupt(frame(good.subarray(4, good.length - 16 - 3)), /runs past the end/);
  });

  test('bad varints: truncated, and longer than ten bytes', () => {
    expectCorrupt(frame([0x0a, 1, 0x6b, 0x1a, 0x80]), /truncated varint/);
    expectCorrupt(frame([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint longer than 10 bytes/);
  });

  test('field number 0 and unsupported wire types', () => {
    expectCorrupt(frame([0x02, 0]), /field number 0/);
    expectCorrupt(frame([0x0b]), /unsupported wire type 3/);
  });

  test('partition key index out of range', () => {
    expectCorrupt(frame([0x0a, 1, 0x6b, 0x1a, 5, 0x08, 1, 0x1a, 1, 0x78]), /partition_key_index 1, but the table has 1 key/);
  });

  test('explicit hash key index out of range', () => {
    expectCorrupt(frame([0x0a, 1, 0x6b, 0x1a, 7, 0x08, 0, 0x10, 0, 0x1a, 1, 0x78]), /explicit_hash_key_index 0, but the table has 0 key/);
  });

  test('missing required fields', () => {
    expectCorrupt(frame([0x0a, 1, 0x6b, 0x1a, 3, 0x1a, 1, 0x78]), /no partition_key_index/);
    expectCorrupt(frame([0x0a, 1, 0x6b, 0x1a, 2, 0x08, 0]), /no data/);
  });

  test('a partition key that is not UTF-8', () => {
    expectCorrupt(frame([0x0a, 1, 0xff, 0x1a, 5, 0x08, 0, 0x1a, 1, 0x78]), /not valid UTF-8/);
  });
});
