import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { CostEstimate, KinesisPricing } from './pricing';
import { onDemandCost, provisionedCost, resolvePricing, TrafficForCost } from './private/cost-model';
import { KinesisLimits } from '../validation/limits';
import { checkInteger, checkLiteral, checkPositive, checkRange, checkRequired, fail, literalBytes, RuleScope } from '../validation/rules';

/**
 * The throughput a stream must carry, as the user declares it. The capacity planner turns it into a shard count.
 */
export interface ThroughputRequirements {
  /**
   * Records written per second at peak. Capacity is planned for this rate.
   */
  readonly recordsPerSecond: number;
  /**
   * Average size of one record: data blob plus partition key, as Kinesis counts it against the shard limits.
   */
  readonly averageRecordSize: Size;
  /**
   * Records written per second on average over a month; used for the cost estimate only.
   *
   * @default - the peak rate, around the clock
   */
  readonly averageRecordsPerSecond?: number;
  /**
   * Consumers that read with shared throughput (GetRecords: Lambda event sources, Firehose, KCL 1.x): together they
   * share 2 MiB/s and 5 calls/s per shard.
   *
   * @default 1
   */
  readonly sharedThroughputConsumers?: number;
  /**
   * Enhanced fan-out consumers: each gets its own 2 MiB/s per shard.
   *
   * @default 0
   */
  readonly enhancedFanOutConsumers?: number;
  /**
   * Factor above the declared peak to plan for (uneven partition keys, growth): 1.25 plans the shards to run at
   * 80% of their limits at peak.
   *
   * @default 1.25
   */
  readonly headroom?: number;
}

/** The limit that decided a stream's shard count. */
export enum CapacityLimit {
  /** 1 MiB/s written per shard. */
  WRITE_BYTES = 'WRITE_BYTES',
  /** 1000 records/s written per shard. */
  WRITE_RECORDS = 'WRITE_RECORDS',
  /** 2 MiB/s read per shard, shared by the shared-throughput consumers. */
  SHARED_READ_BYTES = 'SHARED_READ_BYTES',
  /** 2 MiB/s read per shard per enhanced fan-out consumer. */
  ENHANCED_FAN_OUT_READ_BYTES = 'ENHANCED_FAN_OUT_READ_BYTES',
}

/** How many shards one limit asks for. */
export interface ShardRequirement {
  /** The limit. */
  readonly limit: CapacityLimit;
  /** The demand on the limit at peak, headroom included, in `unit`. */
  readonly demand: number;
  /** What one shard offers, in `unit`. */
  readonly perShard: number;
  /** The unit of `demand` and `perShard`, e.g. `bytes/s`. */
  readonly unit: string;
  /** Shards this limit needs. */
  readonly shards: number;
}

/** Options of a capacity plan that come from the stream rather than from its traffic. */
export interface CapacityPlanOptions {
  /**
   * The capacity mode to plan for.
   *
   * @default StreamMode.PROVISIONED
   */
  readonly streamMode?: StreamMode;
  /**
   * Retention of the stream, in hours; affects the cost estimate.
   *
   * @default 24
   */
  readonly retentionHours?: number;
  /**
   * The stream's maximum record size.
   *
   * @default Size.mebibytes(1)
   */
  readonly maxRecordSize?: Size;
  /**
   * Warm throughput of an on-demand stream, in MiB/s.
   *
   * @default - none
   */
  readonly warmThroughputMiBps?: number;
  /**
   * Shards the account may have in the Region.
   *
   * @default 500
   */
  readonly accountShardQuota?: number;
  /**
   * Prices to estimate costs with.
   *
   * @default - US East (N. Virginia) list prices, see `KinesisPricing`
   */
  readonly pricing?: KinesisPricing;
}

const DEFAULT_HEADROOM = 1.25;
const MiB = 1024 * 1024;

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/**
 * The capacity a stream needs for a declared throughput, which limit decided it, and what it costs in each mode.
 *
 * Planning uses the per-shard limits: 1 MiB/s or 1000 records/s written; 2 MiB/s and 5 GetRecords calls/s read,
 * shared by the classic consumers; 2 MiB/s per enhanced fan-out consumer.
 */
