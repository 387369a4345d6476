import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { SourceBackupOptions } from './backup';
import { BufferingOptions } from './buffering';
import { DeliveryBucket, DeliveryBucketProps } from './delivery-bucket';
import { DeliveryDestinationKind } from './delivery-stream-alarms';
import { DestinationDeliveryStreamBase } from './destination-delivery-stream';
import { DestinationDeliveryStreamProps } from './destination-props';
import { DEFAULT_PREFIXES } from './private/helpers';
import { describeSecurityGroups, openSecurityGroups } from './private/network';
import { checkSeparatePrefixes } from './private/prefixes';
import { RedshiftCopyOptions } from './redshift-copy';
import { RedshiftTarget, RedshiftTargetConfig } from './redshift-target';
import { FirehoseLimits } from '../validation/limits';
import { checkAtMost, fail, requiredPropsAt, warn } from '../validation/rules';

/** Properties of a `RedshiftDeliveryStream`. */
export interface RedshiftDeliveryStreamProps extends DestinationDeliveryStreamProps {
  /** The cluster or Serverless workgroup. */
  readonly target: RedshiftTarget;

  /**
   * The database user's credentials, as a Secrets Manager secret with the JSON keys `username` and `password`.
   * Firehose reads it at delivery time through its Secrets Manager integration, so no password is in the template.
   * The user needs INSERT on the table (and USAGE on its schema).
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html
   */
  readonly credentials: secretsmanager.ISecret;

  /**
   * The table the records are loaded into, optionally with its schema (`schema.table`).
   *
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_CopyCommand.html
   */
  readonly tableName: string;

  /**
   * The columns the records are loaded into, in the order of the records' fields (for CSV and delimited data).
   *
   * @default - every column of the table
   */
  readonly columns?: string[];

  /**
   * Options of the COPY command.
   *
   * @default RedshiftCopyOptions.of() (JSON 'auto'), with GZIP when the staged files are compressed
   */
  readonly copyOptions?: RedshiftCopyOptions;

  /**
   * The bucket Firehose stages the records in before each COPY; failed COPYs leave their manifests under
   * `errors/` there.
   *
   * @default - a `DeliveryBucket` (public access blocked, TLS only, SSE-KMS, access logs, lifecycle rules)
   */
  readonly intermediateBucket?: s3.IBucket;

  /**
   * Properties of the bucket created when `intermediateBucket` is not given.
   *
   * @default - the `DeliveryBucket` defaults
   */
  readonly intermediateBucketProps?: DeliveryBucketProps;

  /**
   * Prefix of the staged files: plain text, without `!{...}` expressions, since Firehose refuses expressions in the
   * prefix of a Redshift destination. Firehose appends `yyyy/MM/dd/HH/` to it, and writes records it could not stage
   * (a failed transform) under `<prefix><error-output-type>/yyyy/MM/dd/HH/` (the error output prefix of a Redshift
   * destination must be null, so there is no prop for it). COPY reads the staged files by manifest, so those records
   * are never loaded.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html#prefix-rules
   * @default 'data/'
   */
  readonly intermediatePrefix?: string;

  /**
   * Buffering before the records are staged (each staged batch is one COPY).
   *
   * Size: 1 to 128 MiB. Interval: 0 to 900 s.
   *
   * @default - Size.mebibytes(5) and Duration.seconds(300)
   */
  readonly buffering?: BufferingOptions;

  /**
   * Compression of the staged files: GZIP or UNCOMPRESSED (COPY cannot read Snappy or ZIP files).
   *
   * @default firehose.Compression.GZIP
   */
  readonly compression?: firehose.Compression;

  /**
   * How long Firehose retries a failed COPY before it gives up on the batch (its manifest stays under `errors/`).
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(3600) (the service default)
   */
  readonly retryDuration?: Duration;

  /**
   * Backup of all source records (before the transform) to S3. Redshift backs up all records or none. Needs a
   * `transform`: otherwise the files staged for COPY already are the source records.
   *
   * @default - no backup
   */
  readonly sourceBackup?: SourceBackupOptions;
}

/**
 * A Firehose delivery stream that loads Amazon Redshift: records are staged in S3 and loaded with a COPY command whose
 * table, columns and options are typed props. Credentials come from Secrets Manager. The cluster's security groups,
 * when given, are opened to the region's Firehose CIDR block; otherwise a warning says what to open by hand.
 *
 * aws-cdk-lib's `DeliveryStream` (source, encryption, metrics, grants, `connections`) is used as is, with the Redshift
 * configuration set on its L1 resource, since its destinations can only be S3.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-redshift
 */
