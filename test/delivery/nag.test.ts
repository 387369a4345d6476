import { Duration, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { DeliverySource, DynamicPartitioning, RecordFormatConversion, RecordTransform, S3DeliveryStream } from '../../src/delivery';
import { nagFindings } from '../support/nag';

test('AwsSolutionsChecks: no unacknowledged finding on direct PUT, stream, transform, partitioning and Parquet delivery', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    new S3DeliveryStream(stack, 'Logs', {
      transform: RecordTransform.bundled({ requiredFields: ['service'], partitionKeyFields: { service: 'service' } }),
      dynamicPartitioning: DynamicPartitioning.byTransform(),
      dataOutputPrefix: 'logs/service=!{partitionKeyFromLambda:service}/',
      sourceBackup: {},
    });
    const stream = new kinesis.Stream(stack, 'Clicks', { encryption: kinesis.StreamEncryption.MANAGED, retentionPeriod: Duration.hours(24) });
    const table = new glue.CfnTable(stack, 'Table', { catalogId: '123456789012', databaseName: 'db', tableInput: { name: 'clicks' } });
    new S3DeliveryStream(stack, 'Clickstream', { source: DeliverySource.kinesisStream(stream), recordFormatConversion: RecordFormatConversion.toParquet(table) });
  });
  expect(findings).toEqual([]);
});
