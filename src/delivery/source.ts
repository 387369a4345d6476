import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { checkHandedStream } from '../validation/stream-identity';

/**
 * Where a delivery stream's records come from.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/basic-create.html#basic-create-source
 */
export abstract class DeliverySource {
  /** Producers write to the delivery stream with PutRecord and PutRecordBatch. */
  public static directPut(): DeliverySource {
    return new DirectPutSource();
  }

  /**
   * Firehose reads a Kinesis data stream as a shared-throughput consumer: it takes one GetRecords call per second per
   * shard of the stream's 5, and a share of its 2 MiB/s read throughput. When the stream is this library's
   * `DataStream`, the delivery stream is registered as one of its shared-throughput consumers, so the stream's
   * capacity checks count it. Firehose de-aggregates KPL-aggregated records itself.
   *
   * Server-side encryption of the delivery stream is not available with this source (the data stream's own
   * encryption applies).
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-kinesis-streams.html
   *
   * @param stream the data stream Firehose reads
   */
  public static kinesisStream(stream: kinesis.IStream): DeliverySource {
    checkHandedStream('DeliverySource.kinesisStream', 'stream', stream);
    return new KinesisStreamDeliverySource(stream);
  }

  /** The data stream Firehose reads, when the source is a stream. */
  public abstract readonly stream?: kinesis.IStream;
}

class DirectPutSource extends DeliverySource {
  public readonly stream?: kinesis.IStream = undefined;
}

class KinesisStreamDeliverySource extends DeliverySource {
  constructor(public readonly stream: kinesis.IStream) {
    super();
  }
}
