import type { FirehoseRecordMetadata, FirehoseTransformationEventRecord } from 'aws-lambda';

const EQUALS = 61;

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
    if (this.decoded === undefined) {
      const { buffer, length } = this.dataWithSpareByte();
      this.decoded = buffer.subarray(0, length);
    }
    return this.decoded;
  }

  /**
   * The record's bytes followed by one spare byte the caller may fill (a newline, say) without copying the data
   * again. Returns the buffer and the length of the data in it.
   */
  public dataWithSpareByte(): { readonly buffer: Buffer; readonly length: number } {
    const encoded = this.encoded;
    if (typeof encoded !== 'string') throw new Error(`record ${this.recordId} has no data (${encoded === null ? 'null' : typeof encoded})`);
    // base64 decodes to at most 3 bytes per 4 characters; the pool serves small allocations without a syscall.
    const n = encoded.length;
    const buffer = Buffer.allocUnsafe((n - (n % 4)) / 4 * 3 + 1);
    const length = buffer.write(encoded, 'base64');
    // Node's decoder skips characters outside the alphabet and stops at the first '=': whatever it skipped, fewer bytes
    // come out than the text's length and padding promise. Checking that costs nothing beside the decoding.
    const padding = n === 0 || encoded.charCodeAt(n - 1) !== EQUALS ? 0 : encoded.charCodeAt(n - 2) === EQUALS ? 2 : 1;
    if (n % 4 !== 0 || length !== (n / 4) * 3 - padding) throw new Error(`record ${this.recordId}'s data is not base64 (${n} characters starting '${encoded.slice(0, 16)}')`);
    return { buffer, length };
  }

  /** The record's data as Firehose sent it: base64 text, unchecked. */
  public get base64Data(): string {
    return this.encoded;
  }

  /** The record's bytes as UTF-8 text. */
  public text(): string {
    return this.data.toString('utf8');
  }

  /** The record parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  public json(): unknown {
    return JSON.parse(this.text());
  }
}
