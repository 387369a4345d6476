import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export const HANDLER_FILE = path.join(__dirname, 'fixtures', 'click-handler.ts');

export function stackWithStream(): { app: App; stack: Stack; stream: kinesis.Stream } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const stream = new kinesis.Stream(stack, 'Stream', { shardCount: 2 });
  return { app, stack, stream };
}

/** A function with inline code: no bundling, so construct tests stay fast. */
export function inlineFunction(stack: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, {
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
  });
}

export function warningsOf(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
}

export const template = (stack: Stack) => Template.fromStack(stack);
