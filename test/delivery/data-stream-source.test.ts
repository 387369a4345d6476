import { Size } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { newStack } from './support';
import { DeliverySource, S3DeliveryStream } from '../../src/delivery';
import { DataStream } from '../../src/streams';

describe('a DataStream source', () => {
  test('registers the delivery stream as one shared-throughput consumer of the stream', () => {
    const stack = newStack();
    const stream = new DataStream(stack, 'Stream', { shardCount: 1 });
    const register = jest.spyOn(stream, 'registerSharedThroughputConsumer');
    const delivery = new S3DeliveryStream(stack, 'Delivery', { source: DeliverySource.kinesisStream(stream) });
    expect(register).toHaveBeenCalledTimes(1);
    expect(register).toHaveBeenCalledWith(delivery.deliveryStream);
  });

  test('counts in the stream\'s read capacity: a sixth shared consumer oversubscribes GetRecords', () => {
    const stack = newStack();
    const stream = new DataStream(stack, 'Stream', { shardCount: 1 });
    for (let i = 0; i < 6; i++) new S3DeliveryStream(stack, `Delivery${i}`, { source: DeliverySource.kinesisStream(stream) });
    Annotations.fromStack(stack).hasWarning('/Stack/Stream', Match.stringLikeRegexp('6 shared-throughput consumers read this stream'));
  });

  test('warns when the stream accepts records larger than 1 MiB', () => {
    const stack = newStack();
    const stream = new DataStream(stack, 'Stream', { shardCount: 1, maxRecordSize: Size.mebibytes(2) });
    new S3DeliveryStream(stack, 'Delivery', { source: DeliverySource.kinesisStream(stream) });
    Annotations.fromStack(stack).hasWarning('/Stack/Delivery/DeliveryStream', Match.stringLikeRegexp('Stack/Stream accepts records of up to 2097152 bytes'));
    const quiet = newStack();
    new S3DeliveryStream(quiet, 'Delivery', { source: DeliverySource.kinesisStream(new DataStream(quiet, 'Stream', { shardCount: 1 })) });
    Annotations.fromStack(quiet).hasNoWarning('*', Match.stringLikeRegexp('accepts records of up to'));
  });

  test('any other kinesis.IStream is read without registration', () => {
    const stack = newStack();
    const stream = kinesis.Stream.fromStreamArn(stack, 'Imported', 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks');
    expect(() => new S3DeliveryStream(stack, 'Delivery', { source: DeliverySource.kinesisStream(stream) })).not.toThrow();
  });
});
