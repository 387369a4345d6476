import { App, CfnParameter, Duration, SecretValue, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { allowing, secret, statements, streamResource, warnings } from './destination-support';
import { errorOf, newStack } from './support';
import {
  DeliverySource, RecordTransform, SnowflakeDataLoading, SnowflakeDeliveryStream, SnowflakeDeliveryStreamProps,
} from '../../src/delivery';
import { DataStream } from '../../src/streams';
import { consoleErrorOf } from '../support/console';
import { nagFindings } from '../support/nag';

const URL = 'https://acme-analytics.snowflakecomputing.com';
const PRIVATE_URL = 'https://acme-analytics.privatelink.snowflakecomputing.com';
const VPCE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
type Extra = Partial<SnowflakeDeliveryStreamProps> | ((stack: Stack) => Partial<SnowflakeDeliveryStreamProps>);

function build(extra: Extra = {}, stack: Stack = newStack()) {
  const delivery = new SnowflakeDeliveryStream(stack, 'Delivery', {
    accountUrl: URL,
    secret: secret(stack, 'KeyPair'),
    database: 'TELEMETRY',
    schema: 'RAW',
    table: 'READINGS',
    ...(typeof extra === 'function' ? extra(stack) : extra),
  });
  const template = Template.fromStack(stack);
  const resource = streamResource(template);
  return { stack, delivery, template, resource, config: resource.Properties.SnowflakeDestinationConfiguration };
}

describe('SnowflakeDeliveryStream defaults', () => {
  const { config, template, delivery, stack } = build();

  test('account, table, key pair from Secrets Manager, JSON mapping, Snowflake\'s buffering, 60 s of retries, failed data backed up', () => {
    expect(config).toMatchObject({
      AccountUrl: URL,
      Database: 'TELEMETRY',
      Schema: 'RAW',
      Table: 'READINGS',
      RoleARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] },
      SecretsManagerConfiguration: {
        Enabled: true,
        SecretARN: { Ref: expect.stringMatching(/^KeyPair/) },
        RoleARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] },
      },
      DataLoadingOption: 'JSON_MAPPING',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
      RetryOptions: { DurationInSeconds: 60 },
      S3BackupMode: 'FailedDataOnly',
      S3Configuration: { BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryBackupBucket/), 'Arn'] }, CompressionFormat: 'GZIP' },
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliverySnowflakeDeliveryLogStream/) } },
    });
    for (const absent of ['User', 'PrivateKey', 'KeyPassphrase', 'ContentColumnName', 'MetaDataColumnName', 'SnowflakeRoleConfiguration',
      'SnowflakeVpcConfiguration', 'ProcessingConfiguration']) {
      expect(config[absent]).toBeUndefined();
    }
    expect(delivery.dataLoading.option).toBe('JSON_MAPPING');
    expect(delivery.backupBucket).toBeDefined();
    expect(delivery.alarms?.commitLatency).toBeDefined();
    expect(warnings(stack)).toEqual([]);
  });

  test('the role may read the secret by its ARN only, and no statement of the stack has a wildcard action but aws-cdk-lib\'s S3 and KMS grants', () => {
    const read = allowing(template, 'secretsmanager:GetSecretValue');
    expect(read).toEqual([expect.objectContaining({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: { Ref: expect.stringMatching(/^KeyPair/) },
    })]);
    const wildcards = statements(template).flatMap((s) => s.Action as string[]).filter((a) => a.includes('*'));
    expect([...new Set(wildcards)].sort()).toEqual(['kms:GenerateDataKey*', 'kms:ReEncrypt*', 's3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*']);
    // The secret has no key of its own (AWS managed key): no decrypt grant for it.
    expect(allowing(template, 'kms:Decrypt').filter((s) => JSON.stringify(s.Resource).includes('KeyPair'))).toEqual([]);
  });

  test('alarms: Snowflake freshness, records written to the backup instead (not the insert count), their backup, and commit latency', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToSnowflake.DataFreshness',
      Statistic: 'Maximum',
      Threshold: 300,
      Namespace: 'AWS/Firehose',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: Match.stringLikeRegexp('^DeliveryDeliveryStream') } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.Records', Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.Success', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToSnowflake.DataCommitLatency', Statistic: 'Average', Threshold: 300, ComparisonOperator: 'GreaterThanThreshold',
    });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToSnowflake.Success' }, 0);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'BackupToS3.Success' }, 0);
  });
});

