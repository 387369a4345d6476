import { Duration, Size, TimeZone } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { s3Config, streamProps, synth, newStack } from './support';
import { DeliverySource, DynamicPartitioning, RecordDeaggregation, RecordFormatConversion, RecordTransform } from '../../src/delivery';

/** An `Fn::GetAtt Arn` of a resource whose logical id starts with `prefix`: for template matchers, and for jest's. */
const ref = (prefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'Arn'] });
const arnOf = (prefix: string) => ({ 'Fn::GetAtt': [expect.stringMatching(`^${prefix}`), 'Arn'] });

describe('defaults', () => {
  const { template } = synth();
  const config = s3Config(template);

  test('direct PUT, encrypted at rest with the construct\'s KMS key', () => {
    expect(streamProps(template).DeliveryStreamType).toBe('DirectPut');
    expect(streamProps(template).DeliveryStreamEncryptionConfigurationInput).toEqual({ KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: arnOf('DeliveryKey') });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts the records of Stack/Delivery at rest and in S3' });
  });

  test('GZIP, 5 MiB / 300 s, KMS-encrypted objects, Hive-style prefixes with an error prefix', () => {
    expect(config.CompressionFormat).toBe('GZIP');
    expect(config.BufferingHints).toEqual({ SizeInMBs: 5, IntervalInSeconds: 300 });
    expect(config.EncryptionConfiguration).toEqual({ KMSEncryptionConfig: { AWSKMSKeyARN: arnOf('DeliveryKey') } });
    expect(config.Prefix).toBe('data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/');
    expect(config.ErrorOutputPrefix).toBe('errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/');
    expect(config.ProcessingConfiguration).toBeUndefined();
    expect(config.S3BackupMode).toBeUndefined();
  });

  test('the bucket blocks public access, requires TLS, uses SSE-KMS with a bucket key, logs access and has lifecycle rules', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ref('DeliveryKey') } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^DeliveryBucketAccessLogs') }, LogFilePrefix: 'delivery-bucket/' },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' },
          { Id: 'intelligent-tiering', Status: 'Enabled', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] },
        ],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^DeliveryBucket[A-Z0-9]+$') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  test('errors are logged to a log group kept three months', () => {
    expect(config.CloudWatchLoggingOptions).toEqual({ Enabled: true, LogGroupName: { Ref: expect.stringMatching('^DeliveryErrorLogs') }, LogStreamName: { Ref: expect.anything() } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('the role can only be assumed by Firehose from this account', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'sts:ExternalId': '123456789012' } }, Effect: 'Allow' }] },
    });
  });
});

