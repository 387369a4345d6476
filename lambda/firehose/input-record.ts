import type { FirehoseRecordMetadata, FirehoseTransformationEventRecord } from 'aws-lambda';

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

  /** The record's bytes. */
  public get data(): Buffer {
    if (this.decoded === undefined) this.decoded = Buffer.from(this.encoded, 'base64');
    return this.decoded;
  }

  /**
   * The record's bytes followed by one spare byte the caller may fill (a newline, say) without copying the data
   * again. Returns the buffer and the length of the data in it.
   */
  public dataWithSpareByte(): { readonly buffer: Buffer; readonly length: number } {
    // base64 decodes to at most 3 bytes per 4 characters; the pool serves small allocations without a syscall.
    const buffer = Buffer.allocUnsafe(Math.floor((this.encoded.length * 3) / 4) + 1);
    const length = buffer.write(this.encoded, 'base64');
    return { buffer, length };
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
