import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { Construct } from 'constructs';
import { FirehoseLimits } from '../validation/limits';
import { checkAtMost, checkInteger, checkPositive, checkRequiredProps, numberText, wholeSeconds } from '../validation/rules';

/**
 * The destination a delivery stream writes to, which names its delivery metrics (`DeliveryToS3.DataFreshness`,
 * `DeliveryToRedshift.Success`, ...).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
 */
export class DeliveryDestinationKind {
  /** Amazon S3. */
  public static readonly S3 = new DeliveryDestinationKind('DeliveryToS3', 'DeliveryToS3');
  /** Amazon Redshift: freshness is measured on the intermediate S3 delivery, whose success is watched too. */
  public static readonly REDSHIFT = new DeliveryDestinationKind('DeliveryToS3', 'DeliveryToRedshift', 'DeliveryToS3');
  /** Amazon OpenSearch Service. */
  public static readonly OPENSEARCH = new DeliveryDestinationKind('DeliveryToAmazonOpenSearchService', 'DeliveryToAmazonOpenSearchService');
  /** Amazon OpenSearch Serverless. */
  public static readonly OPENSEARCH_SERVERLESS = new DeliveryDestinationKind('DeliveryToAmazonOpenSearchServerless', 'DeliveryToAmazonOpenSearchServerless');
  /** Splunk. */
  public static readonly SPLUNK = new DeliveryDestinationKind('DeliveryToSplunk', 'DeliveryToSplunk');
  /** An HTTP endpoint. */
  public static readonly HTTP_ENDPOINT = new DeliveryDestinationKind('DeliveryToHttpEndpoint', 'DeliveryToHttpEndpoint');
  /**
   * Apache Iceberg tables. `DeliveryToIceberg.Success` counts commits, not a ratio, so failures are watched on
   * `DeliveryToIceberg.FailedRowCount` (rows written to the S3 error output) instead.
   */
  public static readonly ICEBERG = new DeliveryDestinationKind('DeliveryToIceberg', 'DeliveryToIceberg', undefined, 'DeliveryToIceberg.FailedRowCount', {
    failedRecordsHint: 'the tables\' schemas and the role\'s catalog permissions',
  });
  /**
   * Snowflake. `DeliveryToSnowflake.Success` counts insert calls, not a ratio, so failures are watched on
   * `DeliveryToS3.Records` (the records Firehose could not insert and wrote to the backup bucket instead), the backup
   * of those records on `DeliveryToS3.Success`, and the time Snowflake takes to commit inserted rows on
   * `DeliveryToSnowflake.DataCommitLatency`.
   */
  public static readonly SNOWFLAKE = new DeliveryDestinationKind('DeliveryToSnowflake', 'DeliveryToSnowflake', undefined, 'DeliveryToS3.Records', {
    backupSuccessMetricName: 'DeliveryToS3.Success',
    commitLatencyMetricName: 'DeliveryToSnowflake.DataCommitLatency',
    failedRecordsHint: 'the table\'s columns against the records, and the Snowflake user\'s key and privileges',
  });

  /**
   * A destination the library does not know yet, by the prefixes of its metric names.
   *
   * @param freshnessMetricPrefix prefix of the destination's data-freshness metric, e.g. `DeliveryToS3`
   * @param successMetricPrefix prefix of the destination's success metric, e.g. `DeliveryToS3`
   */
  public static of(freshnessMetricPrefix: string, successMetricPrefix: string): DeliveryDestinationKind {
    return new DeliveryDestinationKind(freshnessMetricPrefix, successMetricPrefix);
  }

  /** Name of the data freshness metric. */
  public readonly freshnessMetricName: string;
  /** Name of the delivery success metric. */
  public readonly successMetricName: string;
  /** Name of the success metric of the intermediate S3 delivery, for destinations that stage records in S3. */
  public readonly stagingSuccessMetricName?: string;
  /** Name of a count of records the destination refused, watched instead of the success metric when there is one. */
  public readonly failedRecordsMetricName?: string;
  /** What to check when the destination refuses records, for the failed-records alarm's description. */
  public readonly failedRecordsHint: string;
  /** Name of the success metric of the writes of failed (or all) records to the S3 backup. */
  public readonly backupSuccessMetricName: string;
  /** Name of the time the destination takes to commit what Firehose delivered, for destinations that report it. */
  public readonly commitLatencyMetricName?: string;

  private constructor(freshnessPrefix: string, successPrefix: string, stagingPrefix?: string, failedRecordsMetricName?: string,
    more: { readonly backupSuccessMetricName?: string; readonly commitLatencyMetricName?: string; readonly failedRecordsHint?: string } = {}) {
    this.freshnessMetricName = `${freshnessPrefix}.DataFreshness`;
    this.successMetricName = `${successPrefix}.Success`;
    this.stagingSuccessMetricName = stagingPrefix ? `${stagingPrefix}.Success` : undefined;
    this.failedRecordsMetricName = failedRecordsMetricName;
    this.backupSuccessMetricName = more.backupSuccessMetricName ?? 'BackupToS3.Success';
    this.commitLatencyMetricName = more.commitLatencyMetricName;
    this.failedRecordsHint = more.failedRecordsHint ?? 'the records and the destination\'s permissions';
  }
}

