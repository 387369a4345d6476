import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { allowing, secret, streamResource } from './destination-support';
import { errorOf, newStack } from './support';
import { HttpContentEncoding, HttpEndpointDeliveryStream, HttpEndpointDeliveryStreamProps, RecordTransform } from '../../src/delivery';

const URL = 'https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input';
type Extra = Partial<HttpEndpointDeliveryStreamProps> | ((stack: Stack) => Partial<HttpEndpointDeliveryStreamProps>);

function build(extra: Extra = {}, stack: Stack = newStack()) {
  const delivery = new HttpEndpointDeliveryStream(stack, 'Delivery', { url: URL, ...(typeof extra === 'function' ? extra(stack) : extra) });
  const template = Template.fromStack(stack);
  return { stack, delivery, template, config: streamResource(template).Properties.HttpEndpointDestinationConfiguration };
}

describe('HttpEndpointDeliveryStream', () => {
  test('defaults: no encoding, 5 MiB / 300 s, 300 s of retries, failed data backed up, no access key', () => {
    const { config } = build();
    expect(config).toMatchObject({
      EndpointConfiguration: { Url: URL },
      RequestConfiguration: { ContentEncoding: 'NONE' },
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: 'FailedDataOnly',
      RoleARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] },
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryHttpEndpointDeliveryLogStream/) } },
      S3Configuration: { BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryBackupBucket/), 'Arn'] } },
    });
    expect(config.EndpointConfiguration.AccessKey).toBeUndefined();
    expect(config.EndpointConfiguration.Name).toBeUndefined();
    expect(config.SecretsManagerConfiguration).toBeUndefined();
    expect(config.RequestConfiguration.CommonAttributes).toBeUndefined();
  });

  test('a partner endpoint: name, access key from Secrets Manager, GZIP, common attributes, all data backed up', () => {
    const { config, template } = build((s) => ({
      endpointName: 'Datadog logs',
      accessKey: secret(s, 'DatadogApiKey'),
      contentEncoding: HttpContentEncoding.GZIP,
      commonAttributes: { env: 'prod', service: 'payments' },
      backup: { mode: firehose.BackupMode.ALL },
      buffering: { size: Size.mebibytes(64), interval: Duration.seconds(60) },
      retryDuration: Duration.seconds(3600),
    }));
    expect(config).toMatchObject({
      EndpointConfiguration: { Url: URL, Name: 'Datadog logs' },
      SecretsManagerConfiguration: { Enabled: true, SecretARN: { Ref: expect.stringMatching(/^DatadogApiKey/) } },
      RequestConfiguration: { ContentEncoding: 'GZIP', CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'prod' }, { AttributeName: 'service', AttributeValue: 'payments' }] },
      S3BackupMode: 'AllData',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      RetryOptions: { DurationInSeconds: 3600 },
    });
    expect(config.EndpointConfiguration.AccessKey).toBeUndefined();
    expect(allowing(template, 'secretsmanager:GetSecretValue')).toHaveLength(1);
  });

  test('a function of yours transforms the records: its processor parameters and invoke grant', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:enrich';
    const { config, template, delivery } = build((s) => ({
      transform: RecordTransform.fromFunction(lambda.Function.fromFunctionArn(s, 'Enrich', arn), { retries: 0, bufferInterval: Duration.seconds(0) }),
    }));
    expect(config.ProcessingConfiguration.Processors).toEqual([{
      Type: 'Lambda',
      Parameters: [
        { ParameterName: 'LambdaArn', ParameterValue: arn },
        { ParameterName: 'RoleArn', ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] } },
        { ParameterName: 'NumberOfRetries', ParameterValue: '0' },
        { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '0' },
      ],
    }]);
    expect(allowing(template, 'lambda:InvokeFunction')[0].Resource).toEqual([arn, `${arn}:*`]);
    expect(delivery.transformFunction!.functionArn).toBe(arn);
  });

  test("aws-cdk-lib's HttpEndpoint renders the destination, bound to the delivery stream with our role; error logging is ours", () => {
    const bind = jest.spyOn(firehose.HttpEndpoint.prototype, 'bind');
    try {
      const { config, delivery, stack } = build((s) => ({ accessKey: secret(s, 'ApiKey'), contentEncoding: HttpContentEncoding.GZIP }));
      expect(bind).toHaveBeenCalledTimes(1);
      expect(bind.mock.calls[0][0]).toBe(delivery.deliveryStream);
      const rendered = stack.resolve(bind.mock.results[0].value.httpEndpointDestinationConfiguration);
      // Everything but the logging is the L2's rendering, as is.
      expect(rendered).toMatchObject({
        endpointConfiguration: { url: URL },
        requestConfiguration: { contentEncoding: 'GZIP' },
        secretsManagerConfiguration: { enabled: true, secretArn: config.SecretsManagerConfiguration.SecretARN, roleArn: config.RoleARN },
        bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
        retryOptions: { durationInSeconds: 300 },
        roleArn: config.RoleARN,
        s3BackupMode: 'FailedDataOnly',
        s3Configuration: { bucketArn: config.S3Configuration.BucketARN, compressionFormat: 'GZIP' },
      });
      // Its logging is off (it would add streams with fixed ids to the log group); ours is set on the L1 resource.
      expect(rendered.cloudWatchLoggingOptions).toBeUndefined();
      expect(rendered.s3Configuration.cloudWatchLoggingOptions).toBeUndefined();
      expect(config.CloudWatchLoggingOptions).toMatchObject({ Enabled: true });
      expect(config.S3Configuration.CloudWatchLoggingOptions).toMatchObject({ Enabled: true });
      // Given our role, it creates neither its own role nor a log group.
      expect(delivery.deliveryStream.node.children.map((c) => c.node.id)).toEqual(['Resource']);
      expect(delivery.deliveryStream.node.tryFindChild('Http Destination Role')).toBeUndefined();
    } finally {
      bind.mockRestore();
    }
  });

  test('two delivery streams share one error log group, each with its own named streams', () => {
    const stack = newStack();
    const errorLogGroup = new logs.LogGroup(stack, 'Central');
    new HttpEndpointDeliveryStream(stack, 'Delivery', { url: URL, errorLogGroup });
    new HttpEndpointDeliveryStream(stack, 'Other', { url: URL, errorLogGroup });
    const streams = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogStream')).map((r) => r.Properties.LogStreamName).sort();
    expect(streams).toEqual(['HttpEndpointDelivery', 'HttpEndpointDelivery', 'S3Backup', 'S3Backup']);
  });

  test.each<[string, Extra, string]>([
    ['plain HTTP', { url: 'http://collector.example.com/v1' }, "url must be an https:// URL (Firehose delivers to HTTP endpoints over TLS only), got 'http://collector.example.com/v1'"],
    ['URL length', { url: `https://example.com/${'a'.repeat(1000)}` }, 'url must be at most 1000 characters, got 1020'],
    ['name length', { endpointName: 'n'.repeat(257) }, `endpointName must be 1 to 256 characters, got 257 ('${'n'.repeat(257)}')`],
    ['attribute name', { commonAttributes: { ' env': 'prod' } }, "commonAttributes name may only contain text without leading or trailing white space, got ' env'"],
    ['attribute value', { commonAttributes: { env: 'p'.repeat(1025) } }, "commonAttributes 'env' must be at most 1024 characters, got 1025"],
    ['buffer above 64 MiB', { buffering: { size: Size.mebibytes(65) } }, 'buffering.size must be between 1 and 64 MiB, got 65 MiB'],
    ['retry duration', { retryDuration: Duration.seconds(7201) }, 'retryDuration must be between 0 and 7200 seconds, got 7201 seconds'],
  ])('rule: %s', (_name, extra, expected) => {
    expect(errorOf(() => build(extra))).toBe(`Stack/Delivery: ${expected}`);
  });
});
