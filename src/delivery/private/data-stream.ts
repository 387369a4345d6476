import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { IConstruct } from 'constructs';
import { DataStream } from '../../streams/data-stream';
import { KinesisLimits } from '../../validation/limits';
import { warn } from '../../validation/rules';
import { checkSameRegion } from '../../validation/stream-identity';

/**
 * The one place a delivery stream tells a `DataStream` that it reads it. Any other `kinesis.IStream` has no capacity
 * model to update, so nothing is done for it.
 */
export function registerWithDataStream(stream: kinesis.IStream, deliveryStream: IConstruct): void {
  checkSameRegion(deliveryStream, 'source stream', stream, 'a Firehose delivery stream');
  if (!DataStream.isDataStream(stream)) return;
  stream.registerSharedThroughputConsumer(deliveryStream);
  if (stream.maxRecordSizeBytes > KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES) {
    warn(deliveryStream, 'FirehoseLargeRecords', `${stream.node.path} accepts records of up to ${stream.maxRecordSizeBytes} bytes, more than the ` +
      `${KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES} bytes Firehose was designed around: check that Firehose delivers records of that size ` +
      '(https://docs.aws.amazon.com/streams/latest/dev/large-records.html) or keep producers below it');
  }
}
