export * from './validation';
export * from './streams';
export * from './monitoring';
export * from './producers';
export * from './delivery';
export * from './consumers';
export * from './pipelines';
export * from './analytics';
