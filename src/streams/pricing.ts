/**
 * Kinesis Data Streams prices the capacity planner assumes, in US dollars.
 *
 * The defaults are the public list prices of US East (N. Virginia) as published on the Kinesis pricing page
 * (checked 2026-11). Prices differ by Region and change over time: override any of them for your Region or your
 * negotiated rates. Every estimate states the prices it used.
 *
 * @see https://aws.amazon.com/kinesis/data-streams/pricing/
 */
export interface KinesisPricing {
  /**
   * Provisioned mode: price of one shard for one hour.
   * @default 0.015
   */
  readonly shardHour?: number;
  /**
   * Provisioned mode: price of one million PUT payload units (a record is billed in 25 KiB units).
   * @default 0.014
   */
  readonly millionPutPayloadUnits?: number;
  /**
   * Provisioned mode: price of extended retention (beyond 24 hours, up to 7 days) per shard-hour.
   * @default 0.02
   */
  readonly extendedRetentionShardHour?: number;
  /**
   * Provisioned mode: enhanced fan-out price per consumer-shard-hour.
   * @default 0.015
   */
  readonly enhancedFanOutConsumerShardHour?: number;
  /**
   * Provisioned mode: enhanced fan-out data retrieval price per GiB.
   * @default 0.013
   */
  readonly enhancedFanOutRetrievalGiB?: number;
  /**
   * On-demand mode: price of one stream for one hour.
   * @default 0.04
   */
  readonly onDemandStreamHour?: number;
  /**
   * On-demand mode: price per GiB written (each record is rounded up to a whole KiB).
   * @default 0.08
   */
  readonly onDemandIngestGiB?: number;
  /**
   * On-demand mode: price per GiB read by shared-throughput consumers.
   * @default 0.04
   */
  readonly onDemandRetrievalGiB?: number;
  /**
   * On-demand mode: price per GiB read by enhanced fan-out consumers.
   * @default 0.05
   */
  readonly onDemandEnhancedFanOutRetrievalGiB?: number;
  /**
   * On-demand mode: extended retention (beyond 24 hours, up to 7 days) per GiB-month stored.
   * @default 0.10
   */
  readonly onDemandExtendedRetentionGiBMonth?: number;
  /**
   * Both modes: long-term retention (beyond 7 days) per GiB-month stored.
   * @default 0.023
   */
  readonly longTermRetentionGiBMonth?: number;
}

/** One line of a cost estimate. */
export interface CostItem {
  /** What is charged, e.g. `shard hours (4 shards × 730 h × $0.015)`. */
  readonly description: string;
  /** US dollars per month. */
  readonly monthlyUsd: number;
}

/** An estimated monthly cost, with the lines it is made of. */
export interface CostEstimate {
  /** US dollars per month. */
  readonly monthlyUsd: number;
  /** The lines the total is made of. */
  readonly items: CostItem[];
}
