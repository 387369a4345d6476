/**
 * ConsumerCode.fromHandlerFile needs esbuild at synth time. A machine without it gets a message that names the fix,
 * instead of NodejsFunction's fallback to Docker and a message about Docker.
 */
import { App, DockerImage, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { HANDLER_FILE, stackWithStream } from './helpers';
import { ConsumerCode, LambdaStreamConsumer } from '../../src/consumers';
import { esbuildAvailable, setEsbuildLookup } from '../../src/private/esbuild';

const notInstalled = (request: string): string => {
  throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
};

afterEach(() => setEsbuildLookup(undefined));

describe('esbuild for ConsumerCode.fromHandlerFile', () => {
  test('the real lookup finds the esbuild this repository installs', () => {
    expect(esbuildAvailable()).toBe(true);
  });

  test('an esbuild on PATH counts when the package cannot be required', () => {
    setEsbuildLookup({ resolve: notInstalled, onPath: () => true });
    expect(esbuildAvailable()).toBe(true);
  });

  test('without esbuild, synth fails with the construct path, the handler file and the fix', () => {
    setEsbuildLookup({ resolve: notInstalled, onPath: () => false });
    const { stack, stream } = stackWithStream();
    expect(() => new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromHandlerFile(HANDLER_FILE) }))
      .toThrow(`Stack/Consumer: ConsumerCode.fromHandlerFile bundles ${HANDLER_FILE} with esbuild at synth time, and esbuild is not installed: `
        + 'add it to your app (`npm install --save-dev esbuild`), or set bundling.forceDockerBundling to bundle in Docker');
  });

  test('bundling in Docker on purpose does not need esbuild', () => {
    setEsbuildLookup({ resolve: notInstalled, onPath: () => false });
    // No stack is bundled here (as with `cdk synth --exclusively` for another stack), and the image is pulled, not built:
    // the test needs no Docker either.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack');
    const stream = new kinesis.Stream(stack, 'Stream', { shardCount: 1 });
    const code = ConsumerCode.fromHandlerFile(HANDLER_FILE, { bundling: { forceDockerBundling: true, dockerImage: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x') } });
    expect(() => new LambdaStreamConsumer(stack, 'Consumer', { stream, code })).not.toThrow();
  });
});