/** Options of the alarms, as the delivery constructs accept them. */
export interface DeliveryStreamAlarmsOptions {
  /**
   * Data freshness (age of the oldest undelivered record) above which the freshness alarm fires.
   *
   * @default - twice the longest time a record should wait: the buffering interval (times 1.5 with dynamic
   * partitioning) plus the transform's buffering interval; at least 5 minutes
   */
  readonly freshnessThreshold?: Duration;

  /**
   * Consecutive 5-minute periods a condition must hold before an alarm fires.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * Average commit latency (the time the destination takes to commit rows after Firehose inserted them) above which
   * the commit latency alarm fires, for destinations that report it (Snowflake).
   *
   * @default - the freshness threshold: a row committed that late is as late as a record not delivered
   */
  readonly commitLatencyThreshold?: Duration;

  /**
   * Actions of every alarm (for example an SNS topic).
   *
   * @default - no actions
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** Properties of `DeliveryStreamAlarms`. */
export interface DeliveryStreamAlarmsProps extends DeliveryStreamAlarmsOptions {
  /** The delivery stream to watch. */
  readonly deliveryStream: firehose.IDeliveryStream;
  /** Its destination. */
  readonly destination: DeliveryDestinationKind;
  /** Its buffering interval, from which the freshness threshold is derived. */
  readonly bufferingInterval: Duration;
  /**
   * Whether dynamic partitioning is on (delay up to 1.5 times the interval, and an alarm on active partitions).
   *
   * @default false
   */
  readonly dynamicPartitioning?: boolean;
  /**
   * Buffering interval of the Lambda transform, when there is one.
   *
   * @default - no transform
   */
  readonly transformBufferingInterval?: Duration;
  /**
   * Whether the source is a Kinesis data stream (an alarm on throttled reads) rather than direct PUT (an alarm on
   * throttled puts).
   *
   * @default false
   */
  readonly kinesisStreamSource?: boolean;
  /**
   * Whether the source is an Amazon MSK topic: no throttling alarm then, since neither of Firehose's throttling
   * metrics (`ThrottledRecords` for direct PUT, `ThrottledGetRecords` for a data stream) is about an MSK source; a
   * delivery that falls behind the topic shows in the data freshness alarm.
   *
   * @default false
   */
  readonly mskSource?: boolean;
  /**
   * Whether records are backed up to S3 (an alarm on failed backups, which are records lost for good).
   *
   * @default false
   */
  readonly s3Backup?: boolean;
}

const PERIOD = Duration.minutes(5);
const MIN_FRESHNESS_SECONDS = 300;

/**
 * Alarms on a delivery stream, each with the `DeliveryStreamName` dimension: data freshness (threshold derived from
 * the buffering settings), delivery success, transform invocation success, throttling, and exceeded active
 * partitions. Missing data is not breaching: a delivery stream without traffic is healthy.
 */
export class DeliveryStreamAlarms extends Construct {
  /**
   * Twice the longest time a record should wait before delivery, at least 5 minutes (the metric's period): a record
   * waits up to the buffering interval (1.5 times with dynamic partitioning's multi-stage buffering), plus the
   * transform's buffering interval.
   */
  private static deriveFreshnessSeconds(props: DeliveryStreamAlarmsProps): number {
    if (props.bufferingInterval.isUnresolved() || props.transformBufferingInterval?.isUnresolved()) return MIN_FRESHNESS_SECONDS * 2;
    const interval = props.bufferingInterval.toSeconds();
    const transform = props.transformBufferingInterval?.toSeconds() ?? 0;
    const factor = props.dynamicPartitioning ? FirehoseLimits.DYNAMIC_PARTITIONING_DELAY_FACTOR : 1;
    return Math.max(MIN_FRESHNESS_SECONDS, Math.ceil(2 * (interval * factor + transform)));
  }

  /** Oldest undelivered record older than the threshold. */
  public readonly dataFreshness: cloudwatch.Alarm;
  /** Some deliveries to the destination failed (Firehose retries; records may end in the error prefix). */
  public readonly deliveryFailures: cloudwatch.Alarm;
  /** Some transform invocations failed, when there is a transform. */
  public readonly transformFailures?: cloudwatch.Alarm;
  /** Reads from the source stream, or puts from producers, were throttled; none with an MSK source. */
  public readonly throttling?: cloudwatch.Alarm;
  /** Writes of staged records to the intermediate bucket failed, for destinations that stage in S3 (Redshift). */
  public readonly stagingFailures?: cloudwatch.Alarm;
  /** Writes to the S3 backup failed, when there is a backup. */
  public readonly backupFailures?: cloudwatch.Alarm;
  /** More active partitions than the quota, when dynamic partitioning is on. */
  public readonly partitionCountExceeded?: cloudwatch.Alarm;
  /** The destination commits delivered rows slowly, for destinations that report their commit latency (Snowflake). */
  public readonly commitLatency?: cloudwatch.Alarm;
  /** The freshness threshold in seconds, as derived or given. */
  public readonly freshnessThresholdSeconds: number;