export class CapacityPlan {
  /**
   * Plans the capacity for `requirements`.
   *
   * @param requirements the declared throughput
   * @param options the stream's settings that affect the plan
   */
  public static fromThroughput(requirements: ThroughputRequirements, options: CapacityPlanOptions = {}): CapacityPlan {
    return CapacityPlan._plan('CapacityPlan', requirements, options);
  }

  /** @internal */
  public static _plan(scope: RuleScope, requirements: ThroughputRequirements, options: CapacityPlanOptions): CapacityPlan {
    return new CapacityPlan(scope, requirements, options);
  }

  /** The capacity mode planned for. */
  public readonly streamMode: StreamMode;
  /**
   * Shards the stream needs. For an on-demand stream, the shards it scales to at peak (on-demand streams scale
   * per shard too, so the same limits apply to hot partition keys).
   */
  public readonly shardCount: number;
  /** The limit that decided `shardCount`. */
  public readonly decidingLimit: CapacityLimit;
  /** What every limit asks for. */
  public readonly requirements: ShardRequirement[];
  /** Bytes written per second at peak, without headroom. */
  public readonly writeBytesPerSecond: number;
  /** Records written per second at peak, without headroom. */
  public readonly writeRecordsPerSecond: number;
  /** Write throughput at peak with headroom, in MiB/s: what an on-demand stream must absorb. */
  public readonly peakWriteMiBps: number;
  /** GetRecords calls per second each shared-throughput consumer can make on each shard: 5 calls/s shared by all. */
  public readonly pollsPerSecondPerConsumer: number;
  /** Estimated monthly cost in provisioned mode with `shardCount` shards. */
  public readonly provisionedCost: CostEstimate;
  /** Estimated monthly cost in on-demand mode. */
  public readonly onDemandCost: CostEstimate;
  /** The mode with the lower estimated cost. */
  public readonly cheaperMode: StreamMode;
  /** What the plan found worth a warning: hot reads, large records, on-demand ramp-up. */
  public readonly warnings: string[];
  /** The prices the estimates used. */
  public readonly pricing: KinesisPricing;

