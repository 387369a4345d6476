export { KinesisLimits, AggregationLimits, LambdaLimits, FirehoseLimits, RedshiftLimits, DynamoDbLimits, SqsLimits, StreamReaderLimits, MonitoringLimits, FirehoseDirectPutQuotas, DynamoDbOnDemandLimits } from './limits';
export * from './kinesis-design';
export * from './rule-catalog';
