export * from './validation';
export * from './streams';
