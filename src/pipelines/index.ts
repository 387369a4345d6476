export * from './pipeline-plan';
export * from './pipeline-pricing';
export * from './pipeline-options';
export * from './log-ingestion-pipeline';
export * from './telemetry-pipeline';
export * from './clickstream-pipeline';
export * from './transactions-pipeline';
