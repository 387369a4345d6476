import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BufferingOptions } from './buffering';
import { DeliveryDestinationKind } from './delivery-stream-alarms';
import { DestinationDeliveryStreamBase } from './destination-delivery-stream';
import { DestinationBackupOptions, DestinationDeliveryStreamProps } from './destination-props';
import { checkSnowflakeProps, snowflakeBufferingConstraints } from './private/snowflake-rules';
import { SnowflakeDataLoading } from './snowflake-data-loading';
import { SnowflakeLimits } from '../validation/limits';
import { requiredPropsAt } from '../validation/rules';

/** Properties of a `SnowflakeDeliveryStream`. */
export interface SnowflakeDeliveryStreamProps extends DestinationDeliveryStreamProps {
  /**
   * The account URL: `https://<orgname>-<account_name>.snowflakecomputing.com` (or the account locator form
   * `https://<locator>.<region>.<cloud>.snowflakecomputing.com`), and with PrivateLink
   * `https://<orgname>-<account_name>.privatelink.snowflakecomputing.com`. The `https://` and the port are optional.
   *
   * @see https://docs.snowflake.com/en/user-guide/admin-account-identifier
   */
  readonly accountUrl: string;

  /**
   * The key pair credentials, as a Secrets Manager secret with the JSON keys `user` (the Snowflake user),
   * `private_key` (its private key, without the `-----BEGIN`/`END` lines, spaces and newlines) and, when the key is
   * encrypted, `key_passphrase`. Firehose reads it at delivery time, so neither the user nor the key is in the
   * template; the role may read the secret, and decrypt it with its key when it has one.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html
   * @see https://docs.snowflake.com/en/user-guide/key-pair-auth
   */
  readonly secret: secretsmanager.ISecret;

  /** The database (a Snowflake identifier: unquoted, or in double quotes). */
  readonly database: string;

  /** The schema of the table. */
  readonly schema: string;

  /** The table the records are inserted into. */
  readonly table: string;

  /**
   * The Snowflake role Firehose uses, which needs USAGE on the database and schema and INSERT on the table.
   *
   * @default - the user's default role
   */
  readonly snowflakeRole?: string;

  /**
   * How each record maps onto the table's columns.
   *
   * @default SnowflakeDataLoading.jsonMapping()
   */
  readonly dataLoading?: SnowflakeDataLoading;

  /**
   * The VPC endpoint service of the account's PrivateLink, `com.amazonaws.vpce.<region>.vpce-svc-<17 characters>`
   * (`SYSTEM$GET_PRIVATELINK_CONFIG()` in Snowflake returns it), for accounts that accept private connections only.
   * Use it with the account's `privatelink` URL.
   *
   * @default - Firehose connects over the account's public endpoint
   * @see https://docs.snowflake.com/en/user-guide/admin-security-privatelink
   */
  readonly privateLinkVpceId?: string;

  /**
   * Buffering before each insert (Snowpipe Streaming). Snowflake's defaults are not S3's: Firehose inserts as soon
   * as it can unless told to wait.
   *
   * Size: 1 to 128 MiB. Interval: 0 to 900 s.
   *
   * @default - Size.mebibytes(1) and Duration.seconds(0) (the service defaults)
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_SnowflakeBufferingHints.html
   */
  readonly buffering?: BufferingOptions;

  /**
   * How long Firehose retries a failed insert before it writes the records to the backup bucket.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(60) (the service default)
   */
  readonly retryDuration?: Duration;

  /**
   * The S3 backup of the records Firehose could not insert (`BackupMode.FAILED`) or of all records
   * (`BackupMode.ALL`).
   *
   * @default - failed records, to a new `DeliveryBucket`
   */
  readonly backup?: DestinationBackupOptions;
}

/**
 * A Firehose delivery stream to a Snowflake table through Snowpipe Streaming: key pair authentication from Secrets
 * Manager, JSON or VARIANT data loading, an optional Snowflake role and PrivateLink endpoint, failed (or all) records
 * backed up to S3, and alarms on freshness, refused records and commit latency.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-snowflake
 */
export class SnowflakeDeliveryStream extends DestinationDeliveryStreamBase {
  /** The backup bucket. */
  public readonly backupBucket: s3.IBucket;
  /** How records map onto the table's columns, as configured. */
  public readonly dataLoading: SnowflakeDataLoading;

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props the account, the secret, the table and the data loading
   */
  constructor(scope: Construct, id: string, props: SnowflakeDeliveryStreamProps) {
    super(scope, id, requiredPropsAt(scope, id, props, ['accountUrl', 'secret', 'database', 'schema', 'table']), props.backup?.bucket);
    const core = this._core;
    this.dataLoading = props.dataLoading ?? SnowflakeDataLoading.jsonMapping();
    checkSnowflakeProps(this, props, this.dataLoading);

    const buffering = core.buffering(props.buffering, snowflakeBufferingConstraints());
    const retrySeconds = core.retrySeconds(props.retryDuration, SnowflakeLimits.DEFAULT_RETRY_DURATION_SECONDS);
    const backup = core.backup(props.backup);
    this.backupBucket = backup.bucket;

    const configuration: firehose.CfnDeliveryStream.SnowflakeDestinationConfigurationProperty = {
      accountUrl: props.accountUrl,
      database: props.database,
      schema: props.schema,
      table: props.table,
      roleArn: this.role.roleArn,
      secretsManagerConfiguration: core.secretsManager(props.secret),
      snowflakeRoleConfiguration: props.snowflakeRole !== undefined ? { enabled: true, snowflakeRole: props.snowflakeRole } : undefined,
      dataLoadingOption: this.dataLoading.option,
      contentColumnName: this.dataLoading.contentColumnName,
      metaDataColumnName: this.dataLoading.metadataColumnName,
      snowflakeVpcConfiguration: props.privateLinkVpceId !== undefined ? { privateLinkVpceId: props.privateLinkVpceId } : undefined,
      ...core.backedUpSettings({
        buffering, retrySeconds, backup, backupModes: { all: 'AllData', failed: 'FailedDataOnly' }, logStreamName: 'SnowflakeDelivery',
      }),
    };
    core.finish(DeliveryDestinationKind.SNOWFLAKE, buffering.interval, true, (cfn) => {
      cfn.snowflakeDestinationConfiguration = configuration;
    });
  }

  /**
   * The time Snowflake takes to commit rows after Firehose inserted them (`DeliveryToSnowflake.DataCommitLatency`,
   * seconds): a row is queryable after the data freshness plus this.
   *
   * @param props options of the metric
   * @default - the average over 5 minutes
   */
  public metricDataCommitLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DeliveryToSnowflake.DataCommitLatency', { statistic: 'Average', ...props });
  }

  /**
   * The records Firehose could not insert and wrote to the backup bucket instead (`DeliveryToS3.Records`).
   *
   * @param props options of the metric
   * @default - the sum over 5 minutes
   */
  public metricRecordsBackedUpAfterFailure(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryStream.metric('DeliveryToS3.Records', { statistic: 'Sum', ...props });
  }
}
