export * from './data-stream';
export * from './data-stream-alarms';
export * from './capacity-plan';
export * from './pricing';
