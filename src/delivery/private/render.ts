import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { ResolvedBuffering } from './helpers';

/**
 * L1 renderings of the shared pieces, for destinations that aws-cdk-lib has no `IDestination` for: Redshift,
 * OpenSearch and Splunk build their `CfnDeliveryStream` configuration from these, and the HTTP endpoint destination
 * its error logging (which aws-cdk-lib's `HttpEndpoint` renders differently), so buffering, processors, logging and
 * the S3 backup or intermediate bucket are rendered one way for every destination.
 */

/** Grants and resources the delivery stream must depend on, so it is not created before it may use them. */
export interface Rendered<T> {
  readonly property: T;
  readonly dependables: IDependable[];
}

export function renderBufferingHints(buffering: ResolvedBuffering): firehose.CfnDeliveryStream.BufferingHintsProperty {
  return { intervalInSeconds: buffering.intervalSeconds, sizeInMBs: buffering.sizeMiB };
}

/** Binds the processors to `role` and renders them in order; undefined when there are none. */
export function renderProcessing(
  scope: Construct,
  role: iam.IRole,
  processors: firehose.IDataProcessor[],
): firehose.CfnDeliveryStream.ProcessingConfigurationProperty | undefined {
  if (processors.length === 0) return undefined;
  return {
    enabled: true,
    processors: processors.map((p) => {
      const config = p.bind(scope, { role });
      const parameters = config.parameters ?? [
        { parameterName: 'RoleArn', parameterValue: role.roleArn },
        config.processorIdentifier,
      ];
      return { type: config.processorType, parameters };
    }),
  };
}

/** Error logging to `logGroup` under a stream named after the output (`S3Delivery`, `S3Backup`, ...). */
export function renderLogging(
  scope: Construct,
  role: iam.IRole,
  logGroup: logs.ILogGroup | undefined,
  streamName: string,
): Rendered<firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty> {
  if (!logGroup) return { property: { enabled: false }, dependables: [] };
  const stream = new logs.LogStream(scope, `${streamName}LogStream`, { logGroup, logStreamName: streamName });
  return {
    property: { enabled: true, logGroupName: logGroup.logGroupName, logStreamName: stream.logStreamName },
    dependables: [logGroup.grantWrite(role), stream],
  };
}

/** What an S3 output (backup, or the intermediate bucket of Redshift) is made of. */
export interface S3OutputOptions {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly errorOutputPrefix?: string;
  readonly buffering: ResolvedBuffering;
  readonly compression: firehose.Compression;
  readonly encryptionKey?: kms.IKey;
  readonly logGroup?: logs.ILogGroup;
  /** Name of the output's log stream. */
  readonly streamName: string;
}

/** An S3 destination configuration, with the grants `role` needs on the bucket and the key. */
export function renderS3Output(
  scope: Construct,
  role: iam.IRole,
  options: S3OutputOptions,
): Rendered<firehose.CfnDeliveryStream.S3DestinationConfigurationProperty> {
  const logging = renderLogging(scope, role, options.logGroup, options.streamName);
  const dependables: IDependable[] = [options.bucket.grantReadWrite(role), ...logging.dependables];
  if (options.encryptionKey) dependables.push(options.encryptionKey.grantEncryptDecrypt(role));
  return {
    property: {
      bucketArn: options.bucket.bucketArn,
      roleArn: role.roleArn,
      prefix: options.prefix,
      errorOutputPrefix: options.errorOutputPrefix,
      bufferingHints: renderBufferingHints(options.buffering),
      compressionFormat: options.compression.value,
      encryptionConfiguration: options.encryptionKey
        ? { kmsEncryptionConfig: { awskmsKeyArn: options.encryptionKey.keyArn } }
        : { noEncryptionConfig: 'NoEncryption' },
      cloudWatchLoggingOptions: logging.property,
    },
    dependables,
  };
}