test('every option: role, VARIANT content and metadata, PrivateLink, buffering, retries, all data backed up, a stream source and a transform', () => {
  const { config, resource } = build((s) => ({
    source: DeliverySource.kinesisStream(new DataStream(s, 'Telemetry', { shardCount: 1 })),
    accountUrl: PRIVATE_URL,
    snowflakeRole: 'FIREHOSE_LOADER',
    dataLoading: SnowflakeDataLoading.variantContentAndMetadata({ contentColumnName: 'RECORD_CONTENT', metadataColumnName: 'RECORD_METADATA' }),
    privateLinkVpceId: VPCE,
    buffering: { size: Size.mebibytes(16), interval: Duration.seconds(30) },
    retryDuration: Duration.minutes(10),
    backup: { mode: firehose.BackupMode.ALL, prefix: 'all/' },
    transform: RecordTransform.bundled({ requiredFields: ['device_id'], appendNewline: false }),
  }));
  expect(config).toMatchObject({
    AccountUrl: PRIVATE_URL,
    SnowflakeRoleConfiguration: { Enabled: true, SnowflakeRole: 'FIREHOSE_LOADER' },
    DataLoadingOption: 'VARIANT_CONTENT_AND_METADATA_MAPPING',
    ContentColumnName: 'RECORD_CONTENT',
    MetaDataColumnName: 'RECORD_METADATA',
    SnowflakeVpcConfiguration: { PrivateLinkVpceId: VPCE },
    BufferingHints: { SizeInMBs: 16, IntervalInSeconds: 30 },
    RetryOptions: { DurationInSeconds: 600 },
    S3BackupMode: 'AllData',
    S3Configuration: { Prefix: 'all/' },
    ProcessingConfiguration: { Enabled: true, Processors: [expect.objectContaining({ Type: 'Lambda' })] },
  });
  expect(resource.Properties.DeliveryStreamType).toBe('KinesisStreamAsSource');
  expect(resource.Properties.DeliveryStreamEncryptionConfigurationInput).toBeUndefined();
});

test('VARIANT content only', () => {
  const { config } = build({ dataLoading: SnowflakeDataLoading.variantContent({ contentColumnName: '"Raw Record"' }) });
  expect(config).toMatchObject({ DataLoadingOption: 'VARIANT_CONTENT_MAPPING', ContentColumnName: '"Raw Record"' });
  expect(config.MetaDataColumnName).toBeUndefined();
});

test('an option the library does not know yet passes through of()', () => {
  // aws-cdk-lib's validation reports the value its schema does not know yet (W3030); the template keeps it.
  const { result: { config }, output } = consoleErrorOf(() => build({ dataLoading: SnowflakeDataLoading.of('FUTURE_MAPPING', { contentColumnName: 'C' }) }));
  expect(config).toMatchObject({ DataLoadingOption: 'FUTURE_MAPPING', ContentColumnName: 'C' });
  expect(output).toMatch(/'FUTURE_MAPPING' is not one of[\s\S]*W3030/);
});

test('a secret with its own key: the role may decrypt it through Secrets Manager only', () => {
  const { template } = build((s) => ({ secret: new secretsmanager.Secret(s, 'Encrypted', { encryptionKey: new kms.Key(s, 'SecretKey') }) }));
  const decrypt = allowing(template, 'kms:Decrypt').filter((st) => JSON.stringify(st.Resource).includes('SecretKey'));
  expect(decrypt).toEqual([expect.objectContaining({
    Action: ['kms:Decrypt'],
    Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretKey/), 'Arn'] },
    Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } } },
  })]);
});

