import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { IConstruct } from 'constructs';
import { KinesisLimits } from './limits';
import { checkRequired, describe, fail, RuleScope } from './rules';

/**
 * Checks on a stream a construct is handed, which may be any aws-cdk-lib `IStream`: `Stream.fromStreamArn` takes any
 * string, so a malformed ARN would otherwise reach an IAM policy and an event source mapping, and fail at deploy time.
 */

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;

/** The stream must be an `IStream` whose ARN, when known at synth time, is a Kinesis data stream ARN. */
export function checkHandedStream(scope: RuleScope, what: string, stream: kinesis.IStream | undefined): void {
  checkRequired(scope, what, stream);
  if (typeof stream !== 'object' || typeof (stream as kinesis.IStream).streamArn !== 'string') {
    fail(scope, `${what} must be a Kinesis stream (kinesis.IStream), got ${describe(stream)}`);
  }
  const arn = stream.streamArn;
  if (Token.isUnresolved(arn)) return;
  const expected = "'arn:<partition>:kinesis:<region>:<12-digit account>:stream/<name>'";
  let parts;
  try {
    parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    fail(scope, `${what} has the ARN '${arn}', which is not an ARN: expected ${expected}`);
  }
  if (parts.service !== 'kinesis' || parts.resource !== 'stream') {
    fail(scope, `${what} has the ARN '${arn}', which is not a Kinesis data stream ARN: expected ${expected}`);
  }
  if (!REGION.test(parts.region ?? '')) fail(scope, `${what} has the ARN '${arn}', whose region '${parts.region}' is not a Region name such as 'eu-west-1'`);
  if (!ACCOUNT.test(parts.account ?? '')) fail(scope, `${what} has the ARN '${arn}', whose account '${parts.account}' is not 12 digits`);
  const name = parts.resourceName ?? '';
  if (!STREAM_NAME.test(name)) {
    fail(scope, `${what} has the ARN '${arn}', whose stream name '${name}' is not 1 to ${KinesisLimits.MAX_STREAM_NAME_LENGTH} letters, digits, _, . or -`);
  }
}

/**
 * A Lambda event source mapping, like a Firehose delivery stream, reads a stream of its own Region only: a stream ARN
 * of another Region fails at deploy time, so it is refused here when both Regions are known.
 */
export function checkSameRegion(scope: IConstruct, what: string, stream: kinesis.IStream, reader = 'a Lambda event source mapping'): void {
  const arn = stream.streamArn;
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(arn) || Token.isUnresolved(region)) return;
  const streamRegion = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
  if (streamRegion && streamRegion !== region) {
    fail(scope, `${what} '${arn}' is in ${streamRegion}, but this stack is in ${region}: ${reader} reads streams of its own Region only; `
      + 'deploy it in the stream\'s Region');
  }
}