export class RedshiftDeliveryStream extends DestinationDeliveryStreamBase {
  /** The bucket the records are staged in. */
  public readonly intermediateBucket: s3.IBucket;
  /** The intermediate bucket construct, when it was created here. */
  public readonly intermediateDeliveryBucket?: DeliveryBucket;
  /** The JDBC URL Firehose connects to. */
  public readonly jdbcUrl: string;
  /** The COPY options, as rendered into the template. */
  public readonly copyOptionsText: string;

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props the source, the Redshift target, the table and the COPY options
   */
  constructor(scope: Construct, id: string, props: RedshiftDeliveryStreamProps) {
    super(scope, id, requiredPropsAt(scope, id, props, ['target', 'credentials', 'tableName']), props.intermediateBucket);
    const core = this._core;
    const path = core.path;
    const target = props.target.bind(this);
    this.jdbcUrl = target.jdbcUrl;
    checkTable(path, props.tableName, props.columns);
    const intermediatePrefix = props.intermediatePrefix ?? REDSHIFT_STAGING_PREFIX;
    checkStagingPrefixes(path, intermediatePrefix, (props as { intermediateErrorOutputPrefix?: unknown }).intermediateErrorOutputPrefix);
    const compression = props.compression ?? firehose.Compression.GZIP;

    const intermediate = core.s3Output({
      what: 'intermediate',
      bucketId: 'IntermediateBucket',
      bucketPropNames: ['intermediateBucket', 'intermediateBucketProps'],
      bucket: props.intermediateBucket,
      bucketProps: props.intermediateBucketProps,
      prefix: intermediatePrefix,
      buffering: props.buffering,
      compression,
      allowedCompressions: [firehose.Compression.GZIP, firehose.Compression.UNCOMPRESSED],
      compressionReason: 'the Redshift COPY command reads the staged files and cannot read Snappy or ZIP',
      streamName: 'S3Delivery',
    });
    this.intermediateBucket = intermediate.bucket;
    this.intermediateDeliveryBucket = intermediate.deliveryBucket;

    const copyOptions = props.copyOptions ?? RedshiftCopyOptions.of();
    this.copyOptionsText = copyOptions._render(path, compression.value === firehose.Compression.GZIP.value);
    checkAtMost(path, 'copy options length', Token.isUnresolved(this.copyOptionsText) ? undefined : this.copyOptionsText.length,
      FirehoseLimits.MAX_REDSHIFT_COPY_TEXT_LENGTH, 'characters');
    const copyGrant = copyOptions._bind(core.role);
    if (copyGrant) core.addDependable(copyGrant);

    if (props.sourceBackup && !props.transform) {
      fail(path, 'sourceBackup needs a transform: Firehose backs up the source records of a Redshift destination when a Lambda transform changes '
        + 'them, and without one the backup would be a second copy of the files staged in intermediateBucket');
    }
    const backup = props.sourceBackup ? core.s3Output({
      what: 'sourceBackup',
      bucketId: 'BackupBucket',
      bucketPropNames: ['sourceBackup.bucket', 'sourceBackup.bucketProps'],
      bucket: props.sourceBackup.bucket ?? this.intermediateBucket,
      prefix: props.sourceBackup.prefix ?? DEFAULT_PREFIXES.backup,
      errorOutputPrefix: props.sourceBackup.errorOutputPrefix ?? DEFAULT_PREFIXES.backupError,
      buffering: props.sourceBackup.buffering,
      compression: props.sourceBackup.compression ?? firehose.Compression.GZIP,
      streamName: 'S3Backup',
    }) : undefined;
    if (backup && backup.bucket === this.intermediateBucket) {
      checkSeparatePrefixes(this, 'sourceBackup.prefix', props.sourceBackup?.prefix ?? DEFAULT_PREFIXES.backup, 'intermediatePrefix',
        intermediatePrefix);
    }

    const retrySeconds = core.retrySeconds(props.retryDuration, FirehoseLimits.DEFAULT_REDSHIFT_RETRY_DURATION_SECONDS);
    const configuration: firehose.CfnDeliveryStream.RedshiftDestinationConfigurationProperty = {
      clusterJdbcurl: target.jdbcUrl,
      roleArn: core.role.roleArn,
      secretsManagerConfiguration: core.secretsManager(props.credentials),
      copyCommand: {
        dataTableName: props.tableName,
        dataTableColumns: props.columns?.join(','),
        copyOptions: this.copyOptionsText.length > 0 ? this.copyOptionsText : undefined,
      },
      s3Configuration: intermediate.property,
      s3BackupMode: backup ? 'Enabled' : 'Disabled',
      s3BackupConfiguration: backup?.property,
      retryOptions: { durationInSeconds: retrySeconds },
      processingConfiguration: core.processingConfiguration(),
      cloudWatchLoggingOptions: core.logging('RedshiftDelivery'),
    };

    core.finish(DeliveryDestinationKind.REDSHIFT, intermediate.buffering.interval, backup !== undefined, (cfn) => {
      cfn.redshiftDestinationConfiguration = configuration;
    });
    this.openNetwork(target);
  }