test('metrics: commit latency and the records backed up after a failed insert, with the delivery stream\'s dimension', () => {
  const { delivery, stack } = build();
  const latency = stack.resolve(delivery.metricDataCommitLatency().toMetricConfig().metricStat);
  expect(latency).toMatchObject({
    metricName: 'DeliveryToSnowflake.DataCommitLatency',
    namespace: 'AWS/Firehose',
    statistic: 'Average',
    dimensions: [{ name: 'DeliveryStreamName', value: { Ref: expect.stringMatching(/^DeliveryDeliveryStream/) } }],
  });
  const refused = stack.resolve(delivery.metricRecordsBackedUpAfterFailure({ period: Duration.minutes(1) }).toMetricConfig().metricStat);
  expect(refused).toMatchObject({ metricName: 'DeliveryToS3.Records', statistic: 'Sum', period: { amount: 1 } });
});

test('a commit latency threshold of its own', () => {
  const { template } = build({ alarmOptions: { commitLatencyThreshold: Duration.seconds(30) } });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToSnowflake.DataCommitLatency', Threshold: 30 });
});

test('tokens pass through unchecked: account URL, names, columns, role, VPCE id, retries and buffering', () => {
  const { config, stack } = build((scope) => {
    // Parameters of the stack, so that the template's Refs resolve (aws-cdk-lib validates them at synth).
    const t = (name: string) => new CfnParameter(scope, name).valueAsString;
    const n = (name: string) => new CfnParameter(scope, name, { type: 'Number' }).valueAsNumber;
    return {
      accountUrl: t('Url'),
      database: t('Db'),
      schema: t('Schema'),
      table: t('Table'),
      snowflakeRole: t('Role'),
      dataLoading: SnowflakeDataLoading.variantContentAndMetadata({ contentColumnName: t('Content'), metadataColumnName: t('Meta') }),
      privateLinkVpceId: t('Vpce'),
      retryDuration: Duration.seconds(n('Retry')),
      buffering: { interval: Duration.seconds(n('Interval')) },
    };
  });
  expect(config).toMatchObject({
    AccountUrl: { Ref: 'Url' },
    Database: { Ref: 'Db' },
    Schema: { Ref: 'Schema' },
    Table: { Ref: 'Table' },
    SnowflakeRoleConfiguration: { Enabled: true, SnowflakeRole: { Ref: 'Role' } },
    ContentColumnName: { Ref: 'Content' },
    MetaDataColumnName: { Ref: 'Meta' },
    SnowflakeVpcConfiguration: { PrivateLinkVpceId: { Ref: 'Vpce' } },
    RetryOptions: { DurationInSeconds: { Ref: 'Retry' } },
    BufferingHints: { IntervalInSeconds: { Ref: 'Interval' } },
  });
  expect(warnings(stack)).toEqual([]);
});

