export * from './data-stream';
export { DataStreamAlarms, IteratorAgeAlarmSettings, ThrottlingAlarmSettings } from './data-stream-alarms';
export * from './capacity-plan';
export { KinesisPricing, CostEstimate, CostItem } from './pricing';