describe('options', () => {
  test('a Kinesis stream source: shared-throughput read, no delivery stream SSE', () => {
    const stack = newStack();
    const stream = new kinesis.Stream(stack, 'Stream');
    const { template } = synth({ source: DeliverySource.kinesisStream(stream) }, stack);
    const props = streamProps(template);
    expect(props.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(props.KinesisStreamSourceConfiguration).toEqual({ KinesisStreamARN: arnOf('Stream'), RoleARN: arnOf('DeliveryRole') });
    expect(props.DeliveryStreamEncryptionConfigurationInput).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['kinesis:GetRecords']), Resource: ref('Stream') })]) },
    });
  });

  test.each([
    ['GZIP', firehose.Compression.GZIP],
    ['Snappy', firehose.Compression.SNAPPY],
    ['HADOOP_SNAPPY', firehose.Compression.HADOOP_SNAPPY],
    ['ZIP', firehose.Compression.ZIP],
    ['UNCOMPRESSED', firehose.Compression.UNCOMPRESSED],
  ])('compression %s', (value, compression) => {
    expect(s3Config(synth({ compression }).template).CompressionFormat).toBe(value);
  });

  test('buffering at both ends of the range, zero buffering included', () => {
    const low = synth({ buffering: { size: Size.mebibytes(1), interval: Duration.seconds(0) } });
    expect(s3Config(low.template).BufferingHints).toEqual({ SizeInMBs: 1, IntervalInSeconds: 0 });
    const high = synth({ buffering: { size: Size.mebibytes(128), interval: Duration.seconds(900) } });
    expect(s3Config(high.template).BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 900 });
  });

  test('a bucket and key of your own: no bucket or key is created, the key encrypts objects and the stream', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Mine', 'my-bucket');
    const key = kms.Key.fromKeyArn(stack, 'MyKey', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const { template } = synth({ bucket, encryptionKey: key }, stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(s3Config(template).BucketARN).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::my-bucket']] });
    expect(s3Config(template).EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toBe(key.keyArn);
  });

  test('bucketProps configure the created bucket', () => {
    const { template } = synth({ bucketProps: { lifecycleRules: [{ id: 'expire', expiration: Duration.days(30) }] } });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Id: 'expire', ExpirationInDays: 30, Status: 'Enabled' }] } });
  });

  test('prefixes, time zone and file extension', () => {
    const config = s3Config(synth({
      dataOutputPrefix: 'logs/!{timestamp:yyyy-MM-dd}/', errorOutputPrefix: 'failed/!{firehose:error-output-type}/', timeZone: TimeZone.ASIA_TOKYO, fileExtension: '.json.gz',
    }).template);
    expect(config).toMatchObject({ Prefix: 'logs/!{timestamp:yyyy-MM-dd}/', ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/', CustomTimeZone: 'Asia/Tokyo', FileExtension: '.json.gz' });
  });

  test('dynamic partitioning by JQ: 128 MiB default buffer, metadata extraction and newline delimiter processors', () => {
    const config = s3Config(synth({
      dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }, { retryDuration: Duration.seconds(600) }),
      dataOutputPrefix: 'service=!{partitionKeyFromQuery:service}/!{timestamp:yyyy}/',
    }).template);
    expect(config.DynamicPartitioningConfiguration).toEqual({ Enabled: true, RetryOptions: { DurationInSeconds: 600 } });
    expect(config.BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 300 });
    expect(config.ProcessingConfiguration.Processors).toEqual([
      { Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{"service":.service}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] },
      { Type: 'AppendDelimiterToRecord', Parameters: [] },
    ]);
  });

  test('multi-record de-aggregation runs first; a delimiter is base64-encoded for the service', () => {
    const config = s3Config(synth({
      dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }),
      recordDeaggregation: RecordDeaggregation.delimited('\n'),
      dataOutputPrefix: 'service=!{partitionKeyFromQuery:service}/',
    }).template);
    expect(config.ProcessingConfiguration.Processors[0]).toEqual({
      Type: 'RecordDeAggregation', Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'DELIMITED' }, { ParameterName: 'Delimiter', ParameterValue: 'Cg==' }],
    });
    const json = s3Config(synth({
      dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }), recordDeaggregation: RecordDeaggregation.json(), dataOutputPrefix: 'service=!{partitionKeyFromQuery:service}/',
    }).template);
    expect(json.ProcessingConfiguration.Processors[0]).toEqual({ Type: 'RecordDeAggregation', Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }] });
  });

  test('dynamic partitioning by the bundled transform\'s keys: Lambda processor, no delimiter processor', () => {
    const config = s3Config(synth({
      transform: RecordTransform.bundled({ partitionKeyFields: { service: 'service' } }),
      dynamicPartitioning: DynamicPartitioning.byTransform(),
      dataOutputPrefix: 'service=!{partitionKeyFromLambda:service}/',
      buffering: { size: Size.mebibytes(64), interval: Duration.seconds(60) },
    }).template);
    expect(config.BufferingHints).toEqual({ SizeInMBs: 64, IntervalInSeconds: 60 });
    expect(config.ProcessingConfiguration.Processors.map((p: { Type: string }) => p.Type)).toEqual(['Lambda']);
  });

  test('Parquet conversion through a Glue table: 128 MiB default buffer, no S3 compression', () => {
    const stack = newStack();
    const table = new glue.CfnTable(stack, 'Table', {
      catalogId: '123456789012',
      databaseName: 'analytics',
      tableInput: { name: 'clicks', storageDescriptor: { columns: [{ name: 'page', type: 'string' }] } },
    });
    const config = s3Config(synth({ recordFormatConversion: RecordFormatConversion.toParquet(table) }, stack).template);
    expect(config.CompressionFormat).toBeUndefined();
    expect(config.BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 300 });
    expect(config.DataFormatConversionConfiguration).toMatchObject({
      Enabled: true,
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
      SchemaConfiguration: { DatabaseName: 'analytics', VersionId: 'LATEST' },
    });
  });

  test('ORC conversion', () => {
    const stack = newStack();
    const table = new glue.CfnTable(stack, 'Table', { catalogId: '123456789012', databaseName: 'analytics', tableInput: { name: 'clicks' } });
    const config = s3Config(synth({ recordFormatConversion: RecordFormatConversion.toOrc(table, { versionId: '3' }) }, stack).template);
    expect(config.DataFormatConversionConfiguration.OutputFormatConfiguration).toEqual({ Serializer: { OrcSerDe: {} } });
    expect(config.DataFormatConversionConfiguration.SchemaConfiguration.VersionId).toBe('3');
  });

  test('source backup to the destination bucket under its own prefix, compressed and encrypted', () => {
    const config = s3Config(synth({ transform: RecordTransform.bundled(), sourceBackup: {} }).template);
    expect(config.S3BackupMode).toBe('Enabled');
    expect(config.S3BackupConfiguration).toMatchObject({
      BucketARN: arnOf('DeliveryBucket'),
      Prefix: 'source-backup/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      ErrorOutputPrefix: 'source-backup-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      CompressionFormat: 'GZIP',
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: arnOf('DeliveryKey') } },
      CloudWatchLoggingOptions: { Enabled: true },
    });
  });

  test('source backup to another bucket', () => {
    const stack = newStack();
    const backup = new s3.Bucket(stack, 'Backup');
    const config = s3Config(synth({ transform: RecordTransform.bundled(), sourceBackup: { bucket: backup, prefix: 'raw/', compression: firehose.Compression.ZIP } }, stack).template);
    expect(config.S3BackupConfiguration).toMatchObject({ BucketARN: arnOf('Backup'), Prefix: 'raw/', CompressionFormat: 'ZIP' });
  });

  test('error logging to your log group, or off', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Mine');
    expect(s3Config(synth({ errorLogGroup: logGroup }, stack).template).CloudWatchLoggingOptions.LogGroupName).toEqual({ Ref: expect.stringMatching('^Mine') });
    const off = synth({ errorLogging: false });
    expect(s3Config(off.template).CloudWatchLoggingOptions).toBeUndefined();
    off.template.resourceCountIs('AWS::Logs::LogGroup', 0);
    expect(off.delivery.errorLogGroup).toBeUndefined();
  });

  test('a delivery stream name', () => {
    expect(streamProps(synth({ deliveryStreamName: 'app-logs' }).template).DeliveryStreamName).toBe('app-logs');
  });

  test('escape hatches expose the L1 resource, the bucket and the role', () => {
    const { delivery } = synth();
    expect(delivery.cfnDeliveryStream).toBeInstanceOf(firehose.CfnDeliveryStream);
    expect(delivery.deliveryBucket?.bucket).toBe(delivery.bucket);
    expect(delivery.bufferingSizeMiB).toBe(5);
    expect(delivery.bufferingInterval.toSeconds()).toBe(300);
    expect(delivery.alarms).toBeDefined();
  });
});

