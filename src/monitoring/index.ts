export * from './alarm-settings';
export * from './alarm-topic';
export * from './pipeline-dashboard';
