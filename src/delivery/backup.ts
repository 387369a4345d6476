import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BufferingOptions } from './buffering';

/**
 * Backup of the source records (as Firehose received them, before any transform or format conversion) to S3.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-configure-backup.html
 */
export interface SourceBackupOptions {
  /**
   * The bucket that receives the backup.
   *
   * @default - the destination bucket, under `prefix`
   */
  readonly bucket?: s3.IBucket;

  /**
   * Prefix of the backup objects; may use `!{timestamp:...}` and `!{firehose:random-string}` expressions.
   *
   * @default 'source-backup/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/'
   * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
   */
  readonly prefix?: string;

  /**
   * Prefix of the backup's failed writes; must contain `!{firehose:error-output-type}` when it uses expressions.
   *
   * @default 'source-backup-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/'
   */
  readonly errorOutputPrefix?: string;

  /**
   * Buffering of the backup writes.
   *
   * @default - Size.mebibytes(5) and Duration.seconds(300)
   */
  readonly buffering?: BufferingOptions;

  /**
   * Compression of the backup objects.
   *
   * @default Compression.GZIP
   */
  readonly compression?: firehose.Compression;
}

