import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { S3DeliveryStream, S3DeliveryStreamProps } from '../../src/delivery';

/** A stack in a fixed environment, so that account and region resolve in assertions. */
export function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** Synthesizes one `S3DeliveryStream` with `props` and returns the stack's template and the construct. */
export function synth(props: S3DeliveryStreamProps = {}, stack: Stack = newStack()): { template: Template; delivery: S3DeliveryStream; stack: Stack } {
  const delivery = new S3DeliveryStream(stack, 'Delivery', props);
  return { template: Template.fromStack(stack), delivery, stack };
}

/** The ExtendedS3DestinationConfiguration of the only delivery stream in `template`. */
export function s3Config(template: Template): Record<string, any> {
  const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
  if (streams.length !== 1) throw new Error(`expected one delivery stream, found ${streams.length}`);
  return streams[0].Properties.ExtendedS3DestinationConfiguration;
}

/** The properties of the only delivery stream in `template`. */
export function streamProps(template: Template): Record<string, any> {
  return Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'))[0].Properties;
}

/** What `fn` throws, as a message. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
