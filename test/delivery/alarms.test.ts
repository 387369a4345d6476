import { Duration, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sns from 'aws-cdk-lib/aws-sns';
import { newStack, synth } from './support';
import { DeliveryDestinationKind, DeliverySource, DynamicPartitioning, RecordTransform } from '../../src/delivery';

function alarms(template: Template): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const r of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) out[r.Properties.MetricName] = r.Properties;
  return out;
}

const DIMENSION = [{ Name: 'DeliveryStreamName', Value: { Ref: expect.stringMatching(/^DeliveryDeliveryStream/) } }];

describe('DeliveryStreamAlarms on an S3 delivery stream', () => {
  test('direct PUT defaults: freshness, delivery success, throttled puts, each naming its delivery stream', () => {
    const a = alarms(synth().template);
    expect(Object.keys(a).sort()).toEqual(['DeliveryToS3.DataFreshness', 'DeliveryToS3.Success', 'ThrottledRecords']);
    for (const alarm of Object.values(a)) {
      expect(alarm.Dimensions).toEqual(DIMENSION);
      expect(alarm.Namespace).toBe('AWS/Firehose');
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.EvaluationPeriods).toBe(3);
    }
    // 300 s buffering: a record should wait at most 300 s; twice that is the threshold.
    expect(a['DeliveryToS3.DataFreshness']).toMatchObject({ Statistic: 'Maximum', Threshold: 600, ComparisonOperator: 'GreaterThanThreshold', Period: 300 });
    expect(a['DeliveryToS3.Success']).toMatchObject({ Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
    expect(a.ThrottledRecords).toMatchObject({ Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  test('the freshness threshold follows the buffering interval, with a 5-minute floor', () => {
    expect(alarms(synth({ buffering: { interval: Duration.seconds(900) } }).template)['DeliveryToS3.DataFreshness'].Threshold).toBe(1800);
    expect(alarms(synth({ buffering: { interval: Duration.seconds(0) } }).template)['DeliveryToS3.DataFreshness'].Threshold).toBe(300);
  });

  test('dynamic partitioning and a transform: 1.5 times the interval plus the transform\'s, partitions and transform alarms', () => {
    const a = alarms(synth({
      transform: RecordTransform.bundled({ partitionKeyFields: { service: 'service' }, bufferInterval: Duration.seconds(60) }),
      dynamicPartitioning: DynamicPartitioning.byTransform(),
      dataOutputPrefix: 'logs/service=!{partitionKeyFromLambda:service}/',
      buffering: { size: Size.mebibytes(64), interval: Duration.seconds(300) },
    }).template);
    expect(a['DeliveryToS3.DataFreshness'].Threshold).toBe(2 * (300 * 1.5 + 60));
    expect(a.PartitionCountExceeded).toMatchObject({ Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: DIMENSION });
    expect(a['ExecuteProcessing.Success']).toMatchObject({ Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold', Dimensions: DIMENSION });
  });

  test('a transform without a buffer interval counts the service default of 60 s', () => {
    expect(alarms(synth({ transform: RecordTransform.bundled() }).template)['DeliveryToS3.DataFreshness'].Threshold).toBe(2 * (300 + 60));
  });

  test('a Kinesis stream source watches throttled reads instead of throttled puts', () => {
    const stack = newStack();
    const a = alarms(synth({ source: DeliverySource.kinesisStream(new kinesis.Stream(stack, 'S')) }, stack).template);
    expect(a.ThrottledGetRecords).toMatchObject({ Statistic: 'Sum', Threshold: 0, Dimensions: DIMENSION });
    expect(a.ThrottledRecords).toBeUndefined();
  });

  test('a source backup adds the backup alarm, as on the other destinations: a failed backup write loses the raw copy', () => {
    const { template, delivery } = synth({ transform: RecordTransform.bundled(), sourceBackup: {} });
    const a = alarms(template);
    expect(Object.keys(a).sort()).toEqual(['BackupToS3.Success', 'DeliveryToS3.DataFreshness', 'DeliveryToS3.Success', 'ExecuteProcessing.Success', 'ThrottledRecords']);
    expect(a['BackupToS3.Success']).toMatchObject({ Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold', Period: 300, Dimensions: DIMENSION });
    expect(delivery.alarms?.backupFailures).toBeDefined();
  });

  test('options: threshold, evaluation periods, actions; or no alarms', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    const alarmOptions = { freshnessThreshold: Duration.minutes(20), evaluationPeriods: 1, alarmActions: [new cwActions.SnsAction(topic)] };
    const a = alarms(synth({ alarmOptions }, stack).template);
    expect(a['DeliveryToS3.DataFreshness']).toMatchObject({ Threshold: 1200, EvaluationPeriods: 1, AlarmActions: [{ Ref: expect.stringMatching(/^Topic/) }] });
    synth({ alarms: false }).template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('destination kinds name their metrics', () => {
    const K = DeliveryDestinationKind;
    const kinds = [K.S3, K.REDSHIFT, K.OPENSEARCH, K.SPLUNK, K.HTTP_ENDPOINT];
    expect(kinds.map((k) => [k.freshnessMetricName, k.successMetricName])).toEqual([
      ['DeliveryToS3.DataFreshness', 'DeliveryToS3.Success'],
      ['DeliveryToS3.DataFreshness', 'DeliveryToRedshift.Success'],
      ['DeliveryToAmazonOpenSearchService.DataFreshness', 'DeliveryToAmazonOpenSearchService.Success'],
      ['DeliveryToSplunk.DataFreshness', 'DeliveryToSplunk.Success'],
      ['DeliveryToHttpEndpoint.DataFreshness', 'DeliveryToHttpEndpoint.Success'],
    ]);
  });
});