describe('SnowflakeDeliveryStream rules', () => {
  const key = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' + 'A'.repeat(300);
  test.each<[string, Extra, string]>([
    ['plain HTTP account URL', { accountUrl: 'http://acme.snowflakecomputing.com' },
      "accountUrl must be https://<account>.snowflakecomputing.com, or https://<account>.privatelink.snowflakecomputing.com with PrivateLink (24 to 2048 characters; Firehose connects over TLS only), got 'http://acme.snowflakecomputing.com'"],
    ['account URL of another host', { accountUrl: 'https://acme.snowflake.example.com' }, "got 'https://acme.snowflake.example.com'"],
    ['account URL too short', { accountUrl: 'a.snowflakecomputing.com'.slice(1) }, "got '.snowflakecomputing.com'"],
    ['database with a space', { database: 'my db' },
      "database must be a Snowflake identifier of 1 to 255 characters: a letter or _ followed by letters, digits, _ or $, or any text in double quotes (with \"\" for a quote), got 'my db'"],
    ['schema starting with a digit', { schema: '1raw' }, 'schema must be a Snowflake identifier of 1 to 255 characters'],
    ['table too long', { table: 'T'.repeat(256) }, 'table must be a Snowflake identifier of 1 to 255 characters'],
    ['empty table', { table: '' }, "got ''"],
    ['role with a dash', { snowflakeRole: 'firehose-loader' }, 'snowflakeRole must be a Snowflake identifier of 1 to 255 characters'],
    ['content column with a dot', { dataLoading: SnowflakeDataLoading.variantContent({ contentColumnName: 'raw.content' }) },
      'dataLoading.contentColumnName must be a Snowflake identifier'],
    ['a content column with JSON mapping', { dataLoading: SnowflakeDataLoading.of('JSON_MAPPING', { contentColumnName: 'C' }) },
      "dataLoading JSON_MAPPING maps the records' keys onto the columns and takes no content or metadata column, got contentColumnName 'C': use SnowflakeDataLoading.variantContent() or variantContentAndMetadata() to load records into a VARIANT column"],
    ['a metadata column with content only', { dataLoading: SnowflakeDataLoading.of('VARIANT_CONTENT_MAPPING', { contentColumnName: 'C', metadataColumnName: 'M' }) },
      "dataLoading.metadataColumnName 'M' is loaded only with VARIANT_CONTENT_AND_METADATA_MAPPING, got VARIANT_CONTENT_MAPPING: use SnowflakeDataLoading.variantContentAndMetadata(), or leave the metadata column out"],
    ['VARIANT without a content column', { dataLoading: SnowflakeDataLoading.of('VARIANT_CONTENT_MAPPING') },
      'dataLoading VARIANT_CONTENT_MAPPING needs contentColumnName, the VARIANT column that takes each record, got none'],
    ['metadata option without a metadata column', { dataLoading: SnowflakeDataLoading.of('VARIANT_CONTENT_AND_METADATA_MAPPING', { contentColumnName: 'C' }) },
      "dataLoading VARIANT_CONTENT_AND_METADATA_MAPPING needs metadataColumnName, the VARIANT column that takes Firehose's metadata of each record, got none"],
    ['one column for content and metadata', { dataLoading: SnowflakeDataLoading.variantContentAndMetadata({ contentColumnName: 'record', metadataColumnName: 'RECORD' }) },
      "dataLoading.metadataColumnName and contentColumnName must be two columns, got 'record' for both"],
    ['a VPCE id that is not an endpoint service', { accountUrl: PRIVATE_URL, privateLinkVpceId: 'vpce-0123456789abcdef0' },
      "privateLinkVpceId must be the endpoint service of the account's PrivateLink, com.amazonaws.vpce.<region>.vpce-svc-<17 characters> (47 to 255 characters; SYSTEM$GET_PRIVATELINK_CONFIG() returns it as privatelink-vpce-id), got 'vpce-0123456789abcdef0'"],
    ['a VPCE id in another Region', { accountUrl: PRIVATE_URL, privateLinkVpceId: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' },
      "privateLinkVpceId 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' is an endpoint service in us-east-1, but the delivery stream is in eu-west-1: PrivateLink connects within one Region, so deliver from the Snowflake account's Region or use its public URL"],
    ['buffer above 128 MiB', { buffering: { size: Size.mebibytes(129) } }, 'buffering.size must be between 1 and 128 MiB, got 129 MiB'],
    ['interval above 900 s', { buffering: { interval: Duration.seconds(901) } }, 'buffering.interval must be between 0 and 900 seconds, got 901 seconds'],
    ['retry duration', { retryDuration: Duration.hours(3) }, 'retryDuration must be between 0 and 7200 seconds, got 10800 seconds'],
    ['a literal private key in a secret of the stack', (s) => ({
      secret: new secretsmanager.Secret(s, 'Literal', { secretObjectValue: { user: SecretValue.unsafePlainText('FIREHOSE'), private_key: SecretValue.unsafePlainText(key) } }),
    }), `secret Stack/Literal holds a literal private_key of ${key.length} characters, which would be written into the template: create the secret with a placeholder and put the key into it with the Secrets Manager API or console, or import an existing secret (Secret.fromSecretCompleteArn)`],
    ['a private key in a generated secret\'s template', (s) => ({
      secret: new secretsmanager.Secret(s, 'Generated', { generateSecretString: { secretStringTemplate: JSON.stringify({ user: 'F', private_key: key }), generateStringKey: 'key_passphrase' } }),
    }), 'secret Stack/Generated holds a literal private_key'],
    ['the alarms\' commit latency threshold', { alarmOptions: { commitLatencyThreshold: Duration.seconds(0) } }, 'commitLatencyThreshold must be greater than 0 seconds, got 0 seconds'],
  ])('rule: %s', (_name, extra, expected) => {
    const message = errorOf(() => build(extra));
    expect(message.startsWith('Stack/Delivery')).toBe(true);
    expect(message).toContain(expected);
  });

  test('required props are named', () => {
    const stack = newStack();
    expect(errorOf(() => new SnowflakeDeliveryStream(stack, 'Delivery', { accountUrl: URL, database: 'D', schema: 'S', table: 'T' } as never)))
      .toBe('Stack/Delivery: secret is required, got undefined');
  });

  test.each([
    ['the public form', URL],
    ['without https://, with a port', 'acme-analytics.snowflakecomputing.com:443'],
    ['the account locator form', 'https://xy12345.eu-west-1.aws.snowflakecomputing.com/'],
  ])('accepted account URL: %s', (_name, accountUrl) => {
    expect(build({ accountUrl }).config.AccountUrl).toBe(accountUrl);
  });

  test('accepted: quoted identifiers, $ in names, a placeholder key in a secret of the stack', () => {
    const { config } = build((s) => ({
      database: '"Telemetry Lake"',
      schema: '_RAW$1',
      table: '"say ""hi"""',
      secret: new secretsmanager.Secret(s, 'Placeholder', {
        secretObjectValue: { user: SecretValue.unsafePlainText('FIREHOSE'), private_key: SecretValue.unsafePlainText('REPLACE-WITH-THE-PRIVATE-KEY') },
      }),
    }));
    expect(config).toMatchObject({ Database: '"Telemetry Lake"', Schema: '_RAW$1', Table: '"say ""hi"""' });
  });

  test('warning: a PrivateLink endpoint with the public account URL', () => {
    const { stack } = build({ privateLinkVpceId: VPCE });
    expect(warnings(stack)).toEqual([{
      path: 'Stack/Delivery',
      text: expect.stringContaining(
        `privateLinkVpceId is set but accountUrl '${URL}' is not the account's PrivateLink URL (<account>.privatelink.snowflakecomputing.com)`),
    }]);
  });

  test('warning: the PrivateLink URL without an endpoint', () => {
    const { stack } = build({ accountUrl: PRIVATE_URL });
    expect(warnings(stack)).toEqual([{
      path: 'Stack/Delivery',
      text: expect.stringContaining(
        `accountUrl '${PRIVATE_URL}' is the account's PrivateLink URL, but privateLinkVpceId is not set`),
    }]);
  });

  test('no warning with both, and the VPCE Region is not compared in an environment-agnostic stack', () => {
    expect(warnings(build({ accountUrl: PRIVATE_URL, privateLinkVpceId: VPCE }).stack)).toEqual([]);
    const agnostic = new Stack(new App(), 'Stack');
    const { config } = build({ accountUrl: PRIVATE_URL, privateLinkVpceId: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0' }, agnostic);
    expect(config.SnowflakeVpcConfiguration.PrivateLinkVpceId).toBe('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
  });
});

test('cdk-nag AwsSolutions: no finding with an imported secret', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
    new SnowflakeDeliveryStream(stack, 'Delivery', {
      accountUrl: URL,
      secret: secretsmanager.Secret.fromSecretNameV2(stack, 'KeyPair', 'snowflake/firehose'),
      database: 'D',
      schema: 'S',
      table: 'T',
      transform: RecordTransform.bundled({ appendNewline: false }),
    });
    return app;
  });
  expect(findings).toEqual([]);
});
