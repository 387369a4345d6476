import { Size, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { DataStream } from '../../src';
import { nagFindings } from '../support/nag';

describe('cdk-nag AwsSolutions', () => {
  test.each([
    ['on-demand with defaults', {}],
    ['planned from throughput', { throughput: { recordsPerSecond: 1000, averageRecordSize: Size.kibibytes(1) } }],
  ])('a DataStream %s has no findings', (_what, props) => {
    expect(nagFindings((app) => {
      const ds = new DataStream(new Stack(app, 'Nag'), 'Stream', props);
      ds.addEnhancedFanOutConsumer('Consumer');
    })).toEqual([]);
  });

  test('a customer managed key is reported as a cost warning (KDS3), by cdk-nag design', () => {
    expect(nagFindings((app) => {
      new DataStream(new Stack(app, 'Nag'), 'Stream', { encryption: kinesis.StreamEncryption.KMS });
    })).toEqual(['AwsSolutions-KDS3 at Nag/Stream/Resource']);
  });

  test('an unencrypted stream is found (the check is live)', () => {
    expect(nagFindings((app) => {
      new DataStream(new Stack(app, 'Nag'), 'Stream', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
    })).toEqual([expect.stringMatching(/^AwsSolutions-KDS1 at Nag\/Stream/)]);
  });
});
