export * from './alarm-settings';
