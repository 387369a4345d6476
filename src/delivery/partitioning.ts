import { Duration } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { describe, fail } from '../validation/rules';

/** Options of dynamic partitioning. */
export interface DynamicPartitioningOptions {
  /**
   * How long Firehose retries delivering to a prefix before it writes the records to the error prefix.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(300) (the service default)
   */
  readonly retryDuration?: Duration;
}

/**
 * Dynamic partitioning: records are written under prefixes built from their own fields. Requires a buffer of at least
 * 64 MiB and 60 seconds, a data prefix that uses the keys and an error prefix; a delivery stream holds 500 active
 * partitions by default (more go to the error prefix as `activePartitionExceeded`). It cannot be turned on for a
 * delivery stream that was created without it.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 */
export abstract class DynamicPartitioning {
  /**
   * Keys extracted by Firehose from JSON records with JQ 1.6 expressions (inline parsing), used in the prefix as
   * `!{partitionKeyFromQuery:<key>}`. Every key must appear in the prefix.
   *
   * @param query partition key name to JQ expression, e.g. `{ service: '.service' }`
   * @param options retry duration and record deaggregation of dynamic partitioning
   */
  public static byJq(query: { [key: string]: string }, options: DynamicPartitioningOptions = {}): DynamicPartitioning {
    if (query === undefined || query === null || typeof query !== 'object' || Array.isArray(query)) {
      fail('DynamicPartitioning.byJq', `query must map partition key names to JQ expressions, e.g. { service: '.service' }, got ${describe(query)}`);
    }
    return new Enabled(options, query);
  }

  /**
   * Keys returned by the Lambda transform in `metadata.partitionKeys`, used in the prefix as
   * `!{partitionKeyFromLambda:<key>}`. With the bundled transform, set its `partitionKeyFields`.
   *
   * @param options retry duration and record deaggregation of dynamic partitioning
   */
  public static byTransform(options: DynamicPartitioningOptions = {}): DynamicPartitioning {
    return new Enabled(options, undefined);
  }

  /** The JQ query, when keys are extracted inline. */
  public abstract readonly jqQuery?: { [key: string]: string };

  /** The retry duration. */
  public abstract readonly retryDuration?: Duration;
}

class Enabled extends DynamicPartitioning {
  constructor(private readonly options: DynamicPartitioningOptions, public readonly jqQuery?: { [key: string]: string }) {
    super();
  }

  public get retryDuration(): Duration | undefined {
    return this.options.retryDuration;
  }
}

/**
 * Splitting of records that carry several JSON objects or delimited lines (multi-record de-aggregation), so that
 * dynamic partitioning sees each one. At most 500 sub-records per record. KPL-aggregated records from a Kinesis data
 * stream need none of this: Firehose de-aggregates them itself.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-multirecord-deaggergation.html
 */
export abstract class RecordDeaggregation {
  /** Records are concatenated JSON objects, or JSON Lines. */
  public static json(): RecordDeaggregation {
    return new Deaggregation(firehose.RecordDeAggregationProcessor.json(), 'JSON');
  }

  /**
   * Records are lines split by `delimiter`.
   *
   * @param delimiter the delimiter as text, e.g. `'\n'` or `'|'` (aws-cdk-lib base64-encodes it for the service)
   */
  public static delimited(delimiter: string): RecordDeaggregation {
    return new Deaggregation(firehose.RecordDeAggregationProcessor.delimited(delimiter), 'DELIMITED', delimiter);
  }

  /** The processor to add before the others. */
  public abstract readonly processor: firehose.IDataProcessor;
  /** JSON or DELIMITED. */
  public abstract readonly subRecordType: string;
  /** The delimiter, for DELIMITED. */
  public abstract readonly delimiter?: string;
}

class Deaggregation extends RecordDeaggregation {
  constructor(public readonly processor: firehose.IDataProcessor, public readonly subRecordType: string, public readonly delimiter?: string) {
    super();
  }
}
