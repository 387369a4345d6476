/**
 * Record data is decoded with `atob` to a binary string (one character per byte), checked to be padded standard
 * base64, and a pass-through record's newline re-encodes only its last base64 group: the bytes delivered must be
 * exactly the record's bytes (and the newline), for every length and byte value.
 */
import { config, decode, eventOf, quiet } from './fixtures';
import { compileJsonTransform, InputRecord, transformBatch } from '../../../lambda/firehose';
import { decodeBinary, textOfBinary } from '../../../lambda/firehose/input-record';

/** Bytes 0..255 in a scrambled order, so that every length's tail holds different values. */
function bytesOf(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 167 + seed * 29 + 11) % 256));
}

function inputOf(data: unknown): InputRecord {
  return new InputRecord({ recordId: 'r-1', approximateArrivalTimestamp: 0, data: data as string });
}

describe('decodeBinary', () => {
  test.each(Array.from({ length: 10 }, (_, n) => n))('padded standard base64 of %i bytes decodes to those bytes', (length) => {
    for (let seed = 0; seed < 8; seed++) {
      const bytes = bytesOf(length, seed);
      const binary = decodeBinary(bytes.toString('base64'), 'r-1');
      expect(binary).toHaveLength(length);
      expect(Buffer.from(binary, 'latin1').equals(bytes)).toBe(true);
    }
  });

  test.each([
    ['the URL-safe alphabet', Buffer.from([0xfb, 0xff]).toString('base64url')],
    ['missing padding', 'SGVsbG8'],
    ['whitespace in a length that is a multiple of 4', 'SGVs bG8'],
    ['a line break', 'SGVs\nbG8='],
    ["'=' before the end", 'SG==bG8='],
    ['three padding characters', 'S==='],
    ['a character outside ASCII', 'SGVsbé8='],
  ])('%s is not base64', (_name, data) => {
    expect(() => decodeBinary(data, 'r-7')).toThrow(new RegExp(`^record r-7's data is not base64 \\(${data.length} characters starting '`));
  });

  test.each([[undefined, 'undefined'], [null, 'null'], [42, 'number']])('%s data is no data', (data, what) => {
    expect(() => decodeBinary(data, 'r-2')).toThrow(`record r-2 has no data (${what})`);
  });

  test('empty data is zero bytes', () => {
    expect(decodeBinary('', 'r-1')).toBe('');
  });
});

describe('InputRecord', () => {
  test('text() is the UTF-8 text, ASCII or not, and malformed UTF-8 decodes as Buffer does', () => {
    for (const bytes of [Buffer.from('plain ascii {"a":1}'), Buffer.from('välue € 😀 ü'), Buffer.from([0x61, 0xff, 0xc3, 0x28, 0x62])]) {
      const record = inputOf(bytes.toString('base64'));
      expect(record.text()).toBe(bytes.toString('utf8'));
      expect(textOfBinary(bytes.toString('latin1'))).toBe(bytes.toString('utf8'));
    }
  });

  test('data, dataWithSpareByte() and binaryData() hold the same bytes', () => {
    const bytes = bytesOf(257, 3);
    const record = inputOf(bytes.toString('base64'));
    expect(record.data.equals(bytes)).toBe(true);
    const { buffer, length } = record.dataWithSpareByte();
    expect(length).toBe(257);
    expect(buffer.length).toBe(258);
    expect(buffer.subarray(0, length).equals(bytes)).toBe(true);
    expect(Buffer.from(record.binaryData(), 'latin1').equals(bytes)).toBe(true);
  });

  test('data that is not base64 throws from every accessor', () => {
    const record = inputOf('bm90$$$$');
    for (const read of [() => record.data, () => record.text(), () => record.json(), () => record.dataWithSpareByte(), () => record.binaryData()]) {
      expect(read).toThrow(/data is not base64/);
    }
  });
});

describe('the pass-through newline', () => {
  // JSON objects padded to every length modulo 3, with text outside ASCII (multi-byte UTF-8 in the last group).
  const texts = Array.from({ length: 12 }, (_, i) => JSON.stringify({ v: 'ä€😀'.slice(0, 1 + (i % 3)), pad: 'x'.repeat(i) }));

  test('delivers each record\'s bytes and one newline, in canonical base64', async () => {
    const response = await transformBatch(eventOf(texts), compileJsonTransform(config()), quiet);
    expect(new Set(texts.map((t) => Buffer.byteLength(t) % 3))).toEqual(new Set([0, 1, 2]));
    response.records.forEach((entry, i) => {
      expect(entry.result).toBe('Ok');
      expect(entry.data).toBe(Buffer.from(`${texts[i]}\n`).toString('base64'));
    });
  });

  test('a record that already ends with a newline is delivered as it came', async () => {
    const event = eventOf(texts.map((t) => `${t}\n`));
    const response = await transformBatch(event, compileJsonTransform(config()), quiet);
    expect(response.records.map((r) => r.data)).toEqual(event.records.map((r) => r.data));
  });

  test('reshaped records outside ASCII are encoded as UTF-8', async () => {
    const response = await transformBatch(eventOf([{ a: 'välue 😀', b: 1 }, { a: 'plain', b: 2 }]), compileJsonTransform(config({ dropFields: ['b'] })), quiet);
    expect(response.records.map((r) => decode(r.data))).toEqual(['{"a":"välue 😀"}\n', '{"a":"plain"}\n']);
  });
});
