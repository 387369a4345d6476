export * from './partition-key';
export * from './producer-alarms';
export * from './producer-function';
export * from './ingestion-authorization';
export * from './http-ingestion-api';
