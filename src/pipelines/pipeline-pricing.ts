import { FlinkPricing } from '../analytics/flink-pricing';
import { KinesisPricing } from '../streams/pricing';

/**
 * Prices a pipeline's plan assumes for the parts around the stream, in US dollars.
 *
 * The defaults are the public list prices of US East (N. Virginia) (checked 2026-11). Prices differ by Region and
 * change: override any of them for your Region or your negotiated rates. Every line of a plan states the prices it
 * used.
 *
 * @see https://aws.amazon.com/firehose/pricing/
 * @see https://aws.amazon.com/lambda/pricing/
 * @see https://aws.amazon.com/dynamodb/pricing/on-demand/
 * @see https://aws.amazon.com/api-gateway/pricing/
 * @see https://aws.amazon.com/cloudwatch/pricing/
 */
export interface PipelinePricing {
  /**
   * Prices of the data stream.
   *
   * @default - the defaults of `KinesisPricing`
   */
  readonly kinesis?: KinesisPricing;
  /**
   * Prices of Flink applications and Studio notebooks.
   *
   * @default - the defaults of `FlinkPricing`
   */
  readonly flink?: FlinkPricing;
  /**
   * Firehose: price per GB ingested (first 500 TB a month); each record is billed in 5 KB increments.
   *
   * @default 0.029
   */
  readonly firehoseIngestGb?: number;
  /**
   * Firehose: dynamic partitioning, price per GB partitioned.
   *
   * @default 0.02
   */
  readonly firehoseDynamicPartitioningGb?: number;
  /**
   * Firehose: dynamic partitioning, price per 1,000 objects delivered.
   *
   * @default 0.005
   */
  readonly firehoseDynamicPartitioningThousandObjects?: number;
  /**
   * Firehose: record format conversion (to Parquet or ORC), price per GB.
   *
   * @default 0.018
   */
  readonly firehoseFormatConversionGb?: number;
  /**
   * Lambda (arm64): price per GB-second of duration.
   *
   * @default 0.0000133334
   */
  readonly lambdaGbSecond?: number;
  /**
   * Lambda: price per million requests.
   *
   * @default 0.2
   */
  readonly lambdaMillionRequests?: number;
  /**
   * DynamoDB on-demand: price per million write request units.
   *
   * @default 0.625
   */
  readonly dynamoDbMillionWriteRequestUnits?: number;
  /**
   * API Gateway REST API: price per million requests (first 333 million a month).
   *
   * @default 3.5
   */
  readonly apiGatewayMillionRequests?: number;
  /**
   * SQS standard queue: price per million requests (each 64 KiB chunk of a request is one).
   *
   * @default 0.4
   */
  readonly sqsMillionRequests?: number;
  /**
   * S3 Standard: price per GB-month stored (first 50 TB).
   *
   * @default 0.023
   */
  readonly s3StorageGbMonth?: number;
  /**
   * S3 Standard: price per 1,000 PUT requests.
   *
   * @default 0.005
   */
  readonly s3ThousandPutRequests?: number;
  /**
   * CloudWatch: price per standard-resolution alarm metric a month.
   *
   * @default 0.1
   */
  readonly cloudWatchAlarmMonth?: number;
  /**
   * CloudWatch: price per dashboard a month (beyond the three free ones).
   *
   * @default 3
   */
  readonly cloudWatchDashboardMonth?: number;
}
