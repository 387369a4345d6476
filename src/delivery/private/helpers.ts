import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { FirehoseLimits } from '../../validation/limits';
import { checkRange, describe, fail, RuleScope, wholeSeconds } from '../../validation/rules';
import { BufferingOptions } from '../buffering';

/** Default prefixes, shared by the destinations that write to S3. */
export const DEFAULT_PREFIXES = {
  data: 'data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
  error: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
  backup: 'source-backup/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
  backupError: 'source-backup-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
};

/** The buffering range of a destination and the features that narrow it. */
export interface BufferingConstraints {
  readonly minSizeMiB: number;
  readonly maxSizeMiB: number;
  readonly defaultSizeMiB: number;
  readonly minIntervalSeconds: number;
  readonly maxIntervalSeconds: number;
  readonly defaultIntervalSeconds: number;
  /** Why the minimum is what it is, for the message (e.g. 'dynamic partitioning is on'). */
  readonly reason?: string;
}

/** Buffering hints after defaults and validation. */
export interface ResolvedBuffering {
  readonly size: Size;
  readonly interval: Duration;
  readonly sizeMiB: number;
  readonly intervalSeconds: number;
}

/** The S3 destination's buffering range, narrowed by dynamic partitioning and record format conversion. */
export function s3BufferingConstraints(dynamicPartitioning: boolean, formatConversion: boolean): BufferingConstraints {
  const large = dynamicPartitioning || formatConversion;
  return {
    minSizeMiB: dynamicPartitioning ? FirehoseLimits.MIN_DYNAMIC_PARTITIONING_BUFFER_SIZE_MIB
      : formatConversion ? FirehoseLimits.MIN_RECORD_FORMAT_CONVERSION_BUFFER_SIZE_MIB : FirehoseLimits.MIN_BUFFER_SIZE_MIB,
    maxSizeMiB: FirehoseLimits.MAX_BUFFER_SIZE_MIB,
    defaultSizeMiB: large ? FirehoseLimits.MAX_BUFFER_SIZE_MIB : FirehoseLimits.DEFAULT_BUFFER_SIZE_MIB,
    minIntervalSeconds: dynamicPartitioning ? FirehoseLimits.MIN_DYNAMIC_PARTITIONING_BUFFER_INTERVAL_SECONDS : FirehoseLimits.MIN_BUFFER_INTERVAL_SECONDS,
    maxIntervalSeconds: FirehoseLimits.MAX_BUFFER_INTERVAL_SECONDS,
    defaultIntervalSeconds: FirehoseLimits.DEFAULT_BUFFER_INTERVAL_SECONDS,
    reason: dynamicPartitioning ? 'dynamic partitioning is on' : formatConversion ? 'record format conversion is on' : undefined,
  };
}

/** Applies defaults and checks the hints against the destination's range; `what` names the option in messages. */
export function resolveBuffering(scope: RuleScope, what: string, options: BufferingOptions | undefined, c: BufferingConstraints): ResolvedBuffering {
  const size = options?.size ?? Size.mebibytes(c.defaultSizeMiB);
  const interval = options?.interval ?? Duration.seconds(c.defaultIntervalSeconds);
  const sizeMiB = mebibytesOf(scope, `${what}.size`, size);
  const intervalSeconds = wholeSeconds(scope, `${what}.interval`, interval)!;
  const hint = c.reason ? `The minimum applies because ${c.reason}` : undefined;
  checkRange(scope, `${what}.size`, sizeMiB, c.minSizeMiB, c.maxSizeMiB, 'MiB', hint);
  if (!Token.isUnresolved(sizeMiB) && !Number.isInteger(sizeMiB)) fail(scope, `${what}.size must be a whole number of MiB, got ${sizeMiB} MiB`);
  checkRange(scope, `${what}.interval`, intervalSeconds, c.minIntervalSeconds, c.maxIntervalSeconds, 'seconds', hint);
  return { size, interval, sizeMiB, intervalSeconds };
}

/** Checks that a destination supports the compression (Redshift's COPY, for one, reads only GZIP or none). */
export function checkCompression(scope: RuleScope, what: string, compression: firehose.Compression, allowed: firehose.Compression[], reason?: string): void {
  if (!allowed.some((a) => a.value === compression.value)) {
    fail(scope, `${what} ${compression.value} is not supported here${reason ? ` (${reason})` : ''}; use one of ${allowed.map((a) => a.value).join(', ')}`);
  }
}

/** The buffering interval of a transform, for the freshness alarm: the service default when it is not set or a token. */
export function transformInterval(processor: firehose.IDataProcessor): Duration {
  const interval = processor.props.bufferInterval;
  if (interval && !interval.isUnresolved()) return interval;
  return Duration.seconds(FirehoseLimits.DEFAULT_TRANSFORM_BUFFER_INTERVAL_SECONDS);
}

/** A size in MiB, for the template: a token given in MiB is passed through; any other token cannot be converted. */
export function mebibytesOf(scope: RuleScope, what: string, size: Size): number {
  if (!(size instanceof Size)) fail(scope, `${what} must be a Size, got ${describe(size)}`);
  if (size.isUnresolved()) {
    try {
      return size.toMebibytes();
    } catch {
      fail(scope, `${what} comes from a token in another unit than MiB and cannot be converted at synth time: use Size.mebibytes(token)`);
    }
  }
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}
