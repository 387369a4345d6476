import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { allowing, streamResource } from './destination-support';
import { build } from '../../examples/telemetry-to-snowflake/app';
import { nagFindings } from '../support/nag';

describe('example telemetry-to-snowflake', () => {
  const app = build(new App());
  const stack = app.node.findChild('TelemetryToSnowflake') as Stack;
  const template = Template.fromStack(stack);
  const stream = streamResource(template);
  const config = stream.Properties.SnowflakeDestinationConfiguration;

  test('readings from the data stream into a VARIANT column with their metadata, through the loader role', () => {
    expect(stream.Properties.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(config).toMatchObject({
      AccountUrl: 'https://acme-telemetry.snowflakecomputing.com',
      Database: 'TELEMETRY',
      Schema: 'RAW',
      Table: 'READINGS',
      SnowflakeRoleConfiguration: { Enabled: true, SnowflakeRole: 'FIREHOSE_TELEMETRY_LOADER' },
      DataLoadingOption: 'VARIANT_CONTENT_AND_METADATA_MAPPING',
      ContentColumnName: 'RECORD_CONTENT',
      MetaDataColumnName: 'RECORD_METADATA',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 10 },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: 'FailedDataOnly',
      ProcessingConfiguration: { Enabled: true, Processors: [expect.objectContaining({ Type: 'Lambda' })] },
    });
    const env = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {})
      .find((v: Record<string, string>) => v.KINESIS_PATTERNS_FIREHOSE_TRANSFORM) as Record<string, string>;
    expect(JSON.parse(env.KINESIS_PATTERNS_FIREHOSE_TRANSFORM)).toMatchObject({ requiredFields: ['device_id', 'ts'], dropFields: ['source_ip'], appendNewline: false });
  });

  test('no private key in the template: the secret holds the user and a generated placeholder, and the role may read only it', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    expect(secrets[0].Properties.SecretString).toBeUndefined();
    expect(secrets[0].Properties.GenerateSecretString).toMatchObject({ SecretStringTemplate: '{"user":"FIREHOSE_TELEMETRY"}', GenerateStringKey: 'private_key' });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/PrivateKey|BEGIN PRIVATE KEY/);
    const read = allowing(template, 'secretsmanager:GetSecretValue');
    expect(read).toHaveLength(1);
    expect(read[0].Resource).toEqual({ Ref: expect.stringMatching(/^SnowflakeKeyPair/) });
  });

  test('alarms page the on-call topic: freshness, refused readings, their backup and commit latency', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const byMetric = new Map(alarms.map((a) => [a.MetricName as string, a]));
    for (const metric of ['DeliveryToSnowflake.DataFreshness', 'DeliveryToS3.Records', 'DeliveryToS3.Success', 'DeliveryToSnowflake.DataCommitLatency']) {
      expect(byMetric.get(metric)?.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
    }
    expect(byMetric.get('DeliveryToSnowflake.DataCommitLatency')?.Threshold).toBe(120);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding', () => {
    expect(nagFindings((a) => build(a))).toEqual([]);
  });
});