  /**
   * @param scope the construct the alarm set is created in
   * @param id the alarm set's id, unique within `scope`
   * @param props the delivery stream and thresholds
   */
  constructor(scope: Construct, id: string, props: DeliveryStreamAlarmsProps) {
    super(scope, id);
    checkRequiredProps(this, props, ['deliveryStream', 'destination', 'bufferingInterval']);
    const stream = props.deliveryStream;
    const evaluationPeriods = props.evaluationPeriods ?? 3;
    checkPositive(this, 'evaluationPeriods', evaluationPeriods);
    checkInteger(this, 'evaluationPeriods', evaluationPeriods);
    // CloudWatch evaluates at most one day of periods shorter than an hour.
    checkAtMost(this, 'evaluationPeriods', evaluationPeriods, 86_400 / PERIOD.toSeconds(), undefined,
      `The alarms use ${PERIOD.toSeconds()}-second periods and CloudWatch evaluates at most one day of them`);
    this.freshnessThresholdSeconds = wholeSeconds(this, 'freshnessThreshold', props.freshnessThreshold) ?? DeliveryStreamAlarms.deriveFreshnessSeconds(props);
    checkPositive(this, 'freshnessThreshold', this.freshnessThresholdSeconds, 'seconds');

    const alarm = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, op: cloudwatch.ComparisonOperator, description: string) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator: op,
        evaluationPeriods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${description} (${this.node.path})`,
      });
      for (const action of props.alarmActions ?? []) a.addAlarmAction(action);
      return a;
    };

    this.dataFreshness = alarm('DataFreshness',
      stream.metric(props.destination.freshnessMetricName, { statistic: 'Maximum', period: PERIOD }),
      this.freshnessThresholdSeconds, cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      `Oldest undelivered record is older than ${numberText(this.freshnessThresholdSeconds)} s: delivery is falling behind or failing`);
    this.deliveryFailures = props.destination.failedRecordsMetricName
      ? alarm('DeliveryFailures', stream.metric(props.destination.failedRecordsMetricName, { statistic: 'Sum', period: PERIOD }),
        0, cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        `The destination refused records, which went to the S3 error output: check the delivery error logs, ${props.destination.failedRecordsHint}`)
      : alarm('DeliveryFailures', stream.metric(props.destination.successMetricName, { statistic: 'Minimum', period: PERIOD }),
        1, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        'Deliveries to the destination are failing: check the delivery error logs and the destination\'s permissions');
    if (props.destination.commitLatencyMetricName) {
      const seconds = wholeSeconds(this, 'commitLatencyThreshold', props.commitLatencyThreshold) ?? this.freshnessThresholdSeconds;
      checkPositive(this, 'commitLatencyThreshold', seconds, 'seconds');
      this.commitLatency = alarm('CommitLatency',
        stream.metric(props.destination.commitLatencyMetricName, { statistic: 'Average', period: PERIOD }),
        seconds, cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        `Rows take more than ${numberText(seconds)} s on average to be committed after Firehose inserted them: check the table's load and the destination's service status`);
    }
    if (props.destination.stagingSuccessMetricName) {
      this.stagingFailures = alarm('StagingFailures',
        stream.metric(props.destination.stagingSuccessMetricName, { statistic: 'Minimum', period: PERIOD }),
        1, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        'Staging to the intermediate bucket is failing, so nothing is loaded: check the bucket and key permissions in the delivery error logs');
    }
    if (props.s3Backup) {
      this.backupFailures = alarm('BackupFailures',
        stream.metric(props.destination.backupSuccessMetricName, { statistic: 'Minimum', period: PERIOD }),
        1, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        'Writes to the S3 backup are failing: records that the destination refused may be lost; check the backup bucket and key permissions');
    }
    if (props.transformBufferingInterval !== undefined) {
      this.transformFailures = alarm('TransformFailures',
        stream.metric('ExecuteProcessing.Success', { statistic: 'Minimum', period: PERIOD }),
        1, cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        'Transform invocations are failing: check the transform function\'s errors, timeouts and throttles');
    }
    this.throttling = props.mskSource ? undefined : props.kinesisStreamSource
      ? alarm('ThrottledGetRecords', stream.metric('ThrottledGetRecords', { statistic: 'Sum', period: PERIOD }), 0,
        cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        'Reads from the source stream are throttled: its shared-throughput consumers exceed 5 GetRecords calls/s or 2 MiB/s per shard')
      : alarm('ThrottledRecords', stream.metric('ThrottledRecords', { statistic: 'Sum', period: PERIOD }), 0,
        cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        'Producers are throttled by the delivery stream\'s quota: request a higher quota or spread writes over more delivery streams');
    if (props.dynamicPartitioning) {
      this.partitionCountExceeded = alarm('PartitionCountExceeded',
        stream.metric('PartitionCountExceeded', { statistic: 'Maximum', period: PERIOD }),
        1, cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        `More than the active partition quota (${FirehoseLimits.DEFAULT_MAX_ACTIVE_PARTITIONS} by default): records go to the error prefix as activePartitionExceeded`);
    }
  }

}
