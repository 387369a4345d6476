/**
 * Managed Service for Apache Flink prices the capacity plan assumes, in US dollars.
 *
 * The defaults are the public list prices of US East (N. Virginia) on the service's pricing page (checked 2026-12):
 * a KPU (1 vCPU, 4 GB of memory) per hour, and running application storage (50 GB with every KPU) per GB-month.
 * Durable application backups (snapshots) are billed per GB-month stored on top; their size depends on the job's
 * state and is not estimated. Override any price for your Region or your negotiated rates.
 *
 * @see https://aws.amazon.com/managed-service-apache-flink/pricing/
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-pricing.html
 */
export interface FlinkPricing {
  /**
   * Price of one KPU for one hour.
   * @default 0.11
   */
  readonly kpuHour?: number;
  /**
   * Price of one GB of running application storage for one month.
   * @default 0.10
   */
  readonly runningStorageGbMonth?: number;
}
