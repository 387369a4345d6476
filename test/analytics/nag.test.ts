import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { pythonCode } from './support';
import { build as anomalyDetection } from '../../examples/anomaly-detection/app';
import { build as clickstreamSql } from '../../examples/clickstream-sql/app';
import { DataStream, FlinkApplication, FlinkReadMode, S3DeliveryStream, StudioNotebook } from '../../src';
import { nagFindings } from '../support/nag';

describe('cdk-nag AwsSolutions', () => {
  test.each([['anomaly-detection', anomalyDetection], ['clickstream-sql', clickstreamSql]])('example %s is clean', (_name, build) => {
    expect(nagFindings(build)).toEqual([]);
  });

  test('an application with every kind of source and sink, in a VPC, is clean', () => {
    expect(nagFindings((app) => {
      const s = new Stack(app, 'Nag', { env: { region: 'eu-west-1', account: '111111111111' } });
      const vpc = new ec2.Vpc(s, 'Vpc', { natGateways: 1 });
      vpc.addFlowLog('FlowLog');
      const flink = new FlinkApplication(s, 'App', { code: pythonCode(), vpc });
      flink.addSource(new DataStream(s, 'In'), { readMode: FlinkReadMode.EFO });
      flink.addSource(new DataStream(s, 'Polled'));
      flink.addKinesisSink(new DataStream(s, 'Out'));
      flink.addS3Sink(new s3.Bucket(s, 'Lake', { enforceSSL: true, serverAccessLogsPrefix: 'logs/', encryption: s3.BucketEncryption.KMS }), { prefix: 'alerts/' });
      flink.addFirehoseSink(new S3DeliveryStream(s, 'Archive').deliveryStream);
      new StudioNotebook(s, 'Notebook', { streams: [kinesis.Stream.fromStreamArn(s, 'Imported', 'arn:aws:kinesis:eu-west-1:111111111111:stream/x')], vpc });
    })).toEqual([]);
  });
});
