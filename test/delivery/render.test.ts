import { Duration, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, s3Config, synth } from './support';
import { RecordTransform } from '../../src/delivery';
import { resolveBuffering, s3BufferingConstraints } from '../../src/delivery/private/helpers';
import { renderProcessing, renderS3Output } from '../../src/delivery/private/render';

/**
 * The L1 renderings other destinations build on must say what the S3 destination (rendered by aws-cdk-lib) says for
 * the same options: one meaning per option, whichever path renders it.
 */
describe('L1 renderings for destinations aws-cdk-lib cannot bind', () => {
  test('an S3 output renders like the S3 delivery stream\'s source backup', () => {
    const viaL2 = s3Config(synth({ transform: RecordTransform.bundled(), sourceBackup: { prefix: 'raw/', errorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/' } }).template).S3BackupConfiguration;

    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const key = new kms.Key(stack, 'Key');
    const logGroup = new logs.LogGroup(stack, 'Logs');
    const buffering = resolveBuffering('Stack/X', 'sourceBackup.buffering', undefined, s3BufferingConstraints(false, false));
    const rendered = renderS3Output(stack, role, {
      bucket,
      prefix: 'raw/',
      errorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/',
      buffering,
      compression: firehose.Compression.GZIP,
      encryptionKey: key,
      logGroup,
      streamName: 'S3Backup',
    });
    const viaRender = new firehose.CfnDeliveryStream(stack, 'Cfn', { s3DestinationConfiguration: rendered.property });
    const resolved = stack.resolve(viaRender._toCloudFormation()).Resources.Cfn.Properties.S3DestinationConfiguration;

    const shape = (c: Record<string, any>) => ({
      ...c,
      BucketARN: typeof c.BucketARN,
      RoleARN: typeof c.RoleARN,
      EncryptionConfiguration: Object.keys(c.EncryptionConfiguration).filter((k) => c.EncryptionConfiguration[k] !== undefined),
      CloudWatchLoggingOptions: { ...c.CloudWatchLoggingOptions, LogGroupName: 'x', LogStreamName: 'x' },
    });
    expect(shape(resolved)).toEqual(shape(viaL2));
    expect(rendered.dependables.length).toBe(4);
  });

  test('processors render like the S3 delivery stream\'s, and without logs when logging is off', () => {
    const options = { bufferSize: Size.mebibytes(2), bufferInterval: Duration.seconds(10), retries: 1 };
    const viaL2 = s3Config(synth({ transform: RecordTransform.bundled(options) }).template).ProcessingConfiguration;
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
    const config = RecordTransform.bundled(options).bind(stack);
    const rendered = stack.resolve(renderProcessing(stack, role, [config.processor]));
    // The template uses CloudFormation's casing, a resolved L1 property the L1's: compare parameter names.
    const names = (c: { Processors?: any[]; processors?: any[] }) =>
      (c.Processors ?? c.processors)!.map((p) => (p.Parameters ?? p.parameters).map((q: any) => q.ParameterName ?? q.parameterName));
    expect(names(rendered)).toEqual(names(viaL2));
    expect(renderProcessing(stack, role, [])).toBeUndefined();
    const off = renderS3Output(stack, role, {
      bucket: s3.Bucket.fromBucketName(stack, 'Imported', 'backup-bucket'),
      prefix: 'p/',
      errorOutputPrefix: 'e/',
      compression: firehose.Compression.UNCOMPRESSED,
      buffering: resolveBuffering('Stack/X', 'b', undefined, s3BufferingConstraints(false, false)),
      streamName: 'S3Backup',
    });
    expect(stack.resolve(off.property)).toMatchObject({
      cloudWatchLoggingOptions: { enabled: false }, encryptionConfiguration: { noEncryptionConfig: 'NoEncryption' }, compressionFormat: 'UNCOMPRESSED',
    });
  });
});
