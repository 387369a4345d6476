import { FlinkPricing } from './flink-pricing';
import { CostEstimate } from '../streams/pricing';
import { HOURS_PER_MONTH } from '../streams/private/cost-model';
import { FlinkLimits } from '../validation/limits';
import { checkInteger, checkRange, fail, RuleScope } from '../validation/rules';
import { DEFAULT_FLINK_PRICING } from './private/pricing';

/** The scale settings a Flink capacity plan is made from. */
export interface FlinkScaleOptions {
  /**
   * Parallel tasks the job starts with (with autoscaling, the service adds more under load and never goes below it).
   *
   * @default 1
   */
  readonly parallelism?: number;
  /**
   * Parallel tasks one KPU runs, from 1 to 8. More tasks per KPU suit jobs that wait on I/O; CPU-bound jobs want 1.
   *
   * @default 1
   */
  readonly parallelismPerKpu?: number;
  /**
   * Let the service raise the parallelism under load (up to `maxKpus` KPUs) and lower it back.
   *
   * @default true
   */
  readonly autoScaling?: boolean;
  /**
   * KPUs the application may use: the account's quota for one application. A setting that needs more is refused.
   *
   * @default 64 (the default quota)
   */
  readonly maxKpus?: number;
  /**
   * Prices to estimate costs with.
   *
   * @default - US East (N. Virginia) list prices, see `FlinkPricing`
   */
  readonly pricing?: FlinkPricing;
}

function usd(n: number): string {
  return `$${n.toFixed(n < 1 ? 3 : 2)}`;
}

/**
 * The KPUs a Flink application's scale settings imply and what they cost a month: the KPUs that run the job
 * (parallelism / parallelism per KPU, rounded up), the orchestration KPU(s) billed on top, and the running
 * application storage that comes with every KPU (50 GB). With autoscaling, the estimate is at the configured
 * parallelism (the floor) and at `maxKpus` (the ceiling).
 */
export class FlinkCapacityPlan {
  /**
   * Plans the KPUs of a Flink application.
   *
   * @param options the scale settings
   */
  public static forApplication(options: FlinkScaleOptions = {}): FlinkCapacityPlan {
    return new FlinkCapacityPlan('FlinkCapacityPlan', options, FlinkLimits.ORCHESTRATION_KPUS_PER_APPLICATION);
  }

  /** @internal */
  public static _plan(scope: RuleScope, options: FlinkScaleOptions, orchestrationKpus: number): FlinkCapacityPlan {
    return new FlinkCapacityPlan(scope, options, orchestrationKpus);
  }

  /** Parallel tasks at start. */
  public readonly parallelism: number;
  /** Parallel tasks per KPU. */
  public readonly parallelismPerKpu: number;
  /** Whether the service scales the application. */
  public readonly autoScaling: boolean;
  /** KPUs that run the job at the configured parallelism. */
  public readonly kpus: number;
  /** KPUs billed for orchestration, on top of `kpus`. */
  public readonly orchestrationKpus: number;
  /** KPUs billed in all at the configured parallelism. */
  public readonly billedKpus: number;
  /** The most KPUs the application may use. */
  public readonly maxKpus: number;
  /** The largest parallelism autoscaling can reach: `maxKpus` × `parallelismPerKpu`. */
  public readonly maxParallelism: number;
  /** Running application storage at the configured parallelism, in GB. */
  public readonly runningStorageGb: number;
  /** Estimated monthly cost at the configured parallelism, around the clock. */
  public readonly monthlyCost: CostEstimate;
  /** Estimated monthly cost at `maxKpus`, when autoscaling is on. */
  public readonly maxMonthlyCost?: CostEstimate;
  /** The prices the estimates used. */
  public readonly pricing: FlinkPricing;

