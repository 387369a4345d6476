import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { allowing, secret, streamResource } from './destination-support';
import { errorOf, newStack } from './support';
import { RecordTransform, SplunkDeliveryStream, SplunkDeliveryStreamProps, SplunkEndpointType } from '../../src/delivery';

const HEC = 'https://http-inputs-firehose-acme.splunkcloud.com:443';
type Extra = Partial<SplunkDeliveryStreamProps> | ((stack: Stack) => Partial<SplunkDeliveryStreamProps>);

function build(extra: Extra = {}, stack: Stack = newStack()) {
  const delivery = new SplunkDeliveryStream(stack, 'Delivery', {
    hecEndpoint: HEC,
    hecEndpointType: SplunkEndpointType.EVENT,
    hecToken: secret(stack, 'HecToken'),
    ...(typeof extra === 'function' ? extra(stack) : extra),
  });
  const template = Template.fromStack(stack);
  return { stack, delivery, template, config: streamResource(template).Properties.SplunkDestinationConfiguration };
}

describe('SplunkDeliveryStream', () => {
  test('defaults: token from Secrets Manager, Splunk\'s buffering defaults, 180 s acknowledgment, an hour of retries, failed events backed up', () => {
    const { config } = build();
    expect(config).toMatchObject({
      HECEndpoint: HEC,
      HECEndpointType: 'Event',
      HECAcknowledgmentTimeoutInSeconds: 180,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 },
      RetryOptions: { DurationInSeconds: 3600 },
      S3BackupMode: 'FailedEventsOnly',
      SecretsManagerConfiguration: { Enabled: true, SecretARN: { Ref: expect.stringMatching(/^HecToken/) } },
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliverySplunkDeliveryLogStream/) } },
      S3Configuration: { BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryBackupBucket/), 'Arn'] }, CompressionFormat: 'GZIP' },
    });
    expect(config.HECToken).toBeUndefined();
  });

  test('the role may read the token and decrypt it with the secret\'s own key', () => {
    const { template } = build((s) => ({ hecToken: new secretsmanager.Secret(s, 'EncryptedToken', { encryptionKey: new kms.Key(s, 'SecretKey') }) }));
    expect(allowing(template, 'secretsmanager:GetSecretValue')).toHaveLength(1);
    const decrypt = allowing(template, 'kms:Decrypt').filter((st) => JSON.stringify(st.Resource).includes('SecretKey'));
    expect(decrypt).toEqual([expect.objectContaining({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } } },
    })]);
  });

  test('raw endpoint, all events backed up, narrower buffering, longer acknowledgment, retries and a transform', () => {
    const { config } = build({
      hecEndpointType: SplunkEndpointType.RAW,
      backup: { mode: firehose.BackupMode.ALL },
      buffering: { size: Size.mebibytes(1), interval: Duration.seconds(0) },
      acknowledgmentTimeout: Duration.minutes(10),
      retryDuration: Duration.seconds(60),
      transform: RecordTransform.bundled({ keepFields: ['event', 'sourcetype'] }),
    });
    expect(config).toMatchObject({
      HECEndpointType: 'Raw',
      S3BackupMode: 'AllEvents',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
      HECAcknowledgmentTimeoutInSeconds: 600,
      RetryOptions: { DurationInSeconds: 60 },
      ProcessingConfiguration: { Enabled: true, Processors: [expect.objectContaining({ Type: 'Lambda' })] },
    });
  });

  test.each<[string, Extra, string]>([
    ['plain HTTP endpoint', { hecEndpoint: 'http://splunk.example.com:8088' },
      "hecEndpoint must be an https:// URL of at most 2048 characters (Firehose sends events over TLS only), got 'http://splunk.example.com:8088'"],
    ['acknowledgment too short', { acknowledgmentTimeout: Duration.seconds(179) }, 'acknowledgmentTimeout must be between 180 and 600 seconds, got 179 seconds'],
    ['acknowledgment too long', { acknowledgmentTimeout: Duration.seconds(601) }, 'acknowledgmentTimeout must be between 180 and 600 seconds, got 601 seconds'],
    ['buffer above 5 MiB', { buffering: { size: Size.mebibytes(6) } }, 'buffering.size must be between 1 and 5 MiB, got 6 MiB'],
    ['interval above 60 s', { buffering: { interval: Duration.seconds(61) } }, 'buffering.interval must be between 0 and 60 seconds, got 61 seconds'],
    ['retry duration', { retryDuration: Duration.hours(2.5) }, 'retryDuration must be between 0 and 7200 seconds, got 9000 seconds'],
  ])('rule: %s', (_name, extra, expected) => {
    expect(errorOf(() => build(extra))).toBe(`Stack/Delivery: ${expected}`);
  });
});
