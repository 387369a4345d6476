import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { secret } from './destination-support';
import { newStack } from './support';
import {
  DeliverySource, HttpEndpointDeliveryStream, OpenSearchDeliveryStream, OpenSearchTarget, RecordTransform, RedshiftDeliveryStream, RedshiftTarget,
  SplunkDeliveryStream, SplunkEndpointType,
} from '../../src/delivery';
import { DataStream } from '../../src/streams';

function alarms(stack: Stack): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const [id, r] of Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))) {
    if (id.startsWith('DeliveryAlarms')) out[r.Properties.MetricName] = r.Properties;
  }
  return out;
}

const REDSHIFT = (stack: Stack) => ({
  target: RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com', databaseName: 'd' }),
  credentials: secret(stack),
  tableName: 't',
});

describe('alarms of each destination watch its own delivery metrics, on its delivery stream', () => {
  test.each<[string, (stack: Stack) => void, string, string, number, string]>([
    ['Redshift (freshness of the intermediate S3 delivery)', (s) => new RedshiftDeliveryStream(s, 'Delivery', REDSHIFT(s)),
      'DeliveryToS3.DataFreshness', 'DeliveryToRedshift.Success', 600, 'DeliveryToS3.Success'],
    ['OpenSearch Service', (s) => new OpenSearchDeliveryStream(s, 'Delivery', {
      target: OpenSearchTarget.domain(opensearch.Domain.fromDomainEndpoint(s, 'D', 'https://search-logs-abc.eu-west-1.es.amazonaws.com')), indexName: 'logs',
    }), 'DeliveryToAmazonOpenSearchService.DataFreshness', 'DeliveryToAmazonOpenSearchService.Success', 600, 'BackupToS3.Success'],
    ['OpenSearch Serverless', (s) => new OpenSearchDeliveryStream(s, 'Delivery', {
      target: OpenSearchTarget.collection({ collectionEndpoint: 'https://abc.eu-west-1.aoss.amazonaws.com', collectionArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc' }),
      indexName: 'logs',
    }), 'DeliveryToAmazonOpenSearchServerless.DataFreshness', 'DeliveryToAmazonOpenSearchServerless.Success', 600, 'BackupToS3.Success'],
    // Splunk buffers 60 s at most: the 5-minute floor applies.
    ['Splunk', (s) => new SplunkDeliveryStream(s, 'Delivery', { hecEndpoint: 'https://hec.example.com', hecEndpointType: SplunkEndpointType.EVENT, hecToken: secret(s) }),
      'DeliveryToSplunk.DataFreshness', 'DeliveryToSplunk.Success', 300, 'BackupToS3.Success'],
    ['HTTP endpoint', (s) => new HttpEndpointDeliveryStream(s, 'Delivery', { url: 'https://collector.example.com/v1', buffering: { interval: Duration.seconds(600) } }),
      'DeliveryToHttpEndpoint.DataFreshness', 'DeliveryToHttpEndpoint.Success', 1200, 'BackupToS3.Success'],
  ])('%s', (_name, create, freshness, success, threshold, s3Success) => {
    const stack = newStack();
    create(stack);
    const a = alarms(stack);
    expect(Object.keys(a).sort()).toEqual([freshness, success, s3Success, 'ThrottledRecords'].sort());
    // Redshift's staging, or the backup of the others: a failed S3 write there stops loads or loses records.
    expect(a[s3Success]).toMatchObject({ Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
    expect(a[freshness]).toMatchObject({ Statistic: 'Maximum', Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold' });
    expect(a[success]).toMatchObject({ Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
    for (const alarm of Object.values(a)) {
      expect(alarm.Dimensions).toEqual([{ Name: 'DeliveryStreamName', Value: { Ref: expect.stringMatching(/^DeliveryDeliveryStream/) } }]);
    }
  });

  test('a transform adds its alarm and its interval to the threshold, a source backup its own; a stream source watches throttled reads; alarms can be turned off', () => {
    const stack = newStack();
    new RedshiftDeliveryStream(stack, 'Delivery', {
      ...REDSHIFT(stack),
      source: DeliverySource.kinesisStream(new DataStream(stack, 'Stream', { shardCount: 1 })),
      transform: RecordTransform.bundled({ bufferInterval: Duration.seconds(30) }),
      alarmOptions: { evaluationPeriods: 2 },
      sourceBackup: {},
    });
    const a = alarms(stack);
    expect(Object.keys(a).sort()).toEqual(['BackupToS3.Success', 'DeliveryToRedshift.Success', 'DeliveryToS3.DataFreshness', 'DeliveryToS3.Success', 'ExecuteProcessing.Success',
      'ThrottledGetRecords']);
    expect(a['DeliveryToS3.DataFreshness']).toMatchObject({ Threshold: 2 * (300 + 30), EvaluationPeriods: 2 });
    const off = newStack();
    new SplunkDeliveryStream(off, 'Delivery', { hecEndpoint: 'https://hec.example.com', hecEndpointType: SplunkEndpointType.RAW, hecToken: secret(off), alarms: false });
    Template.fromStack(off).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('a DataStream source counts the delivery stream as one of its shared-throughput consumers', () => {
    const stack = newStack();
    const stream = new DataStream(stack, 'Stream', { shardCount: 1 });
    const register = jest.spyOn(stream, 'registerSharedThroughputConsumer');
    const delivery = new HttpEndpointDeliveryStream(stack, 'Delivery', { url: 'https://collector.example.com/v1', source: DeliverySource.kinesisStream(stream) });
    expect(register).toHaveBeenCalledWith(delivery.deliveryStream);
  });
});
