import { Duration, Size } from 'aws-cdk-lib';

/**
 * How long, and how much, Firehose buffers before it writes to a destination. Firehose delivers when either hint is
 * reached first. Shared by every destination; each destination validates against its own range.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html
 */
export interface BufferingOptions {
  /**
   * Buffer size.
   *
   * Minimum: `Size.mebibytes(1)` (64 MiB when dynamic partitioning or record format conversion is on).
   * Maximum: `Size.mebibytes(128)` for S3.
   *
   * @default Size.mebibytes(5), or Size.mebibytes(128) when dynamic partitioning or record format conversion is on
   */
  readonly size?: Size;

  /**
   * Buffer interval. `Duration.seconds(0)` is zero buffering (deliver as soon as possible), which dynamic
   * partitioning does not allow.
   *
   * Minimum: `Duration.seconds(0)` (60 seconds when dynamic partitioning is on).
   * Maximum: `Duration.seconds(900)`.
   *
   * @default Duration.seconds(300)
   */
  readonly interval?: Duration;
}
