/**
 * Environment for every test file, so that the output shows test results only.
 *
 * - The AWS SDK prints a multi-line banner when it runs on a Node.js version its next major drops.
 * - aws-cdk-lib records a stack trace with every annotation and construct; tests never read them, and they cost time.
 * - jsii prints a banner when it runs on a Node.js version it no longer supports.
 */
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
process.env.CDK_DISABLE_STACK_TRACE ??= '1';
process.env.JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION ??= '1';
