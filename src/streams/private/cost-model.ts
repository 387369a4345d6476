import { CostEstimate, CostItem, KinesisPricing } from '../pricing';

/** The list prices `KinesisPricing` defaults to. */
export const DEFAULT_PRICING: Required<KinesisPricing> = {
  shardHour: 0.015,
  millionPutPayloadUnits: 0.014,
  extendedRetentionShardHour: 0.02,
  enhancedFanOutConsumerShardHour: 0.015,
  enhancedFanOutRetrievalGiB: 0.013,
  onDemandStreamHour: 0.04,
  onDemandIngestGiB: 0.08,
  onDemandRetrievalGiB: 0.04,
  onDemandEnhancedFanOutRetrievalGiB: 0.05,
  onDemandExtendedRetentionGiBMonth: 0.10,
  longTermRetentionGiBMonth: 0.023,
};

/** Hours in the average month AWS bills by. */
export const HOURS_PER_MONTH = 730;

/** The traffic a cost is estimated for. */
export interface TrafficForCost {
  readonly recordsPerSecond: number;
  readonly recordBytes: number;
  readonly sharedConsumers: number;
  readonly enhancedFanOutConsumers: number;
  readonly retentionHours: number;
}

const GiB = 1024 ** 3;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
const ON_DEMAND_BILLING_UNIT_BYTES = 1024;
const INCLUDED_RETENTION_HOURS = 24;
const EXTENDED_RETENTION_END_HOURS = 168;

function usd(n: number): string {
  return `$${n < 1 ? n.toFixed(3) : n.toFixed(2)}`;
}

function total(items: CostItem[]): CostEstimate {
  const kept = items.filter((i) => i.monthlyUsd > 0);
  return { items: kept, monthlyUsd: kept.reduce((sum, i) => sum + i.monthlyUsd, 0) };
}

/** Bytes stored at steady state between two ages of the data, at `bytesPerSecond`. */
function storedGiB(bytesPerSecond: number, fromHours: number, toHours: number): number {
  return (bytesPerSecond * Math.max(0, toHours - fromHours) * 3600) / GiB;
}

function longTermRetention(t: TrafficForCost, bytesPerSecond: number, p: Required<KinesisPricing>): CostItem {
  const gib = storedGiB(bytesPerSecond, EXTENDED_RETENTION_END_HOURS, t.retentionHours);
  return { description: `long-term retention (${gib.toFixed(1)} GiB stored beyond 7 days × ${usd(p.longTermRetentionGiBMonth)}/GiB-month)`, monthlyUsd: gib * p.longTermRetentionGiBMonth };
}

/** Monthly cost of a provisioned stream with `shards` shards carrying `t` around the clock. */
export function provisionedCost(shards: number, t: TrafficForCost, p: Required<KinesisPricing>): CostEstimate {
  const recordsPerMonth = t.recordsPerSecond * SECONDS_PER_MONTH;
  const unitsPerRecord = Math.max(1, Math.ceil(t.recordBytes / PUT_PAYLOAD_UNIT_BYTES));
  const bytesPerSecond = t.recordsPerSecond * t.recordBytes;
  const efoGiB = (bytesPerSecond * SECONDS_PER_MONTH * t.enhancedFanOutConsumers) / GiB;
  return total([
    { description: `shard hours (${shards} shards × ${HOURS_PER_MONTH} h × ${usd(p.shardHour)})`, monthlyUsd: shards * HOURS_PER_MONTH * p.shardHour },
    {
      description: `PUT payload units (${((recordsPerMonth * unitsPerRecord) / 1e6).toFixed(1)} M units of 25 KiB × ${usd(p.millionPutPayloadUnits)}/M)`,
      monthlyUsd: ((recordsPerMonth * unitsPerRecord) / 1e6) * p.millionPutPayloadUnits,
    },
    {
      description: `extended retention (${shards} shards × ${HOURS_PER_MONTH} h × ${usd(p.extendedRetentionShardHour)})`,
      monthlyUsd: t.retentionHours > INCLUDED_RETENTION_HOURS ? shards * HOURS_PER_MONTH * p.extendedRetentionShardHour : 0,
    },
    longTermRetention(t, bytesPerSecond, p),
    {
      description: `enhanced fan-out consumer-shard hours (${t.enhancedFanOutConsumers} × ${shards} shards × ${HOURS_PER_MONTH} h × ${usd(p.enhancedFanOutConsumerShardHour)})`,
      monthlyUsd: t.enhancedFanOutConsumers * shards * HOURS_PER_MONTH * p.enhancedFanOutConsumerShardHour,
    },
    { description: `enhanced fan-out retrieval (${efoGiB.toFixed(0)} GiB × ${usd(p.enhancedFanOutRetrievalGiB)})`, monthlyUsd: efoGiB * p.enhancedFanOutRetrievalGiB },
  ]);
}

/** Monthly cost of an on-demand stream carrying `t` around the clock. */
export function onDemandCost(t: TrafficForCost, p: Required<KinesisPricing>): CostEstimate {
  const billedRecordBytes = Math.max(1, Math.ceil(t.recordBytes / ON_DEMAND_BILLING_UNIT_BYTES)) * ON_DEMAND_BILLING_UNIT_BYTES;
  const ingestGiB = (t.recordsPerSecond * billedRecordBytes * SECONDS_PER_MONTH) / GiB;
  const bytesPerSecond = t.recordsPerSecond * t.recordBytes;
  const extendedGiB = storedGiB(bytesPerSecond, INCLUDED_RETENTION_HOURS, Math.min(t.retentionHours, EXTENDED_RETENTION_END_HOURS));
  return total([
    { description: `stream hours (${HOURS_PER_MONTH} h × ${usd(p.onDemandStreamHour)})`, monthlyUsd: HOURS_PER_MONTH * p.onDemandStreamHour },
    { description: `data ingested (${ingestGiB.toFixed(0)} GiB, records rounded up to 1 KiB, × ${usd(p.onDemandIngestGiB)})`, monthlyUsd: ingestGiB * p.onDemandIngestGiB },
    {
      description: `shared-throughput retrieval (${t.sharedConsumers} consumers × ${ingestGiB.toFixed(0)} GiB × ${usd(p.onDemandRetrievalGiB)})`,
      monthlyUsd: t.sharedConsumers * ingestGiB * p.onDemandRetrievalGiB,
    },
    {
      description: `enhanced fan-out retrieval (${t.enhancedFanOutConsumers} consumers × ${ingestGiB.toFixed(0)} GiB × ${usd(p.onDemandEnhancedFanOutRetrievalGiB)})`,
      monthlyUsd: t.enhancedFanOutConsumers * ingestGiB * p.onDemandEnhancedFanOutRetrievalGiB,
    },
    {
      description: `extended retention (${extendedGiB.toFixed(1)} GiB stored beyond 24 h × ${usd(p.onDemandExtendedRetentionGiBMonth)}/GiB-month)`,
      monthlyUsd: extendedGiB * p.onDemandExtendedRetentionGiBMonth,
    },
    longTermRetention(t, bytesPerSecond, p),
  ]);
}

/** The prices in force: the defaults with the user's overrides. */
export function resolvePricing(overrides: KinesisPricing = {}): Required<KinesisPricing> {
  const resolved = { ...DEFAULT_PRICING };
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) (resolved as Record<string, number>)[k] = v;
  }
  return resolved;
}
