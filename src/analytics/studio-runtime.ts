import { fail } from '../validation/rules';

const ZEPPELIN_PATTERN = /^ZEPPELIN-FLINK-(\d+)_(\d+)$/;

/**
 * The runtime of a Studio notebook: Apache Zeppelin with Apache Flink. Versions before 3.0 can no longer be created.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-zeppelin-runtime.html
 */
export class StudioRuntime {
  /** Zeppelin with Apache Flink 1.15 (`ZEPPELIN-FLINK-3_0`). */
  public static readonly ZEPPELIN_FLINK_3_0 = new StudioRuntime('ZEPPELIN-FLINK-3_0');
  /** The newest version this library knows, the default of `StudioNotebook`. */
  public static readonly LATEST = StudioRuntime.ZEPPELIN_FLINK_3_0;

  /**
   * A runtime by its CloudFormation name, for versions newer than this library.
   *
   * @param value the `RuntimeEnvironment` value, `ZEPPELIN-FLINK-<major>_<minor>`, 3_0 or newer
   */
  public static of(value: string): StudioRuntime {
    const m = ZEPPELIN_PATTERN.exec(value);
    if (!m) fail('StudioRuntime', `a Studio runtime looks like ZEPPELIN-FLINK-<major>_<minor> (e.g. ZEPPELIN-FLINK-3_0), got '${value}'`);
    if (Number(m[1]) < 3) fail('StudioRuntime', `${value} is older than ZEPPELIN-FLINK-3_0, the oldest Studio runtime that can still be created: use StudioRuntime.ZEPPELIN_FLINK_3_0 or newer`);
    return new StudioRuntime(value);
  }

  /** The `RuntimeEnvironment` value. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}