  /** Opens the target's security groups to Firehose where it can, and says what to do by hand where it cannot. */
  private openNetwork(target: RedshiftTargetConfig): void {
    const region = Stack.of(this).region;
    const cidr = Token.isUnresolved(region) ? undefined : RegionInfo.get(region).firehoseCidrBlock;
    const from = cidr ? `the Firehose CIDR block of ${region} (${cidr})` : 'the Firehose CIDR block of the stack\'s region';
    const port = ec2.Port.tcp(target.port);
    const ranges = 'https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-rs-vpc';
    if (!target.publiclyAccessible) {
      warn(this, 'RedshiftNotPubliclyAccessible', `${this.node.path}: Firehose connects to the Redshift ${target.description} over its public ` +
        `endpoint from ${from}, so a ${target.description} that is not publicly accessible cannot be loaded. Make it publicly accessible ` +
        `(in subnets routed to an internet gateway) with an inbound rule for TCP ${target.port} from that block only, or deliver to S3 ` +
        'with S3DeliveryStream and load with COPY from inside the VPC');
    }
    if (!target.connections) {
      warn(this, 'RedshiftSecurityGroupNotOpened', `${this.node.path}: the Redshift ${target.description}'s security groups were not given, ` +
        `so they were not opened: add an inbound rule for TCP ${target.port} from ${from} (listed at ${ranges}) to them, or pass them as ` +
        'the target\'s connections');
      return;
    }
    const result = openSecurityGroups(target.connections, this.deliveryStream, port, `Firehose delivery from ${this.node.path}`);
    if (result.unchanged.length > 0) {
      warn(this, 'RedshiftSecurityGroupNotOpened', `${this.node.path}: the security groups ${describeSecurityGroups(result.unchanged)} are ` +
        `imported as immutable, so they were not opened: add an inbound rule for TCP ${target.port} from ${from} (listed at ${ranges}) ` +
        'to them where they are managed');
    }
    if (result.opened.length + result.unchanged.length === 0) {
      fail(this, `the Redshift ${target.description}'s connections have no security group to open: pass the security groups of the ${target.description}`);
    }
  }
}

/** Literal, since Firehose evaluates no expression in the staging prefix and appends `yyyy/MM/dd/HH/` itself. */
const REDSHIFT_STAGING_PREFIX = 'data/';

/**
 * Firehose refuses a Redshift destination whose S3 `Prefix` has expressions or whose `ErrorOutputPrefix` is set.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html#prefix-rules
 */
function checkStagingPrefixes(path: string, prefix: string, errorOutputPrefix: unknown): void {
  if (errorOutputPrefix !== undefined) {
    fail(path, `intermediateErrorOutputPrefix is not supported, got '${String(errorOutputPrefix)}': Firehose requires the error output prefix of a Redshift `
      + 'destination to be null, and writes records it could not stage under intermediatePrefix followed by the error type. Remove it');
  }
  if (typeof prefix !== 'string') fail(path, `intermediatePrefix must be a string, got ${typeof prefix}`);
  if (!Token.isUnresolved(prefix) && prefix.includes('!{')) {
    fail(path, `intermediatePrefix '${prefix}' contains a !{...} expression, which Firehose refuses in the prefix of a Redshift destination: use plain `
      + `text such as '${REDSHIFT_STAGING_PREFIX}' (Firehose appends yyyy/MM/dd/HH/ itself), and put expressions in sourceBackup.prefix if you need them`);
  }
}

function checkTable(path: string, table: string, columns: string[] | undefined): void {
  if (!Token.isUnresolved(table)) {
    if (table.length === 0 || table.length > FirehoseLimits.MAX_REDSHIFT_TABLE_NAME_LENGTH) {
      fail(path, `tableName must be 1 to ${FirehoseLimits.MAX_REDSHIFT_TABLE_NAME_LENGTH} characters, got ${table.length}`);
    }
    if (/[;'\s]/.test(table)) fail(path, `tableName may not contain ';', single quotes or white space (it is written into the COPY command), got '${table}'`);
  }
  if (columns === undefined) return;
  if (columns.length === 0) fail(path, 'columns must name at least one column, or be left unset to load every column');
  for (const c of columns) {
    if (Token.isUnresolved(c)) continue;
    if (c.length === 0 || /[,;'()\s]/.test(c)) fail(path, `columns entries must be column names without commas, parentheses, ';', quotes or white space, got '${c}'`);
  }
  const joined = columns.join(',');
  checkAtMost(path, 'columns length', Token.isUnresolved(joined) ? undefined : joined.length, FirehoseLimits.MAX_REDSHIFT_COPY_TEXT_LENGTH, 'characters');
}
