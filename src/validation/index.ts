export { KinesisLimits, AggregationLimits, LambdaLimits, FirehoseLimits, RedshiftLimits, DynamoDbLimits, SqsLimits } from './limits';
