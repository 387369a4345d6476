export * from './consumer-alarms';
export * from './consumer-code';
export * from './failure-destination';
export * from './lambda-stream-consumer';
export * from './stream-consumer-options';
export * from './stream-read-mode';
export * from './dynamo-db-stream-sink';
