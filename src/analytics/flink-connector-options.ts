import { FLINK_INITIAL_POSITIONS, FLINK_READ_MODES } from '../contracts/flink-properties';

/**
 * How a Flink source reads a Kinesis data stream.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-sources.html
 */
export class FlinkReadMode {
  /**
   * GetRecords polling with shared throughput: the source shares each shard's 2 MiB/s and 5 calls/s with the
   * stream's other classic consumers, and is counted as one of them. No extra cost.
   */
  public static readonly POLLING = new FlinkReadMode(FLINK_READ_MODES.POLLING);
  /**
   * Enhanced fan-out through a stream consumer registered here (the job is told its ARN and need not register one),
   * with its own 2 MiB/s per shard; counted in the stream's read capacity and cost.
   */
  public static readonly EFO = new FlinkReadMode(FLINK_READ_MODES.EFO);

  /**
   * Enhanced fan-out with a chosen stream consumer name.
   *
   * @param consumerName name of the stream consumer, unique within the stream
   */
  public static enhancedFanOut(consumerName: string): FlinkReadMode {
    return new FlinkReadMode(FLINK_READ_MODES.EFO, consumerName);
  }

  /** `POLLING` or `EFO`, as the job reads it in `read.mode`. */
  public readonly value: string;
  /** The stream consumer name, when chosen. */
  public readonly consumerName?: string;

  private constructor(value: string, consumerName?: string) {
    this.value = value;
    this.consumerName = consumerName;
  }

  /** Whether the source reads through enhanced fan-out. */
  public get isEnhancedFanOut(): boolean {
    return this.value === FLINK_READ_MODES.EFO;
  }
}

/** Where a source starts reading when it has no state to restore. */
export class FlinkStartingPosition {
  /** Only records written after the job starts. */
  public static readonly LATEST = new FlinkStartingPosition(FLINK_INITIAL_POSITIONS.LATEST);
  /** The oldest record the stream still keeps. */
  public static readonly TRIM_HORIZON = new FlinkStartingPosition(FLINK_INITIAL_POSITIONS.TRIM_HORIZON);

  /**
   * Records written at or after a point in time.
   *
   * @param timestamp the point in time
   */
  public static atTimestamp(timestamp: Date): FlinkStartingPosition {
    return new FlinkStartingPosition(FLINK_INITIAL_POSITIONS.AT_TIMESTAMP, timestamp);
  }

  /** `LATEST`, `TRIM_HORIZON` or `AT_TIMESTAMP`, as the job reads it in `initial.position`. */
  public readonly value: string;
  /** The point in time, for `AT_TIMESTAMP`. */
  public readonly timestamp?: Date;

  private constructor(value: string, timestamp?: Date) {
    this.value = value;
    this.timestamp = timestamp;
  }
}

/** Options every source and sink takes. */
export interface FlinkConnectorOptions {
  /**
   * Name of the connector: the job finds it in the property group `source.<name>` or `sink.<name>`. Lower-case
   * letters, digits and hyphens.
   *
   * @default - the construct id of the stream, bucket or delivery stream in lower-kebab case
   */
  readonly name?: string;
  /**
   * Allow the resource to be in another Region than the application. Cross-Region reads and writes add latency and
   * data transfer cost, so they are refused unless asked for.
   *
   * @default false
   */
  readonly allowCrossRegion?: boolean;
}

/** Options of a Kinesis data stream source. */
export interface FlinkSourceOptions extends FlinkConnectorOptions {
  /**
   * How the source reads the stream.
   *
   * @default FlinkReadMode.POLLING
   */
  readonly readMode?: FlinkReadMode;
  /**
   * Where to start when there is no state to restore.
   *
   * @default FlinkStartingPosition.LATEST
   */
  readonly startingPosition?: FlinkStartingPosition;
}

/** Options of an S3 sink. */
export interface FlinkS3SinkOptions extends FlinkConnectorOptions {
  /**
   * Key prefix the job writes under, ending with `/`.
   *
   * @default - the bucket root
   */
  readonly prefix?: string;
}

/** What one source or sink of an application is, once added. */
export interface FlinkConnector {
  /** `source` or `sink`. */
  readonly direction: string;
  /** The connector's name. */
  readonly name: string;
  /** The property group id the job reads, `source.<name>` or `sink.<name>`. */
  readonly propertyGroupId: string;
  /** The properties of the group. */
  readonly properties: Record<string, string>;
}
