import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IDependable } from 'constructs';
import { createDeliveryStream, CreatedDeliveryStream } from './delivery-stream';
import { BufferingConstraints, checkCompression, ResolvedBuffering, resolveBuffering, s3BufferingConstraints } from './helpers';
import { checkPrefixes, checkSeparatePrefixes } from './prefixes';
import { resolveProcessing, ResolvedProcessing } from './processing';
import { renderBufferingHints, renderLogging, renderProcessing, renderS3Output } from './render';
import { FirehoseLimits } from '../../validation/limits';
import { checkExclusive, checkName, checkRange, wholeSeconds } from '../../validation/rules';
import { BufferingOptions } from '../buffering';
import { DeliveryBucket, DeliveryBucketProps } from '../delivery-bucket';
import { DeliveryDestinationKind } from '../delivery-stream-alarms';
import { DestinationBackupOptions, DestinationDeliveryStreamProps } from '../destination-props';

/** An S3 output of a non-S3 destination (its backup, or Redshift's intermediate bucket), before defaults. */
export interface S3OutputRequest {
  /** Names the output in messages, e.g. 'backup' or 'intermediate'. */
  readonly what: string;
  /** Id of the `DeliveryBucket` created when `bucket` is not given. */
  readonly bucketId: string;
  /** The props that give the bucket and its properties, for messages, e.g. ['backup.bucket', 'backup.bucketProps']. */
  readonly bucketPropNames: [string, string];
  readonly bucket?: s3.IBucket;
  readonly bucketProps?: DeliveryBucketProps;
  readonly prefix: string;
  /** Undefined where the service wants none (the intermediate bucket of Redshift). */
  readonly errorOutputPrefix?: string;
  readonly buffering?: BufferingOptions;
  readonly compression: firehose.Compression;
  /** The compressions the destination can read, when it restricts them. */
  readonly allowedCompressions?: firehose.Compression[];
  /** Why it restricts them, for the message. */
  readonly compressionReason?: string;
  /** Name of the output's log stream. */
  readonly streamName: string;
}

/** An S3 output, checked and with its bucket, before it is rendered (by `s3Output`, or by an aws-cdk-lib destination). */
export interface S3Target {
  readonly bucket: s3.IBucket;
  readonly deliveryBucket?: DeliveryBucket;
  readonly buffering: ResolvedBuffering;
  readonly prefix: string;
  /** Undefined where the service wants none (the intermediate bucket of Redshift). */
  readonly errorOutputPrefix?: string;
  readonly compression: firehose.Compression;
  /** Name of the output's log stream. */
  readonly streamName: string;
}

/** An S3 output, rendered. */
export interface S3Output extends S3Target {
  readonly property: firehose.CfnDeliveryStream.S3DestinationConfigurationProperty;
}

/** The S3 backup of an OpenSearch, Splunk or HTTP endpoint destination, before it is rendered. */
export interface DestinationBackupTarget extends S3Target {
  readonly mode: firehose.BackupMode;
}

/** The S3 backup of an OpenSearch or Splunk destination, rendered. */
export interface DestinationBackup extends S3Output {
  readonly mode: firehose.BackupMode;
}

/** What an OpenSearch or Splunk destination has resolved, for `backedUpSettings`. */
export interface BackedUpSettingsRequest {
  readonly buffering: ResolvedBuffering;
  readonly retrySeconds: number;
  readonly backup: DestinationBackup;
  /** How the destination's configuration names the two backup modes, e.g. `AllEvents` and `FailedEventsOnly`. */
  readonly backupModes: { readonly all: string; readonly failed: string };
  /** Name of the log stream of the destination's own errors. */
  readonly logStreamName: string;
}

/** The properties that OpenSearch and Splunk destination configurations have in common. */
export interface BackedUpSettings {
  readonly bufferingHints: firehose.CfnDeliveryStream.BufferingHintsProperty;
  readonly retryOptions: { readonly durationInSeconds: number };
  readonly s3BackupMode: string;
  readonly s3Configuration: firehose.CfnDeliveryStream.S3DestinationConfigurationProperty;
  readonly processingConfiguration?: firehose.CfnDeliveryStream.ProcessingConfigurationProperty;
  readonly cloudWatchLoggingOptions: firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty;
}