  private constructor(scope: RuleScope, req: ThroughputRequirements, options: CapacityPlanOptions) {
    checkRequired(scope, 'throughput', req);
    checkRequired(scope, 'throughput.recordsPerSecond', req.recordsPerSecond);
    checkRequired(scope, 'throughput.averageRecordSize', req.averageRecordSize);
    // The plan is arithmetic at synth time: a token would be planned as if it were its encoded double.
    const literal = 'the shard count is planned at synth time; give a number, or set shardCount (which may be a token) instead of throughput';
    const inputs: Array<[string, unknown]> = [
      ['throughput.recordsPerSecond', req.recordsPerSecond], ['throughput.averageRecordSize', req.averageRecordSize],
      ['throughput.averageRecordsPerSecond', req.averageRecordsPerSecond], ['throughput.sharedThroughputConsumers', req.sharedThroughputConsumers],
      ['throughput.enhancedFanOutConsumers', req.enhancedFanOutConsumers], ['throughput.headroom', req.headroom],
      ['retentionHours', options.retentionHours], ['maxRecordSize', options.maxRecordSize], ['warmThroughputMiBps', options.warmThroughputMiBps],
      ['accountShardQuota', options.accountShardQuota],
    ];
    for (const [what, value] of inputs) checkLiteral(scope, what, value, literal);
    // An average may be a fraction of a byte.
    const recordBytes = req.averageRecordSize.toBytes({ rounding: SizeRoundingBehavior.NONE });
    const shared = req.sharedThroughputConsumers ?? 1;
    const efo = req.enhancedFanOutConsumers ?? 0;
    const headroom = req.headroom ?? DEFAULT_HEADROOM;
    const maxRecordBytes = literalBytes(scope, 'maxRecordSize', options.maxRecordSize) ?? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES;
    const quota = options.accountShardQuota ?? KinesisLimits.DEFAULT_SHARD_QUOTA_LARGE_REGIONS;

    checkPositive(scope, 'throughput.recordsPerSecond', req.recordsPerSecond, 'records/s');
    checkPositive(scope, 'throughput.averageRecordSize', recordBytes, 'bytes');
    checkPositive(scope, 'throughput.averageRecordsPerSecond', req.averageRecordsPerSecond, 'records/s');
    if (req.averageRecordsPerSecond !== undefined && req.averageRecordsPerSecond > req.recordsPerSecond) {
      fail(scope, `throughput.averageRecordsPerSecond (${fmt(req.averageRecordsPerSecond)}) cannot exceed the peak recordsPerSecond (${fmt(req.recordsPerSecond)})`);
    }
    if (recordBytes > maxRecordBytes) {
      fail(scope, `throughput.averageRecordSize is ${fmt(recordBytes)} bytes, above the stream's maximum record size of ${fmt(maxRecordBytes)} bytes: raise maxRecordSize (up to 10 MiB) or send smaller records`);
    }
    checkRange(scope, 'throughput.sharedThroughputConsumers', shared, 0, Number.MAX_SAFE_INTEGER);
    checkInteger(scope, 'throughput.sharedThroughputConsumers', shared);
    checkRange(scope, 'throughput.enhancedFanOutConsumers', efo, 0, KinesisLimits.MAX_ENHANCED_FAN_OUT_CONSUMERS, undefined,
      'A stream can register at most 20 enhanced fan-out consumers');
    checkInteger(scope, 'throughput.enhancedFanOutConsumers', efo);
    checkRange(scope, 'throughput.headroom', headroom, 1, 10, undefined, 'Headroom is a factor above the declared peak, e.g. 1.25 for 25%');

    this.streamMode = options.streamMode ?? StreamMode.PROVISIONED;
    this.writeBytesPerSecond = req.recordsPerSecond * recordBytes;
    this.writeRecordsPerSecond = req.recordsPerSecond;
    this.peakWriteMiBps = (this.writeBytesPerSecond * headroom) / MiB;

    const need = (limit: CapacityLimit, demand: number, perShard: number, unit: string): ShardRequirement =>
      ({ limit, demand, perShard, unit, shards: Math.ceil(demand / perShard - 1e-9) });
    const writeBytes = this.writeBytesPerSecond * headroom;
    this.requirements = [
      need(CapacityLimit.WRITE_BYTES, writeBytes, KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND, 'bytes/s'),
      need(CapacityLimit.WRITE_RECORDS, req.recordsPerSecond * headroom, KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND, 'records/s'),
      need(CapacityLimit.SHARED_READ_BYTES, writeBytes * shared, KinesisLimits.SHARD_READ_BYTES_PER_SECOND, 'bytes/s'),
      need(CapacityLimit.ENHANCED_FAN_OUT_READ_BYTES, efo > 0 ? writeBytes : 0, KinesisLimits.SHARD_ENHANCED_FAN_OUT_BYTES_PER_SECOND, 'bytes/s per consumer'),
    ];
    // The first limit in this order wins a tie: writes are what a producer hits first.
    const deciding = this.requirements.reduce((best, r) => (r.shards > best.shards ? r : best));
    this.shardCount = Math.max(1, deciding.shards);
    this.decidingLimit = deciding.limit;

    if (this.streamMode === StreamMode.PROVISIONED && this.shardCount > quota) {
      fail(scope, `the declared throughput needs ${fmt(this.shardCount)} shards (decided by ${this.decidingLimit}), above the account shard quota of ${fmt(quota)}: request a quota increase and set accountShardQuota, or use on-demand mode`);
    }

    this.pollsPerSecondPerConsumer = shared > 0 ? KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND / shared : KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND;
    this.warnings = this.findWarnings(shared, recordBytes, options.warmThroughputMiBps);

    const resolved = resolvePricing(options.pricing);
    this.pricing = resolved;
    const traffic: TrafficForCost = {
      recordsPerSecond: req.averageRecordsPerSecond ?? req.recordsPerSecond,
      recordBytes,
      sharedConsumers: shared,
      enhancedFanOutConsumers: efo,
      retentionHours: options.retentionHours ?? KinesisLimits.MIN_RETENTION_HOURS,
    };
    this.provisionedCost = provisionedCost(this.shardCount, traffic, resolved);
    this.onDemandCost = onDemandCost(traffic, resolved);
    this.cheaperMode = this.onDemandCost.monthlyUsd < this.provisionedCost.monthlyUsd ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED;
  }

