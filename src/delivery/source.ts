import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { MskSourceOptions } from './msk-source';
import { checkMskOptions } from './private/msk-checks';
import { checkHandedStream } from '../validation/stream-identity';

/**
 * Where a delivery stream's records come from. A delivery stream has exactly one source: direct PUT, a Kinesis data
 * stream or an Amazon MSK topic.
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

  /**
   * Firehose reads a topic of an Amazon MSK cluster (provisioned or serverless) with IAM authentication, as the
   * delivery role, which is granted the cluster, topic and consumer-group actions the Firehose guide lists. The
   * delivery stream's type is `MSKAsSource`.
   *
   * Server-side encryption of the delivery stream is not available with this source (Firehose allows it with direct
   * PUT only); the cluster's own encryption applies. The cluster must be in the delivery stream's Region; with
   * private connectivity its cluster policy must let Firehose create a VPC connection (`clusterPolicy`).
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html
   *
   * @param options the cluster, the topic, the connectivity and where to start reading
   */
  public static msk(options: MskSourceOptions): DeliverySource {
    checkMskOptions('DeliverySource.msk', options);
    return new MskDeliverySource(options);
  }

  /** The data stream Firehose reads, when the source is a stream. */
  public abstract readonly stream?: kinesis.IStream;

  /** The MSK cluster and topic Firehose reads, when the source is MSK. */
  public abstract readonly mskSource?: MskSourceOptions;
}

class DirectPutSource extends DeliverySource {
  public readonly stream?: kinesis.IStream = undefined;
  public readonly mskSource?: MskSourceOptions = undefined;
}

class KinesisStreamDeliverySource extends DeliverySource {
  public readonly mskSource?: MskSourceOptions = undefined;
  constructor(public readonly stream: kinesis.IStream) {
    super();
  }
}

class MskDeliverySource extends DeliverySource {
  public readonly stream?: kinesis.IStream = undefined;
  constructor(public readonly mskSource: MskSourceOptions) {
    super();
  }
}
