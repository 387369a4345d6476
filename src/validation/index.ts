export { KinesisLimits, AggregationLimits, LambdaLimits, FirehoseLimits } from './limits';
