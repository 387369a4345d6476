export { KinesisLimits, AggregationLimits, LambdaLimits, FirehoseLimits, RedshiftLimits, DynamoDbLimits, SqsLimits, StreamReaderLimits } from './limits';
export * from './kinesis-design';
export * from './rule-catalog';