  private constructor(scope: RuleScope, options: FlinkScaleOptions, orchestrationKpus: number) {
    this.parallelism = options.parallelism ?? 1;
    this.parallelismPerKpu = options.parallelismPerKpu ?? 1;
    this.autoScaling = options.autoScaling ?? true;
    this.maxKpus = options.maxKpus ?? FlinkLimits.DEFAULT_MAX_KPUS_PER_APPLICATION;
    checkInteger(scope, 'parallelism', this.parallelism);
    checkRange(scope, 'parallelism', this.parallelism, FlinkLimits.MIN_PARALLELISM, Number.MAX_SAFE_INTEGER);
    checkInteger(scope, 'parallelismPerKpu', this.parallelismPerKpu);
    checkRange(scope, 'parallelismPerKpu', this.parallelismPerKpu, FlinkLimits.MIN_PARALLELISM_PER_KPU, FlinkLimits.MAX_PARALLELISM_PER_KPU, undefined,
      'One KPU (1 vCPU, 4 GB) runs 1 to 8 parallel tasks');
    checkInteger(scope, 'maxKpus', this.maxKpus);
    checkRange(scope, 'maxKpus', this.maxKpus, 1, Number.MAX_SAFE_INTEGER);

    this.kpus = Math.ceil(this.parallelism / this.parallelismPerKpu);
    if (this.kpus > this.maxKpus) {
      fail(scope, `parallelism ${this.parallelism} at ${this.parallelismPerKpu} per KPU needs ${this.kpus} KPUs, above the ${this.maxKpus} KPUs an application may use: ` +
        'raise parallelismPerKpu, or request a quota increase and set maxKpus');
    }
    this.orchestrationKpus = orchestrationKpus;
    this.billedKpus = this.kpus + orchestrationKpus;
    this.maxParallelism = this.maxKpus * this.parallelismPerKpu;
    this.runningStorageGb = this.kpus * FlinkLimits.RUNNING_STORAGE_GB_PER_KPU;
    const pricing = { ...DEFAULT_FLINK_PRICING };
    for (const [k, v] of Object.entries(options.pricing ?? {})) if (v !== undefined) (pricing as Record<string, number>)[k] = v;
    this.pricing = pricing;
    this.monthlyCost = this.cost(this.kpus, pricing);
    this.maxMonthlyCost = this.autoScaling ? this.cost(this.maxKpus, pricing) : undefined;
  }

  /** The plan in a few lines for synth output. */
  public get summary(): string {
    const lines = [
      `Flink capacity plan: ${this.kpus} KPU${this.kpus === 1 ? '' : 's'} for parallelism ${this.parallelism} at ${this.parallelismPerKpu} per KPU, ` +
        `+ ${this.orchestrationKpus} orchestration KPU${this.orchestrationKpus === 1 ? '' : 's'} = ${this.billedKpus} billed, ${this.runningStorageGb} GB running storage`,
      `  estimated monthly cost: ${usd(this.monthlyCost.monthlyUsd)} (${this.monthlyCost.items.map((i) => i.description).join(' + ')})`,
    ];
    if (this.maxMonthlyCost) {
      lines.push(`  autoscaling: up to ${this.maxKpus} KPUs (parallelism ${this.maxParallelism}), at most ${usd(this.maxMonthlyCost.monthlyUsd)} a month`);
    }
    lines.push('  not included: durable application backups (snapshots), billed per GB-month of state');
    return lines.join('\n');
  }

  private cost(kpus: number, p: Required<FlinkPricing>): CostEstimate {
    const billed = kpus + this.orchestrationKpus;
    const storageGb = kpus * FlinkLimits.RUNNING_STORAGE_GB_PER_KPU;
    const items = [
      { description: `KPU hours (${billed} KPUs × ${HOURS_PER_MONTH} h × ${usd(p.kpuHour)})`, monthlyUsd: billed * HOURS_PER_MONTH * p.kpuHour },
      { description: `running storage (${storageGb} GB × ${usd(p.runningStorageGbMonth)}/GB-month)`, monthlyUsd: storageGb * p.runningStorageGbMonth },
    ];
    return { monthlyUsd: items.reduce((s, i) => s + i.monthlyUsd, 0), items };
  }
}
