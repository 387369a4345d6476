export {
  KinesisLimits, AggregationLimits, LambdaLimits, FirehoseLimits, RedshiftLimits, DynamoDbLimits, SqsLimits, StreamReaderLimits, FlinkLimits,
  MonitoringLimits, FirehoseDirectPutQuotas, DynamoDbOnDemandLimits,
} from './limits';
export * from './kinesis-design';
export * from './rule-catalog';
