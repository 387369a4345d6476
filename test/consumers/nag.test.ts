import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { HANDLER_FILE } from './helpers';
import { ConsumerCode, DynamoDbStreamSink, FailureDestination, LambdaStreamConsumer, StreamReadMode } from '../../src/consumers';
import { DataStream } from '../../src/streams/data-stream';
import { nagFindings } from '../support/nag';

test('cdk-nag AwsSolutions findings of the consumers, each one accounted for', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Nag');
    const stream = new DataStream(stack, 'Stream', {});
    new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE), idempotency: true });
    new DynamoDbStreamSink(stack, 'Sink', { stream, readMode: StreamReadMode.enhancedFanOut() });
  });
  expect(findings.sort()).toEqual([]);
});

test('a failure queue the user brings is not acknowledged on their behalf (the checks are live)', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Nag');
    const stream = new DataStream(stack, 'Stream', {});
    const queue = new sqs.Queue(stack, 'Mine');
    new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE), onFailure: FailureDestination.sqs(queue) });
  });
  expect(findings.sort()).toEqual(['AwsSolutions-SQS3 at Nag/Mine/Resource', 'AwsSolutions-SQS4 at Nag/Mine/Resource']);
});