  /** What every limit asks for, the deciding limit and the costs, in a few lines for synth output. */
  public get summary(): string {
    const deciding = this.requirements.find((r) => r.limit === this.decidingLimit)!;
    const why = `decided by ${this.decidingLimit} (${fmt(deciding.demand)} ${deciding.unit} with headroom / ${fmt(deciding.perShard)} per shard)`;
    const head = this.streamMode === StreamMode.PROVISIONED
      ? `Capacity plan (PROVISIONED): ${this.shardCount} shard${this.shardCount === 1 ? '' : 's'}, ${why}`
      : `Capacity plan (ON_DEMAND): peak write ${fmt(this.peakWriteMiBps)} MiB/s with headroom; the stream scales to about ${this.shardCount} shard(s), ${why}`;
    const lines = [
      head,
      ...this.requirements.filter((r) => r.demand > 0).map((r) => `  ${r.limit}: ${r.shards} shard(s) for ${fmt(r.demand)} ${r.unit}`),
      `  GetRecords: each shared-throughput consumer can poll a shard ${fmt(this.pollsPerSecondPerConsumer)} times/s (5 calls/s per shard, shared)`,
      `  estimated monthly cost: provisioned $${this.provisionedCost.monthlyUsd.toFixed(2)}, on-demand $${this.onDemandCost.monthlyUsd.toFixed(2)}` +
        ` (cheaper: ${this.cheaperMode}${this.streamMode === this.cheaperMode ? ', the chosen mode' : `; the chosen mode is ${this.streamMode}`})`,
      ...this.warnings.map((w) => `  warning: ${w}`),
    ];
    return lines.join('\n');
  }

  private findWarnings(shared: number, recordBytes: number, warmThroughputMiBps?: number): string[] {
    const warnings: string[] = [];
    if (shared > KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND) {
      warnings.push(`${shared} shared-throughput consumers share 5 GetRecords calls/s per shard, so each can poll a shard only every ${fmt(shared / 5)} s and will be throttled: use enhanced fan-out for some of them`);
    }
    if (recordBytes > KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES) {
      warnings.push(`an average record of ${fmt(recordBytes)} bytes is above 1 MiB: Kinesis absorbs large records in bursts and is not designed for a sustained flow of them (keep them under 2% of traffic, or put payloads in S3 and send references)`);
    }
    if (this.streamMode === StreamMode.ON_DEMAND) {
      if (this.peakWriteMiBps > KinesisLimits.ON_DEMAND_MAX_WRITE_MIB_PER_SECOND) {
        warnings.push(`peak write of ${fmt(this.peakWriteMiBps)} MiB/s is above the on-demand default maximum of ${KinesisLimits.ON_DEMAND_MAX_WRITE_MIB_PER_SECOND} MiB/s: request a quota increase`);
      }
      const warm = warmThroughputMiBps ?? KinesisLimits.ON_DEMAND_INITIAL_WRITE_MIB_PER_SECOND;
      if (this.peakWriteMiBps > warm) {
        warnings.push(`peak write of ${fmt(this.peakWriteMiBps)} MiB/s is above the ${fmt(warm)} MiB/s ${warmThroughputMiBps === undefined ? 'a new on-demand stream starts with' : 'warm throughput'}: ` +
          'on-demand doubles its capacity from the previous peak within about 15 minutes, so writes are throttled while it scales; set warmThroughput (accounts with a minimum throughput billing commitment) or use provisioned mode');
      }
    }
    return warnings;
  }
}