describe('processors with format conversion', () => {
  test('dynamic partitioning by JQ with Parquet adds no delimiter processor', () => {
    const stack = newStack();
    const table = new glue.CfnTable(stack, 'Table', { catalogId: '123456789012', databaseName: 'analytics', tableInput: { name: 'clicks' } });
    const config = s3Config(synth({
      recordFormatConversion: RecordFormatConversion.toParquet(table),
      dynamicPartitioning: DynamicPartitioning.byJq({ page: '.page' }),
      dataOutputPrefix: 'clicks/page=!{partitionKeyFromQuery:page}/',
    }, stack).template);
    expect(config.ProcessingConfiguration.Processors.map((p: { Type: string }) => p.Type)).toEqual(['MetadataExtraction']);
  });
});

describe('encryption key of a bucket you bring', () => {
  test('a bucket encrypted with its own KMS key keeps that key for the delivered objects', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'BucketKey');
    const bucket = new s3.Bucket(stack, 'Mine', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    const { template, delivery } = synth({ bucket }, stack);
    expect(delivery.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(s3Config(template).EncryptionConfiguration).toEqual({ KMSEncryptionConfig: { AWSKMSKeyARN: arnOf('BucketKey') } });
  });
});

test('a key given in bucketProps also encrypts the delivered objects', () => {
  const stack = newStack();
  const key = new kms.Key(stack, 'LakeKey');
  const { template } = synth({ bucketProps: { encryptionKey: key } }, stack);
  template.resourceCountIs('AWS::KMS::Key', 1);
  expect(s3Config(template).EncryptionConfiguration).toEqual({ KMSEncryptionConfig: { AWSKMSKeyARN: arnOf('LakeKey') } });
});
