import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { secret, streamResource, warnings } from './destination-support';
import { errorOf, newStack } from './support';
import {
  HttpEndpointDeliveryStream, HttpEndpointDeliveryStreamProps, OpenSearchDeliveryStream, OpenSearchTarget, RedshiftDeliveryStream, RedshiftTarget,
  RecordTransform, SplunkDeliveryStream, SplunkEndpointType,
} from '../../src/delivery';

/** The shared pieces (DestinationCore), exercised through the smallest destination. */
type Extra = Partial<HttpEndpointDeliveryStreamProps> | ((stack: Stack) => Partial<HttpEndpointDeliveryStreamProps>);

function build(extra: Extra = {}, stack: Stack = newStack()) {
  const delivery = new HttpEndpointDeliveryStream(stack, 'Delivery', { url: 'https://collector.example.com/v1', ...(typeof extra === 'function' ? extra(stack) : extra) });
  const template = Template.fromStack(stack);
  return { stack, delivery, template, config: streamResource(template).Properties.HttpEndpointDestinationConfiguration, resource: streamResource(template) };
}

describe('what every non-S3 destination shares', () => {
  test('the key of a backup bucket you bring encrypts the stream and the backup objects; no other key is created', () => {
    const { config, resource, template } = build((s) => ({ backup: { bucket: new s3.Bucket(s, 'Archive', { encryption: s3.BucketEncryption.KMS }) } }));
    const key = { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveKey/), 'Arn'] };
    expect(config.S3Configuration.EncryptionConfiguration).toEqual({ KMSEncryptionConfig: { AWSKMSKeyARN: key } });
    expect(resource.Properties.DeliveryStreamEncryptionConfigurationInput).toEqual({ KeyARN: key, KeyType: 'CUSTOMER_MANAGED_CMK' });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('an encryption key you give is used for everything, also the created backup bucket', () => {
    const { template, delivery } = build((s) => ({ encryptionKey: new kms.Key(s, 'Mine') }));
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(delivery.encryptionKey.node.path).toBe('Stack/Mine');
    const backup = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('DeliveryBackupBucket') && !id.includes('AccessLogs'))![1];
    expect(backup.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault)
      .toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^Mine/), 'Arn'] } });
  });

  test('error logging off: no log group, logging disabled on the destination and the backup', () => {
    const { config, template, delivery } = build({ errorLogging: false });
    expect(config.CloudWatchLoggingOptions).toEqual({ Enabled: false });
    expect(config.S3Configuration.CloudWatchLoggingOptions).toEqual({ Enabled: false });
    expect(delivery.errorLogGroup).toBeUndefined();
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  test('a log group you give receives the error logs, one stream per output', () => {
    const { config, template } = build((s) => ({ errorLogGroup: new logs.LogGroup(s, 'Central') }));
    expect(config.CloudWatchLoggingOptions.LogGroupName).toEqual({ Ref: expect.stringMatching(/^Central/) });
    template.hasResourceProperties('AWS::Logs::LogStream', { LogStreamName: 'HttpEndpointDelivery' });
    template.hasResourceProperties('AWS::Logs::LogStream', { LogStreamName: 'S3Backup' });
  });

  test('a backup whose error prefix overlaps its prefix is a warning', () => {
    const { stack } = build({ backup: { prefix: 'backup/', errorOutputPrefix: 'backup/errors/' } });
    expect(warnings(stack)).toEqual([{
      path: 'Stack/Delivery',
      text: "Stack/Delivery: backup errorOutputPrefix 'backup/errors/' and backup prefix 'backup/' write to the same bucket under overlapping folders " +
        "('backup/errors/' and 'backup/'): give each its own leading folder, so that a table over one does not read the other",
    }]);
  });

  test('a Redshift source backup in the intermediate bucket must not overlap the staged files', () => {
    const stack = newStack();
    new RedshiftDeliveryStream(stack, 'Delivery', {
      target: RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com', databaseName: 'd', publiclyAccessible: true }),
      credentials: secret(stack),
      tableName: 't',
      intermediatePrefix: 'data/',
      transform: RecordTransform.bundled(),
      sourceBackup: { prefix: 'data/raw/' },
    });
    expect(warnings(stack).map((w) => w.text)).toContain("Stack/Delivery: sourceBackup.prefix 'data/raw/' and intermediatePrefix 'data/' write to the same bucket " +
      "under overlapping folders ('data/raw/' and 'data/'): give each its own leading folder, so that a table over one does not read the other");
  });

  test.each<[string, Extra, string]>([
    ['delivery stream name', { deliveryStreamName: 'app logs' }, "Stack/Delivery: deliveryStreamName may only contain letters, digits, _, . and -, got 'app logs'"],
    ['logging off with a log group', (s) => ({ errorLogging: false, errorLogGroup: new logs.LogGroup(s, 'L') }),
      'Stack/Delivery: errorLogging: false and errorLogGroup cannot be given together'],
    ['backup prefix expression without an error prefix', { backup: { prefix: 'backup/!{timestamp:yyyy}/', errorOutputPrefix: '' } },
      "Stack/Delivery (backup): dataOutputPrefix 'backup/!{timestamp:yyyy}/' uses expressions, so Firehose requires an errorOutputPrefix: set one that contains " +
      '!{firehose:error-output-type}'],
    ['backup error prefix without the error type', { backup: { errorOutputPrefix: 'errors/!{timestamp:yyyy}/' } },
      "Stack/Delivery (backup): errorOutputPrefix 'errors/!{timestamp:yyyy}/' uses expressions, so it must contain !{firehose:error-output-type}"],
    ['backup partition keys', { backup: { prefix: 'p/!{partitionKeyFromQuery:service}/' } },
      "Stack/Delivery (backup): dataOutputPrefix 'p/!{partitionKeyFromQuery:service}/' uses !{partitionKeyFromQuery:service}, which needs dynamicPartitioning"],
  ])('rule: %s', (_name, extra, expected) => {
    expect(errorOf(() => build(extra))).toBe(expected);
  });

  test('values known only at deploy time are not checked, and reach the template as references', () => {
    const stack = newStack();
    const param = (id: string) => new CfnParameter(stack, id).valueAsString;
    new RedshiftDeliveryStream(stack, 'Redshift', {
      target: RedshiftTarget.cluster({ endpointAddress: param('Endpoint'), databaseName: param('Database'), port: new CfnParameter(stack, 'Port', { type: 'Number' }).valueAsNumber }),
      credentials: secret(stack),
      tableName: param('Table'),
      columns: [param('Column')],
    });
    new OpenSearchDeliveryStream(stack, 'Search', {
      target: OpenSearchTarget.collection({ collectionEndpoint: param('Collection'), collectionArn: param('CollectionArn') }),
      indexName: param('Index'),
    });
    new SplunkDeliveryStream(stack, 'Splunk', { hecEndpoint: param('Hec'), hecEndpointType: SplunkEndpointType.RAW, hecToken: secret(stack, 'Token') });
    new HttpEndpointDeliveryStream(stack, 'Http', { url: param('Url'), endpointName: param('Name'), commonAttributes: { env: param('Env') } });
    const streams = Object.values(Template.fromStack(stack).findResources('AWS::KinesisFirehose::DeliveryStream')).map((r) => r.Properties);
    expect(streams.find((p) => p.RedshiftDestinationConfiguration)!.RedshiftDestinationConfiguration.CopyCommand.DataTableName).toEqual({ Ref: 'Table' });
    expect(streams.find((p) => p.AmazonOpenSearchServerlessDestinationConfiguration)!.AmazonOpenSearchServerlessDestinationConfiguration.IndexName).toEqual({ Ref: 'Index' });
    expect(streams.find((p) => p.SplunkDestinationConfiguration)!.SplunkDestinationConfiguration.HECEndpoint).toEqual({ Ref: 'Hec' });
    expect(streams.find((p) => p.HttpEndpointDestinationConfiguration)!.HttpEndpointDestinationConfiguration.EndpointConfiguration.Url).toEqual({ Ref: 'Url' });
  });
});
