import { FlinkPricing } from '../flink-pricing';

/** The list prices `FlinkPricing` defaults to. */
export const DEFAULT_FLINK_PRICING: Required<FlinkPricing> = {
  kpuHour: 0.11,
  runningStorageGbMonth: 0.10,
};