/**
 * An aws-cdk-lib destination that contributes only dependables: aws-cdk-lib has no destination for Redshift,
 * OpenSearch or Splunk, so their destination property is set on the L1 resource after the `DeliveryStream` (with its
 * source, encryption, metrics, grants and `connections`) has created it.
 */
class DependablesOnly implements firehose.IDestination {
  constructor(private readonly dependables: IDependable[]) {}

  public bind(): firehose.DestinationConfig {
    return { dependables: this.dependables };
  }
}

/**
 * What the Redshift, OpenSearch, Splunk and HTTP endpoint delivery streams share, built the way `S3DeliveryStream`
 * builds it: one KMS key, the Firehose role (trusted with the account as external id), error logging, the transform,
 * S3 outputs on `DeliveryBucket`s, the source registration with a `DataStream`, cdk-nag acknowledgements and alarms.
 */
export class DestinationCore {
  public readonly path: string;
  public readonly encryptionKey: kms.IKey;
  public readonly role: iam.Role;
  public readonly errorLogGroup?: logs.ILogGroup;
  public readonly processing: ResolvedProcessing;
  private readonly buckets: s3.IBucket[] = [];
  private readonly dependables: IDependable[] = [];
  private result?: CreatedDeliveryStream;

  /**
   * @param userBucket the bucket the user brought for the backup or staging, whose key becomes the default key
   */
  constructor(private readonly scope: Construct, private readonly props: DestinationDeliveryStreamProps, userBucket?: s3.IBucket) {
    this.path = scope.node.path;
    checkName(this.path, 'deliveryStreamName', props.deliveryStreamName, FirehoseLimits.MAX_DELIVERY_STREAM_NAME_LENGTH, /^[a-zA-Z0-9_.-]+$/,
      'letters, digits, _, . and -');
    checkExclusive(this.path, 'errorLogging: false', props.errorLogging === false, 'errorLogGroup', props.errorLogGroup !== undefined);

    // One key for the stream, the buckets and the objects Firehose writes, so that readers need no second one.
    this.encryptionKey = props.encryptionKey ?? userBucket?.encryptionKey ?? new kms.Key(scope, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the records of ${this.path} at rest and in S3`,
    });
    this.role = new iam.Role(scope, 'Role', {
      // Firehose passes the account id as the external id: delivery streams of other accounts cannot use this role
      // (confused deputy). This is the trust policy the Firehose developer guide documents.
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com').withConditions({ StringEquals: { 'sts:ExternalId': Stack.of(scope).account } }),
      description: `Assumed by Firehose for ${this.path}`,
    });
    if (props.errorLogging !== false) {
      this.errorLogGroup = props.errorLogGroup ?? new logs.LogGroup(scope, 'ErrorLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    }
    this.processing = resolveProcessing(scope, this.path, { transform: props.transform });
  }

  /** The delivery stream and its alarms, once `finish` has created them. */
  public get finished(): CreatedDeliveryStream {
    if (!this.result) throw new Error(`${this.path}: the delivery stream is read before finish() created it`);
    return this.result;
  }

  /** The transform function, when there is one. */
  public get transformFunction(): lambda.IFunction | undefined {
    return this.processing.transform?.lambdaFunction;
  }

  /** Applies defaults to the destination's buffering hints and checks them against its range. */
  public buffering(options: BufferingOptions | undefined, constraints: BufferingConstraints): ResolvedBuffering {
    return resolveBuffering(this.path, 'buffering', options, constraints);
  }

  /** The destination's buffering hints, as every destination but Redshift renders them. */
  public bufferingHints(buffering: ResolvedBuffering): firehose.CfnDeliveryStream.BufferingHintsProperty {
    return renderBufferingHints(buffering);
  }

  /** The retry duration in seconds, checked against the service's range. */
  public retrySeconds(retryDuration: Duration | undefined, defaultSeconds: number): number {
    const seconds = wholeSeconds(this.path, 'retryDuration', retryDuration) ?? defaultSeconds;
    checkRange(this.path, 'retryDuration', seconds, FirehoseLimits.MIN_RETRY_DURATION_SECONDS, FirehoseLimits.MAX_RETRY_DURATION_SECONDS, 'seconds');
    return seconds;
  }

  /** An S3 output on the user's bucket or a new `DeliveryBucket`, with its prefixes, buffering and compression checked. */
  public s3Output(request: S3OutputRequest): S3Output {
    return this.renderS3Target(this.s3Target(request));
  }

  /** The user's bucket or a new `DeliveryBucket`, with the output's prefixes, buffering and compression checked. */
  public s3Target(request: S3OutputRequest): S3Target {
    const where = `${this.path} (${request.what})`;
    const [bucketProp, bucketPropsProp] = request.bucketPropNames;
    checkExclusive(where, bucketProp, request.bucket !== undefined, bucketPropsProp, request.bucketProps !== undefined,
      `${bucketPropsProp} configure the bucket this construct creates`);
    checkPrefixes(where, request.prefix, request.errorOutputPrefix, { enabled: false, hasTransform: false });
    if (request.errorOutputPrefix !== undefined) {
      checkSeparatePrefixes(this.scope, `${request.what} errorOutputPrefix`, request.errorOutputPrefix, `${request.what} prefix`, request.prefix);
    }
    if (request.allowedCompressions) checkCompression(where, 'compression', request.compression, request.allowedCompressions, request.compressionReason);
    const buffering = resolveBuffering(where, 'buffering', request.buffering, s3BufferingConstraints(false, false));
    let deliveryBucket: DeliveryBucket | undefined;
    let bucket = request.bucket;
    if (!bucket) {
      deliveryBucket = new DeliveryBucket(this.scope, request.bucketId, { ...request.bucketProps, encryptionKey: this.encryptionKey });
      bucket = deliveryBucket.bucket;
    }
    this.buckets.push(bucket);
    const { prefix, errorOutputPrefix, compression, streamName } = request;
    return { bucket, deliveryBucket, buffering, prefix, errorOutputPrefix, compression, streamName };
  }

  /** The backup bucket of OpenSearch and Splunk destinations, rendered. */
  public backup(options: DestinationBackupOptions | undefined): DestinationBackup {
    const target = this.backupTarget(options);
    return { ...this.renderS3Target(target), mode: target.mode };
  }

  /** The backup bucket of OpenSearch, Splunk and HTTP endpoint destinations, checked, before it is rendered. */
  public backupTarget(options: DestinationBackupOptions | undefined): DestinationBackupTarget {
    const target = this.s3Target({
      what: 'backup',
      bucketId: 'BackupBucket',
      bucketPropNames: ['backup.bucket', 'backup.bucketProps'],
      bucket: options?.bucket,
      bucketProps: options?.bucketProps,
      prefix: options?.prefix ?? DEFAULT_BACKUP_PREFIXES.data,
      errorOutputPrefix: options?.errorOutputPrefix ?? DEFAULT_BACKUP_PREFIXES.error,
      buffering: options?.buffering,
      compression: options?.compression ?? firehose.Compression.GZIP,
      streamName: 'S3Backup',
    });
    return { ...target, mode: options?.mode ?? firehose.BackupMode.FAILED };
  }

  private renderS3Target(target: S3Target): S3Output {
    const rendered = renderS3Output(this.scope, this.role, { ...target, encryptionKey: this.encryptionKey, logGroup: this.errorLogGroup });
    this.dependables.push(...rendered.dependables);
    return { ...target, property: rendered.property };
  }

  /**
   * The settings OpenSearch and Splunk destinations render alike: buffering hints, retries, the S3 backup with its
   * mode, the processors and the destination's error logging. Binding the processors and the log stream grants the
   * role: callers keep the place of this call among their own grants, which is the order of the role's policy
   * statements.
   */
  public backedUpSettings(request: BackedUpSettingsRequest): BackedUpSettings {
    return {
      bufferingHints: this.bufferingHints(request.buffering),
      retryOptions: { durationInSeconds: request.retrySeconds },
      s3BackupMode: request.backup.mode === firehose.BackupMode.ALL ? request.backupModes.all : request.backupModes.failed,
      s3Configuration: request.backup.property,
      processingConfiguration: this.processingConfiguration(),
      cloudWatchLoggingOptions: this.logging(request.logStreamName),
    };
  }

  /** The processors (the transform), bound to the role. */
  public processingConfiguration(): firehose.CfnDeliveryStream.ProcessingConfigurationProperty | undefined {
    return renderProcessing(this.scope, this.role, this.processing.processors);
  }

  /** Error logging of the destination itself, under a log stream named `streamName`. */
  public logging(streamName: string): firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty {
    const rendered = renderLogging(this.scope, this.role, this.errorLogGroup, streamName);
    this.dependables.push(...rendered.dependables);
    return rendered.property;
  }

  /**
   * Firehose's Secrets Manager integration: the role may read the secret (and decrypt it with its key), and Firehose
   * fetches it at delivery time, so that no credential is written into the template.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html
   */
  public secretsManager(secret: secretsmanager.ISecret): firehose.CfnDeliveryStream.SecretsManagerConfigurationProperty {
    this.dependables.push(secret.grantRead(this.role));
    this.secretKeyDecrypt(secret);
    return { enabled: true, secretArn: secret.secretArn, roleArn: this.role.roleArn };
  }

  /**
   * Lets the role decrypt a secret with the secret's own key, if it has one. aws-cdk-lib's `HttpEndpoint` grants
   * the read of its secret, but not this.
   */
  public secretKeyDecrypt(secret: secretsmanager.ISecret): void {
    if (secret.encryptionKey) {
      // aws-cdk-lib puts the decrypt grant of a secret's key into the key policy, for the account with a
      // kms:ViaService condition, which still needs an identity policy that allows it: the Firehose guide's role policy.
      const stack = Stack.of(this.scope);
      this.dependables.push(iam.Grant.addToPrincipal({
        grantee: this.role,
        actions: ['kms:Decrypt'],
        resourceArns: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` } },
      }));
    }
  }

  /** Makes the delivery stream wait for a grant or resource that the destination configuration relies on. */
  public addDependable(dependable: IDependable): void {
    this.dependables.push(dependable);
  }

  /**
   * Creates aws-cdk-lib's `DeliveryStream` (source, encryption, metrics, `connections`) as `S3DeliveryStream` does,
   * and its alarms; `finished` then returns them. The destination is `destination` when aws-cdk-lib has one for it
   * (with `configure` adding what it lacks), and otherwise set on the L1 resource by `configure`.
   */
  public finish(
    kind: DeliveryDestinationKind,
    bufferingInterval: Duration,
    s3Backup: boolean,
    configure: (cfn: firehose.CfnDeliveryStream, deliveryStream: firehose.DeliveryStream) => void,
    destination?: firehose.IDestination,
  ): void {
    this.result = createDeliveryStream(this.scope, {
      props: this.props,
      destination: destination ?? new DependablesOnly(this.dependables),
      role: this.role,
      encryptionKey: this.encryptionKey,
      buckets: this.buckets,
      transform: this.processing.transform,
      configure: (cfn, deliveryStream) => {
        configure(cfn, deliveryStream);
        if (destination) cfn.node.addDependency(...this.dependables);
        // Grants made while configuring (and any made later) are in the role's default policy: wait for all of them.
        cfn.node.addDependency(this.role);
      },
      alarms: { destination: kind, bufferingInterval, s3Backup },
    });
  }
}

/** Default prefixes of the backup bucket of OpenSearch, Splunk and HTTP endpoint destinations. */
export const DEFAULT_BACKUP_PREFIXES = {
  data: 'backup/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
  error: 'backup-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
};

/** The buffering range of a destination whose size and interval maxima differ from S3's (no partitioning, no conversion). */
export function destinationBufferingConstraints(
  maxSizeMiB: number,
  maxIntervalSeconds: number = FirehoseLimits.MAX_BUFFER_INTERVAL_SECONDS,
  defaultIntervalSeconds: number = FirehoseLimits.DEFAULT_BUFFER_INTERVAL_SECONDS,
): BufferingConstraints {
  return {
    minSizeMiB: FirehoseLimits.MIN_BUFFER_SIZE_MIB,
    maxSizeMiB,
    defaultSizeMiB: Math.min(FirehoseLimits.DEFAULT_BUFFER_SIZE_MIB, maxSizeMiB),
    minIntervalSeconds: FirehoseLimits.MIN_BUFFER_INTERVAL_SECONDS,
    maxIntervalSeconds,
    defaultIntervalSeconds: Math.min(defaultIntervalSeconds, maxIntervalSeconds),
  };
}
