/**
 * What the application writes to its CloudWatch log.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/cloudwatch-logs.html
 */
export class FlinkLogLevel {
  /** Errors and potential catastrophic events. */
  public static readonly ERROR = new FlinkLogLevel('ERROR');
  /** Warnings too. */
  public static readonly WARN = new FlinkLogLevel('WARN');
  /** Informational events too (the default). */
  public static readonly INFO = new FlinkLogLevel('INFO');
  /** Everything, for debugging: costly at volume. */
  public static readonly DEBUG = new FlinkLogLevel('DEBUG');

  /**
   * A level by name.
   *
   * @param value the `LogLevel` value
   */
  public static of(value: string): FlinkLogLevel {
    return new FlinkLogLevel(value);
  }

  /** The `LogLevel` value. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * How finely the application reports metrics to CloudWatch.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/monitoring-metrics.html
 */
export class FlinkMetricsLevel {
  /** Per application (the default). */
  public static readonly APPLICATION = new FlinkMetricsLevel('APPLICATION');
  /** Per task. */
  public static readonly TASK = new FlinkMetricsLevel('TASK');
  /** Per operator. */
  public static readonly OPERATOR = new FlinkMetricsLevel('OPERATOR');
  /** Per parallel subtask: many metrics, at a cost. */
  public static readonly PARALLELISM = new FlinkMetricsLevel('PARALLELISM');

  /**
   * A level by name.
   *
   * @param value the `MetricsLevel` value
   */
  public static of(value: string): FlinkMetricsLevel {
    return new FlinkMetricsLevel(value);
  }

  /** The `MetricsLevel` value. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * What the application restores its state from when it starts or is updated.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_ApplicationRestoreConfiguration.html
 */
export class FlinkRestore {
  /** The latest snapshot (the default): an update keeps the job's state. Needs snapshots on. */
  public static readonly LATEST_SNAPSHOT = new FlinkRestore('RESTORE_FROM_LATEST_SNAPSHOT');
  /** No state: the job starts empty, its sources at their starting positions. */
  public static readonly NONE = new FlinkRestore('SKIP_RESTORE_FROM_SNAPSHOT');

  /**
   * A named snapshot. Needs snapshots on.
   *
   * @param snapshotName the snapshot's name
   */
  public static fromSnapshot(snapshotName: string): FlinkRestore {
    return new FlinkRestore('RESTORE_FROM_CUSTOM_SNAPSHOT', snapshotName);
  }

  /** The `ApplicationRestoreType` value. */
  public readonly restoreType: string;
  /** The snapshot's name, for a named snapshot. */
  public readonly snapshotName?: string;

  private constructor(restoreType: string, snapshotName?: string) {
    this.restoreType = restoreType;
    this.snapshotName = snapshotName;
  }

  /** Whether this restores from a snapshot. */
  public get usesSnapshot(): boolean {
    return this.restoreType !== 'SKIP_RESTORE_FROM_SNAPSHOT';
  }
}
