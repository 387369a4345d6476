export * from './data-stream';
export { DataStreamAlarms, IteratorAgeAlarmSettings, ThrottlingAlarmSettings, UtilizationAlarmSettings } from './data-stream-alarms';
export * from './capacity-plan';
export { KinesisPricing, CostEstimate, CostItem } from './pricing';
