import { fail } from '../validation/rules';

const FLINK_PATTERN = /^FLINK-(\d+)_(\d+)$/;

/**
 * The Apache Flink version a Managed Service for Apache Flink application runs on.
 *
 * Legacy SQL applications (`SQL-1_0`) are discontinued: `of('SQL-1_0')` is refused with a pointer to Flink SQL in
 * a Flink application or a `StudioNotebook`.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/flink-versions-supported.html
 */
export class FlinkRuntime {
  /** Apache Flink 1.15. */
  public static readonly FLINK_1_15 = new FlinkRuntime('FLINK-1_15');
  /** Apache Flink 1.18. */
  public static readonly FLINK_1_18 = new FlinkRuntime('FLINK-1_18');
  /** Apache Flink 1.19. */
  public static readonly FLINK_1_19 = new FlinkRuntime('FLINK-1_19');
  /** Apache Flink 1.20. */
  public static readonly FLINK_1_20 = new FlinkRuntime('FLINK-1_20');
  /** Apache Flink 2.2. */
  public static readonly FLINK_2_2 = new FlinkRuntime('FLINK-2_2');
  /**
   * The newest version CloudFormation accepts today (its resource schema lists up to `FLINK-2_2`), the default of
   * `FlinkApplication`; `of()` takes newer ones.
   */
  public static readonly LATEST = FlinkRuntime.FLINK_2_2;

  /**
   * A runtime by its CloudFormation name, for versions newer than this library, e.g. `FLINK-2_4`.
   *
   * @param value the `RuntimeEnvironment` value, `FLINK-<major>_<minor>`
   */
  public static of(value: string): FlinkRuntime {
    if (/^SQL-/i.test(value)) {
      fail('FlinkRuntime', `${value} is a legacy Kinesis Data Analytics for SQL runtime, which is discontinued and cannot be created: ` +
        'write the query in Flink SQL, in a FlinkApplication (Java, or Python through the Table API) or interactively in a StudioNotebook');
    }
    if (/^ZEPPELIN-/i.test(value)) {
      fail('FlinkRuntime', `${value} is a Studio notebook runtime: use StudioNotebook with StudioRuntime.of('${value}')`);
    }
    if (!FLINK_PATTERN.test(value)) fail('FlinkRuntime', `runtime must look like FLINK-<major>_<minor> (e.g. FLINK-1_20), got '${value}'`);
    return new FlinkRuntime(value);
  }

  /** The `RuntimeEnvironment` value. */
  public readonly value: string;
  /** Major version of Apache Flink. */
  public readonly majorVersion: number;
  /** Minor version of Apache Flink. */
  public readonly minorVersion: number;

  private constructor(value: string) {
    const m = FLINK_PATTERN.exec(value)!;
    this.value = value;
    this.majorVersion = Number(m[1]);
    this.minorVersion = Number(m[2]);
  }

  /** The version as Apache Flink writes it, e.g. `1.20`. */
  public get version(): string {
    return `${this.majorVersion}.${this.minorVersion}`;
  }
}
