/**
 * Environment for every test file, so that the output shows test results only.
 *
 * - The AWS SDK v3 prints a multi-line NodeVersionSupportWarning when a client is created on a Node.js version its
 *   next major release drops (Node.js 20, our minimum); v2's maintenance banner has its own variable.
 * - aws-cdk-lib records a stack trace with every construct and annotation; tests never read them, and they cost time.
 * - jsii prints a banner when it runs on a Node.js version it no longer supports (the packaging tests run it).
 * - aws-cdk-lib warns of deprecated APIs on the console as they are called, including its own: TableV2 passes the
 *   deprecated TableGrantsProps to itself (2.265). To see those of ours, run a test with JSII_DEPRECATED=warn.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
process.env.CDK_DISABLE_STACK_TRACE ??= '1';
process.env.JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION ??= '1';
process.env.JSII_DEPRECATED ??= 'quiet';

// aws-cdk-lib writes `Bundling asset <path>...` to stderr, unconditionally, each time it bundles an asset (a
// `ConsumerCode.fromHandlerFile` handler): the progress line a user sees in `cdk synth`, noise in a test run. That
// line only is dropped; everything else written to stderr passes.
const BUNDLING_PROGRESS = /^Bundling asset [^\n]*\.\.\.\r?\n?$/;
const writeStderr = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
  (typeof chunk === 'string' && BUNDLING_PROGRESS.test(chunk)) || writeStderr(chunk, ...rest)) as typeof process.stderr.write;
