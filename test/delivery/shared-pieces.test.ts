import { Duration, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { errorOf, newStack, streamProps, synth } from './support';
import { DeliveryBucket, DeliveryDestinationKind, DeliverySource, RecordFilter } from '../../src/delivery';
import { checkCompression, resolveBuffering } from '../../src/delivery/private/helpers';

describe('pieces shared by every destination', () => {
  test('DeliverySource.directPut() is the default source', () => {
    expect(DeliverySource.directPut().stream).toBeUndefined();
    expect(streamProps(synth({ source: DeliverySource.directPut() }).template).DeliveryStreamType).toBe('DirectPut');
  });

  test('RecordFilter factories render their operator and values', () => {
    expect([
      RecordFilter.fieldEquals('a', 1), RecordFilter.fieldNotEquals('a', null), RecordFilter.fieldIn('a', ['x']),
      RecordFilter.fieldNotIn('a', [true]), RecordFilter.fieldExists('a'), RecordFilter.fieldNotExists('a.b'),
    ].map((f) => f._render())).toEqual([
      { field: 'a', operator: 'equals', values: [1] },
      { field: 'a', operator: 'notEquals', values: [null] },
      { field: 'a', operator: 'in', values: ['x'] },
      { field: 'a', operator: 'notIn', values: [true] },
      { field: 'a', operator: 'exists', values: [] },
      { field: 'a.b', operator: 'notExists', values: [] },
    ]);
  });

  test('checkCompression refuses what a destination cannot read, naming what it can', () => {
    const allowed = [firehose.Compression.GZIP, firehose.Compression.UNCOMPRESSED];
    expect(() => checkCompression('Stack/Redshift', 'compression', firehose.Compression.GZIP, allowed)).not.toThrow();
    expect(errorOf(() => checkCompression('Stack/Redshift', 'compression', firehose.Compression.SNAPPY, allowed)))
      .toBe('Stack/Redshift: compression Snappy is not supported here; use one of GZIP, UNCOMPRESSED');
  });

  test('resolveBuffering applies a destination\'s own range and defaults', () => {
    const range = { minSizeMiB: 1, maxSizeMiB: 64, defaultSizeMiB: 5, minIntervalSeconds: 0, maxIntervalSeconds: 900, defaultIntervalSeconds: 60 };
    expect(resolveBuffering('Stack/Http', 'buffering', undefined, range)).toMatchObject({ sizeMiB: 5, intervalSeconds: 60 });
    expect(resolveBuffering('Stack/Http', 'buffering', { size: Size.mebibytes(64), interval: Duration.minutes(2) }, range)).toMatchObject({ sizeMiB: 64, intervalSeconds: 120 });
    expect(errorOf(() => resolveBuffering('Stack/Http', 'buffering', { size: Size.mebibytes(65) }, range))).toBe('Stack/Http: buffering.size must be between 1 and 64 MiB, got 65 MiB');
  });

  test('DeliveryDestinationKind.of names the metrics of a destination the library does not know yet', () => {
    const kind = DeliveryDestinationKind.of('DeliveryToSnowflake', 'DeliveryToSnowflake');
    expect([kind.freshnessMetricName, kind.successMetricName]).toEqual(['DeliveryToSnowflake.DataFreshness', 'DeliveryToSnowflake.Success']);
  });

  test('DeliveryBucket logs to your access-logs bucket, or keeps its own logs for the given retention', () => {
    const stack = newStack();
    const logs = new s3.Bucket(stack, 'CentralLogs');
    const mine = new DeliveryBucket(stack, 'WithMine', { accessLogsBucket: logs });
    new DeliveryBucket(stack, 'WithOwn', { accessLogsRetention: Duration.days(90) });
    expect(mine.accessLogsBucket).toBe(logs);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(logs.node.defaultChild as s3.CfnBucket) } } });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 90, Status: 'Enabled' }] } });
    template.resourceCountIs('AWS::KMS::Key', 2);
  });
});
