export { KinesisLimits, AggregationLimits, LambdaLimits, FirehoseLimits, RedshiftLimits, DynamoDbLimits, SqsLimits, MonitoringLimits } from './limits';
