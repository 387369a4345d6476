import { Annotations, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { CapacityPlan, ThroughputRequirements } from './capacity-plan';
import { DataStreamAlarms } from './data-stream-alarms';
import { KinesisPricing } from './pricing';
import { createStreamAlarms } from './private/stream-alarms';
import { KinesisLimits } from '../validation/limits';
import { checkExclusive, checkInteger, checkLiteral, checkRequiredProps, checkName, checkRange, fail, literalBytes, numberText, warn } from '../validation/rules';

const DATA_STREAM_SYMBOL = Symbol.for('cdk-kinesis-patterns.DataStream');
const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const NAME_CHARACTERS = 'letters, digits, underscores, periods and hyphens';

/**
 * Properties of a `DataStream`. Everything aws-cdk-lib's `Stream` takes, plus capacity planning, the settings the
 * L2 does not expose yet, and alarms.
 */
export interface DataStreamProps extends kinesis.StreamProps {
  /**
   * The throughput the stream must carry. With it, the shard count is planned from the per-shard limits (provisioned
   * mode), or the on-demand stream is checked against it, and the plan, with its cost in both modes, is shown in
   * synth output and readable from `capacityPlan`. Cannot be given with `shardCount`.
   *
   * @default - no plan: the capacity comes from `shardCount` or on-demand mode
   */
  readonly throughput?: ThroughputRequirements;
  /**
   * Largest record (data blob plus partition key) the stream accepts, from 1 MiB to 10 MiB in whole KiB.
   * Per-shard throughput stays 1 MiB/s: records above 1 MiB are absorbed as bursts.
   *
   * @default Size.mebibytes(1)
   * @see https://docs.aws.amazon.com/streams/latest/dev/large-records.html
   */
  readonly maxRecordSize?: Size;
  /**
   * Write throughput, in MiB/s, an on-demand stream is kept ready for, so a spike is not throttled while the stream
   * scales. Only for on-demand streams in accounts with a minimum throughput billing commitment.
   *
   * @default - none: a new on-demand stream starts at 4 MiB/s and scales with traffic
   * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html
   */
  readonly warmThroughputMiBps?: number;
  /**
   * Shards your account may have in this Region. Shard counts above it are rejected at synth time.
   *
   * @default - the default quota: 500 in us-east-1, us-west-2 and eu-west-1, 200 elsewhere (500 when the Region is unknown at synth time)
   */
  readonly accountShardQuota?: number;
  /**
   * Prices the capacity plan estimates costs with.
   *
   * @default - US East (N. Virginia) list prices, see `KinesisPricing`
   */
  readonly pricing?: KinesisPricing;
  /**
   * The stream's alarms: iterator age, write and read throttling.
   *
   * @default - all on, with thresholds derived from the stream's settings
   */
  readonly alarms?: DataStreamAlarms;
}

/** Options of an enhanced fan-out consumer. */
export interface EnhancedFanOutConsumerOptions {
  /**
   * Name of the consumer, unique within the stream.
   *
   * @default - derived from the construct path
   */
  readonly consumerName?: string;
}

interface ResolvedProps {
  readonly streamProps: kinesis.StreamProps;
  readonly streamMode: kinesis.StreamMode;
  readonly retentionHours: number;
  readonly maxRecordSizeBytes: number;
  readonly plan?: CapacityPlan;
}

/**
 * A Kinesis data stream with validated settings, capacity planned from declared throughput, KMS encryption and
 * alarms on by default.
 *
 * It is an aws-cdk-lib `Stream` (so every API that takes an `IStream` takes it, and its `grant*` and `metric*`
 * methods are there), with what the L2 does not expose yet (maximum record size, warm throughput) set on the L1.
 *
 * Capacity: give `throughput` to have the shard count planned, `shardCount` to set it, or neither for on-demand mode.
 */
export class DataStream extends kinesis.Stream {
  /**
   * Whether `x` is a `DataStream`.
   *
   * @param x any object
   */
  public static isDataStream(x: any): x is DataStream {
    return x !== null && typeof x === 'object' && DATA_STREAM_SYMBOL in x;
  }

  private static resolve(path: string, scope: Construct, props: DataStreamProps): ResolvedProps {
    checkRequiredProps(path, props, []);
    checkName(path, 'streamName', props.streamName, KinesisLimits.MAX_STREAM_NAME_LENGTH, NAME_PATTERN, NAME_CHARACTERS);
    checkExclusive(path, 'shardCount', props.shardCount !== undefined, 'throughput', props.throughput !== undefined,
      'give the throughput to have the shard count planned, or the shard count to set it yourself');
    const streamMode = props.streamMode ?? (props.shardCount !== undefined || props.throughput ? kinesis.StreamMode.PROVISIONED : kinesis.StreamMode.ON_DEMAND);
    if (streamMode === kinesis.StreamMode.ON_DEMAND && props.shardCount !== undefined) {
      fail(path, `shardCount (${props.shardCount}) cannot be given with on-demand mode, which manages shards itself: remove shardCount or use StreamMode.PROVISIONED`);
    }
    if (streamMode === kinesis.StreamMode.PROVISIONED && props.warmThroughputMiBps !== undefined) {
      fail(path, `warmThroughputMiBps (${props.warmThroughputMiBps}) is only for on-demand streams: remove it or use StreamMode.ON_DEMAND`);
    }
    checkInteger(path, 'warmThroughputMiBps', props.warmThroughputMiBps);
    checkRange(path, 'warmThroughputMiBps', props.warmThroughputMiBps, 1, KinesisLimits.MAX_WARM_THROUGHPUT_MIB_PER_SECOND, 'MiB/s');

    const retentionHours = retentionHoursOf(path, props.retentionPeriod ?? Duration.hours(KinesisLimits.MIN_RETENTION_HOURS));
    checkRange(path, 'retentionPeriod', retentionHours, KinesisLimits.MIN_RETENTION_HOURS, KinesisLimits.MAX_RETENTION_HOURS, 'hours',
      'Kinesis keeps records from 24 hours to 365 days');

    // Producers size their PutRecords requests from it at synth time.
    checkLiteral(path, 'maxRecordSize', props.maxRecordSize, 'producers size their requests from it; give a Size such as Size.mebibytes(2)');
    const maxRecordSizeBytes = literalBytes(path, 'maxRecordSize', props.maxRecordSize) ?? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES;
    if (maxRecordSizeBytes % 1024 !== 0) fail(path, `maxRecordSize must be a whole number of KiB, got ${maxRecordSizeBytes} bytes`);
    checkRange(path, 'maxRecordSize', maxRecordSizeBytes / 1024, KinesisLimits.MIN_MAX_RECORD_SIZE_KIB, KinesisLimits.MAX_MAX_RECORD_SIZE_KIB, 'KiB');

    checkLiteral(path, 'accountShardQuota', props.accountShardQuota, 'shard counts are compared with it at synth time');
    const quota = DataStream.shardQuota(scope, props.accountShardQuota);
    checkInteger(path, 'accountShardQuota', quota);
    checkRange(path, 'accountShardQuota', quota, 1, Number.MAX_SAFE_INTEGER);
    if (props.shardCount !== undefined) {
      checkInteger(path, 'shardCount', props.shardCount);
      checkRange(path, 'shardCount', props.shardCount, 1, quota, undefined,
        `The account shard quota here is ${quota}: request an increase and set accountShardQuota, or use on-demand mode`);
    }

    checkUniqueStreamName(path, scope, props.streamName);

    if (props.encryptionKey && props.encryption !== undefined && props.encryption !== kinesis.StreamEncryption.KMS) {
      fail(path, `encryptionKey is given, so encryption must be StreamEncryption.KMS, got ${props.encryption}`);
    }

    const plan = props.throughput
      ? CapacityPlan._plan(path, props.throughput, {
        streamMode,
        retentionHours,
        maxRecordSize: Size.bytes(maxRecordSizeBytes),
        warmThroughputMiBps: props.warmThroughputMiBps,
        accountShardQuota: quota,
        pricing: props.pricing,
      })
      : undefined;

    const shardCount = streamMode === kinesis.StreamMode.PROVISIONED ? (props.shardCount ?? plan?.shardCount ?? 1) : undefined;
    return {
      streamProps: {
        ...props,
        streamMode,
        shardCount,
        retentionPeriod: Duration.hours(retentionHours),
        encryption: DataStream.defaultEncryption(scope, props),
      },
      streamMode,
      retentionHours,
      maxRecordSizeBytes,
      plan,
    };
  }

  /**
   * The AWS-managed key (aws/kinesis) unless the user chose otherwise. aws-cdk-lib's own default wraps it in a
   * condition for the China Regions, which tools such as cdk-nag cannot read; we keep that only where the stack is
   * known to be in a China Region.
   */
  private static defaultEncryption(scope: Construct, props: DataStreamProps): kinesis.StreamEncryption | undefined {
    if (props.encryption !== undefined || props.encryptionKey !== undefined) return props.encryption;
    const region = Stack.of(scope).region;
    return !Token.isUnresolved(region) && region.startsWith('cn-') ? undefined : kinesis.StreamEncryption.MANAGED;
  }

  private static shardQuota(scope: Construct, given?: number): number {
    if (given !== undefined) return given;
    const region = Stack.of(scope).region;
    if (Token.isUnresolved(region) || KinesisLimits.LARGE_SHARD_QUOTA_REGIONS.includes(region)) {
      return KinesisLimits.DEFAULT_SHARD_QUOTA_LARGE_REGIONS;
    }
    return KinesisLimits.DEFAULT_SHARD_QUOTA_OTHER_REGIONS;
  }

  /** The capacity mode. */
  public readonly streamMode: kinesis.StreamMode;
  /** Shards of a provisioned stream; undefined for on-demand. */
  public readonly shardCount?: number;
  /** The capacity plan, when `throughput` was given. */
  public readonly capacityPlan?: CapacityPlan;
  /** Retention period, in hours. */
  public readonly retentionHours: number;
  /** Largest record the stream accepts (data blob plus partition key), in bytes. */
  public readonly maxRecordSizeBytes: number;
  /** Bytes one PutRecords request may carry on this stream. */
  public readonly putRecordsRequestBytes: number;
  /** The underlying CloudFormation resource, for properties this construct does not cover. */
  public readonly cfnStream: kinesis.CfnStream;
  /** Alarm on the age of the oldest unread record, if enabled. */
  public readonly iteratorAgeAlarm?: cloudwatch.Alarm;
  /** Alarm on throttled writes, if enabled. */
  public readonly writeThrottlingAlarm?: cloudwatch.Alarm;
  /** Alarm on throttled reads, if enabled. */
  public readonly readThrottlingAlarm?: cloudwatch.Alarm;
  /** Alarm on write capacity in use, if enabled (provisioned streams only). */
  public readonly writeUtilizationAlarm?: cloudwatch.Alarm;

  private readonly declaredSharedConsumers?: number;
  private readonly declaredEnhancedFanOutConsumers?: number;
  private readonly sharedConsumers: IConstruct[] = [];
  private readonly fanOutConsumers: kinesis.StreamConsumer[] = [];

  /**
   * @param scope the construct the stream is created in
   * @param id the stream's id, unique within `scope`
   * @param props its capacity, encryption, retention and alarms
   */
  constructor(scope: Construct, id: string, props: DataStreamProps = {}) {
    const resolved = DataStream.resolve([scope.node.path, id].filter((p) => p).join('/'), scope, props);
    super(scope, id, resolved.streamProps);
    Object.defineProperty(this, DATA_STREAM_SYMBOL, { value: true });

    this.streamMode = resolved.streamMode;
    this.shardCount = resolved.streamProps.shardCount;
    this.capacityPlan = resolved.plan;
    this.retentionHours = resolved.retentionHours;
    this.maxRecordSizeBytes = resolved.maxRecordSizeBytes;
    this.putRecordsRequestBytes = KinesisLimits.putRecordsRequestBytes(this.maxRecordSizeBytes);
    this.declaredSharedConsumers = props.throughput ? (props.throughput.sharedThroughputConsumers ?? 1) : undefined;
    this.declaredEnhancedFanOutConsumers = props.throughput ? (props.throughput.enhancedFanOutConsumers ?? 0) : undefined;

    this.cfnStream = this.node.defaultChild as kinesis.CfnStream;
    if (props.maxRecordSize !== undefined) this.cfnStream.maxRecordSizeInKiB = this.maxRecordSizeBytes / 1024;
    if (props.warmThroughputMiBps !== undefined) this.cfnStream.warmThroughputMiBps = props.warmThroughputMiBps;

    // aws-cdk-lib creates a key for StreamEncryption.KMS without one, with rotation off: turn it on.
    const createdKey = this.node.tryFindChild('Key')?.node.defaultChild;
    if (createdKey instanceof kms.CfnKey) createdKey.enableKeyRotation = true;

    if (this.capacityPlan) {
      Annotations.of(this).addInfo(this.capacityPlan.summary);
      this.capacityPlan.warnings.forEach((w, i) => warn(this, `CapacityPlan${i}`, w));
    }
    if (props.encryption === kinesis.StreamEncryption.UNENCRYPTED) {
      warn(this, 'Unencrypted', 'the stream is not encrypted at rest: use StreamEncryption.MANAGED (no extra cost) or KMS');
    }

    const utilization = this.streamMode === kinesis.StreamMode.PROVISIONED ? (period: Duration) => this.metricWriteUtilization({ period }) : undefined;
    const alarms = createStreamAlarms(this, this, this.retentionHours, utilization, props.alarms);
    this.iteratorAgeAlarm = alarms.iteratorAge;
    this.writeThrottlingAlarm = alarms.writeThrottling;
    this.readThrottlingAlarm = alarms.readThrottling;
    this.writeUtilizationAlarm = alarms.writeUtilization;
  }

  /**
   * Write capacity in use, in percent: the larger of bytes written against 1 MiB/s per shard and records written
   * against 1000/s per shard, over each period. Only for provisioned streams (on-demand streams scale themselves);
   * it assumes the shard count this construct set, so reshard through the construct.
   *
   * @param props period, label and color of the expression
   */
  public metricWriteUtilization(props: cloudwatch.MathExpressionOptions = {}): cloudwatch.IMetric {
    if (this.shardCount === undefined) {
      fail(this, 'metricWriteUtilization is only for provisioned streams: an on-demand stream has no fixed capacity to compare with');
    }
    const period = props.period ?? Duration.minutes(1);
    const seconds = period.toSeconds();
    // A shard count from a token (a CfnParameter) is written into the expression as its reference, never as a number.
    const capacity = (perShard: number) => Token.isUnresolved(this.shardCount)
      ? `(${seconds * perShard} * ${numberText(this.shardCount!)})`
      : String(seconds * this.shardCount! * perShard);
    return new cloudwatch.MathExpression({
      expression: `100 * MAX([bytes / ${capacity(KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND)}, records / ${capacity(KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND)}])`,
      usingMetrics: {
        bytes: this.metricIncomingBytes({ statistic: cloudwatch.Stats.SUM, period }),
        records: this.metricIncomingRecords({ statistic: cloudwatch.Stats.SUM, period }),
      },
      label: `${this.node.id} write utilization (%)`,
      ...props,
      period,
    });
  }

  /** Shared-throughput consumers registered with `registerSharedThroughputConsumer`. */
  public get sharedThroughputConsumerCount(): number {
    return this.sharedConsumers.length;
  }

  /** Enhanced fan-out consumers registered on this stream. */
  public get enhancedFanOutConsumers(): kinesis.StreamConsumer[] {
    return [...this.fanOutConsumers];
  }

  /**
   * Registers an enhanced fan-out consumer: it gets its own 2 MiB/s per shard. A stream has at most 20.
   *
   * @param id construct id of the consumer, under this stream
   * @param options the consumer's name
   */
  public addEnhancedFanOutConsumer(id: string, options: EnhancedFanOutConsumerOptions = {}): kinesis.StreamConsumer {
    const path = `${this.node.path}/${id}`;
    if (this.fanOutConsumers.length >= KinesisLimits.MAX_ENHANCED_FAN_OUT_CONSUMERS) {
      fail(path, `cannot register enhanced fan-out consumer number ${this.fanOutConsumers.length + 1}: a stream has at most ${KinesisLimits.MAX_ENHANCED_FAN_OUT_CONSUMERS}`);
    }
    checkName(path, 'consumerName', options.consumerName, KinesisLimits.MAX_CONSUMER_NAME_LENGTH, NAME_PATTERN, NAME_CHARACTERS);
    const consumerName = options.consumerName ?? consumerNameFor(path);
    const twin = this.fanOutConsumers.find((c) => !Token.isUnresolved(consumerName)
      && (c.node.defaultChild as kinesis.CfnStreamConsumer).consumerName === consumerName);
    if (twin) {
      fail(path, `consumerName '${consumerName}' is already taken by ${twin.node.path}: consumer names are unique within a stream, so give each its own`);
    }
    const consumer = new kinesis.StreamConsumer(this, id, {
      stream: this,
      streamConsumerName: consumerName,
    });
    this.fanOutConsumers.push(consumer);
    if (this.declaredEnhancedFanOutConsumers !== undefined && this.fanOutConsumers.length === this.declaredEnhancedFanOutConsumers + 1) {
      warn(this, 'UndeclaredFanOutConsumer', `${this.fanOutConsumers.length} enhanced fan-out consumers are registered but throughput declares ${this.declaredEnhancedFanOutConsumers}: the cost estimate leaves the others out; declare them in throughput.enhancedFanOutConsumers`);
    }
    return consumer;
  }

  /**
   * Registers a consumer that reads with shared throughput (GetRecords): the library's consumers and delivery
   * streams call this, and so can yours. Shared consumers split 2 MiB/s and 5 calls/s per shard; registering more
   * than the plan declared, or more than 5, is reported as a warning in synth output.
   *
   * @param consumer the construct that reads the stream with GetRecords (for example a `LambdaStreamConsumer`)
   */
  public registerSharedThroughputConsumer(consumer: IConstruct): void {
    if (this.sharedConsumers.includes(consumer)) return;
    this.sharedConsumers.push(consumer);
    const n = this.sharedConsumers.length;
    if (this.declaredSharedConsumers !== undefined && n === this.declaredSharedConsumers + 1) {
      warn(this, 'UndeclaredSharedConsumer', `${n} shared-throughput consumers read this stream but throughput declares ${this.declaredSharedConsumers} (the latest: ${consumer.node.path}): ` +
        'they share 2 MiB/s per shard, so the planned shards may not carry the reads; declare them in throughput.sharedThroughputConsumers or use enhanced fan-out');
    }
    if (n === KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND + 1) {
      warn(this, 'GetRecordsOversubscribed', `${n} shared-throughput consumers read this stream, but a shard serves 5 GetRecords calls/s to all of them together: ` +
        'they will be throttled (ReadProvisionedThroughputExceeded); move some to enhanced fan-out');
    }
  }
}

/** Retention in hours: a token given in hours is passed through; any other token cannot be converted at synth time. */
function retentionHoursOf(path: string, retention: Duration): number {
  if (retention.isUnresolved()) {
    try {
      return retention.toHours();
    } catch {
      fail(path, 'retentionPeriod comes from a token in another unit than hours and cannot be converted at synth time: use Duration.hours(token)');
    }
  }
  const ms = retention.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms % 3_600_000 !== 0) fail(path, `retentionPeriod must be a whole number of hours, got ${ms / 3_600_000} hours`);
  return ms / 3_600_000;
}

/** Two streams with one name in one stack would fail the deployment: say which construct has the name already. */
function checkUniqueStreamName(path: string, scope: Construct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const twin = Stack.of(scope).node.findAll().find((c) => c instanceof kinesis.CfnStream && c.name === name);
  if (twin) fail(path, `streamName '${name}' is already used by ${twin.node.scope?.node.path ?? twin.node.path} in this stack: stream names are unique per account and Region`);
}

/** A consumer name from a construct path: the last characters that fit, in the allowed alphabet. */
function consumerNameFor(path: string): string {
  const name = path.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return name.slice(Math.max(0, name.length - KinesisLimits.MAX_CONSUMER_NAME_LENGTH));
}
