import type { FirehoseRecordMetadata, FirehoseTransformationEventRecord } from 'aws-lambda';

const EQUALS = 61;

/**
 * The bytes that base64 text `encoded` stands for, as a binary string (one character per byte, 0 to 255).
 *
 * `atob` decodes straight to a string, with a native decoder that is faster than `Buffer`'s on Node.js 20 and needs no
 * Buffer per record; for ASCII data (almost every JSON record) that string already is the text. It rejects characters
 * outside the standard alphabet, and skips whitespace and accepts missing padding (WHATWG "forgiving base64"), which
 * the length check rules out: padded base64 of n characters decodes to exactly 3n/4 bytes less its padding.
 *
 * @throws Error naming the record when `encoded` is not a string or not padded standard base64
 */
export function decodeBinary(encoded: unknown, recordId: string): string {
  if (typeof encoded !== 'string') throw new Error(`record ${recordId} has no data (${encoded === null ? 'null' : typeof encoded})`);
  const n = encoded.length;
  let binary: string | undefined;
  if (n % 4 === 0) {
    try {
      binary = atob(encoded);
    } catch {
      binary = undefined;
    }
  }
  const padding = n === 0 || encoded.charCodeAt(n - 1) !== EQUALS ? 0 : encoded.charCodeAt(n - 2) === EQUALS ? 2 : 1;
  if (binary === undefined || binary.length !== (n / 4) * 3 - padding) {
    throw new Error(`record ${recordId}'s data is not base64 (${n} characters starting '${encoded.slice(0, 16)}')`);
  }
  return binary;
}

/**
 * The UTF-8 text of the bytes in binary string `binary`. ASCII bytes are their own text, which one native length count
 * detects; other bytes go through the UTF-8 decoder (malformed sequences become U+FFFD, as with `Buffer`).
 */
export function textOfBinary(binary: string): string {
  return Buffer.byteLength(binary, 'utf8') === binary.length ? binary : Buffer.from(binary, 'latin1').toString('utf8');
}

/**
 * One record of a Firehose transformation event, decoded lazily: a function that only needs the text does not pay
 * for a Buffer copy, and one that never looks at the data does not decode it.
 */
export class InputRecord {
  /** The id Firehose gave the record; the response must carry it back unchanged. */
  public readonly recordId: string;
  /** When Firehose (or the source stream) received the record, in milliseconds since the epoch. */
  public readonly approximateArrivalTimestamp: number;
  /** Shard, partition key and sequence number when the source is a Kinesis data stream. */
  public readonly kinesisRecordMetadata?: FirehoseRecordMetadata;
  private readonly encoded: string;
  private binary?: string;
  private decoded?: Buffer;

  constructor(record: FirehoseTransformationEventRecord) {
    this.recordId = record.recordId;
    this.approximateArrivalTimestamp = record.approximateArrivalTimestamp;
    this.kinesisRecordMetadata = record.kinesisRecordMetadata;
    this.encoded = record.data;
  }

  /**
   * The record's bytes.
   *
   * @throws Error when the record has no data or its data is not base64 (the record is then ProcessingFailed).
   */
  public get data(): Buffer {
    if (this.decoded === undefined) this.decoded = Buffer.from(this.binaryData(), 'latin1');
    return this.decoded;
  }

  /**
   * The record's bytes followed by one spare byte the caller may fill (a newline, say) without copying the data
   * again. Returns the buffer and the length of the data in it.
   *
   * @throws Error when the record has no data or its data is not base64.
   */
  public dataWithSpareByte(): { readonly buffer: Buffer; readonly length: number } {
    const binary = this.binaryData();
    const buffer = Buffer.allocUnsafe(binary.length + 1);
    return { buffer, length: buffer.write(binary, 0, 'latin1') };
  }

  /**
   * The record's bytes as a binary string, one character per byte (what `atob` returns): the cheapest form to read
   * them in, decoded once.
   *
   * @throws Error when the record has no data or its data is not base64.
   */
  public binaryData(): string {
    if (this.binary === undefined) this.binary = decodeBinary(this.encoded, this.recordId);
    return this.binary;
  }

  /** The record's data as Firehose sent it: base64 text, unchecked. */
  public get base64Data(): string {
    return this.encoded;
  }

  /** The record's bytes as UTF-8 text. */
  public text(): string {
    return textOfBinary(this.binaryData());
  }

  /** The record parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  public json(): unknown {
    return JSON.parse(this.text());
  }
}
