import { Duration, Token } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BufferingOptions } from './buffering';
import { DeliveryDestinationKind } from './delivery-stream-alarms';
import { DestinationDeliveryStreamBase } from './destination-delivery-stream';
import { DestinationBackupOptions, DestinationDeliveryStreamProps } from './destination-props';
import { destinationBufferingConstraints } from './private/destination';
import { FirehoseLimits } from '../validation/limits';
import { checkName, fail, requiredPropsAt } from '../validation/rules';

/**
 * How Firehose encodes the body of each request.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html
 */
export class HttpContentEncoding {
  /** The body as is. */
  public static readonly NONE = new HttpContentEncoding('NONE');
  /** The body compressed with gzip (`Content-Encoding: gzip`), when the endpoint accepts it. */
  public static readonly GZIP = new HttpContentEncoding('GZIP');

  /** The encoding as Firehose's `RequestConfiguration.ContentEncoding` takes it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/** Properties of an `HttpEndpointDeliveryStream`. */
export interface HttpEndpointDeliveryStreamProps extends DestinationDeliveryStreamProps {
  /**
   * The endpoint's URL; https only. For a partner (Datadog, New Relic, Dynatrace, ...), the URL the partner documents
   * for Firehose, e.g. Datadog's `https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input` (US1 logs).
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-http
   */
  readonly url: string;

  /**
   * A name of the endpoint, shown in the console and the logs (1 to 256 characters).
   *
   * @default - no name
   */
  readonly endpointName?: string;

  /**
   * The access key, as a Secrets Manager secret with the JSON key `api_key`; Firehose sends it in the
   * `X-Amz-Firehose-Access-Key` header and reads it at delivery time, so it is never in the template.
   *
   * @default - no access key (the endpoint must authenticate requests some other way)
   * @see https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html
   */
  readonly accessKey?: secretsmanager.ISecret;

  /**
   * Encoding of the request body.
   *
   * @default HttpContentEncoding.NONE (the service default, which every endpoint accepts)
   */
  readonly contentEncoding?: HttpContentEncoding;

  /**
   * Attributes sent with every request in the `X-Amz-Firehose-Common-Attributes` header (names 1 to 256 characters,
   * values up to 1024), e.g. the environment or the service name a partner should tag the data with.
   *
   * @default - none
   */
  readonly commonAttributes?: { [name: string]: string };

  /**
   * Buffering before each request.
   *
   * Size: 1 to 64 MiB. Interval: 0 to 900 s.
   *
   * @default - Size.mebibytes(5) and Duration.seconds(300) (the service defaults)
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_HttpEndpointBufferingHints.html
   */
  readonly buffering?: BufferingOptions;

  /**
   * How long Firehose retries a request that failed or was not acknowledged before it writes the data to the backup
   * bucket.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(300) (the service default)
   */
  readonly retryDuration?: Duration;

  /**
   * The S3 backup of failed data (`BackupMode.FAILED`) or of all data (`BackupMode.ALL`).
   *
   * @default - failed data, to a new `DeliveryBucket`
   */
  readonly backup?: DestinationBackupOptions;
}

/**
 * A Firehose delivery stream to an HTTP endpoint of yours or of a partner, with the access key from Secrets Manager,
 * failed (or all) data backed up to S3, and validated buffering and retry settings.
 *
 * The destination is aws-cdk-lib's `HttpEndpoint`, bound to aws-cdk-lib's `DeliveryStream`; this construct adds the
 * validation, the secure defaults (the access key only from Secrets Manager, one KMS key for the stream and the
 * backup, a `DeliveryBucket` for the backup), the transform, error logging, cdk-nag acknowledgements and alarms.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-http
 */
export class HttpEndpointDeliveryStream extends DestinationDeliveryStreamBase {
  /** The backup bucket. */
  public readonly backupBucket: s3.IBucket;

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props the source, the endpoint and its options
   */
  constructor(scope: Construct, id: string, props: HttpEndpointDeliveryStreamProps) {
    super(scope, id, requiredPropsAt(scope, id, props, ['url']), props.backup?.bucket);
    const core = this._core;
    const path = core.path;
    checkUrl(path, props.url);
    checkName(path, 'endpointName', props.endpointName, FirehoseLimits.MAX_HTTP_ENDPOINT_NAME_LENGTH, /^\S(.*\S)?$/s, 'text without leading or trailing white space');
    const attributes = Object.entries(props.commonAttributes ?? {});
    for (const [name, value] of attributes) {
      checkName(path, 'commonAttributes name', name, FirehoseLimits.MAX_HTTP_ATTRIBUTE_NAME_LENGTH, /^\S(.*\S)?$/s, 'text without leading or trailing white space');
      if (!Token.isUnresolved(value) && value.length > FirehoseLimits.MAX_HTTP_ATTRIBUTE_VALUE_LENGTH) {
        fail(path, `commonAttributes '${name}' must be at most ${FirehoseLimits.MAX_HTTP_ATTRIBUTE_VALUE_LENGTH} characters, got ${value.length}`);
      }
    }
    const buffering = core.buffering(props.buffering, destinationBufferingConstraints(FirehoseLimits.MAX_HTTP_ENDPOINT_BUFFER_SIZE_MIB));
    const retrySeconds = core.retrySeconds(props.retryDuration, FirehoseLimits.DEFAULT_HTTP_ENDPOINT_RETRY_DURATION_SECONDS);
    const backup = core.backupTarget(props.backup);
    this.backupBucket = backup.bucket;
    if (props.accessKey) core.secretKeyDecrypt(props.accessKey);

    // aws-cdk-lib's logging adds its log streams to the log group (`logGroup.addStream`), with generated names and
    // fixed construct ids, so two delivery streams could not share an errorLogGroup: its logging is off here, and
    // ours (a named stream per output, in this construct) is set on the L1 resource below.
    const noLogging = new firehose.DisableLogging();
    const logging = { destination: core.logging('HttpEndpointDelivery'), backup: core.logging(backup.streamName) };
    const destination = new firehose.HttpEndpoint({
      endpointConfig: { url: props.url, name: props.endpointName, secret: props.accessKey },
      requestCompression: props.contentEncoding === HttpContentEncoding.GZIP ? firehose.HttpCompression.GZIP : firehose.HttpCompression.NONE,
      attributes: attributes.length > 0 ? attributes.map(([name, value]) => ({ name, value })) : undefined,
      bufferingHints: { interval: buffering.interval, size: buffering.size },
      retryOptions: { duration: Duration.seconds(retrySeconds) },
      backupMode: backup.mode === firehose.BackupMode.ALL ? firehose.HttpBackupMode.ALL : firehose.HttpBackupMode.FAILED,
      s3Backup: {
        bucket: backup.bucket,
        dataOutputPrefix: backup.prefix,
        errorOutputPrefix: backup.errorOutputPrefix,
        bufferingInterval: backup.buffering.interval,
        bufferingSize: backup.buffering.size,
        compression: backup.compression,
        encryptionKey: core.encryptionKey,
        loggingConfig: noLogging,
      },
      processors: core.processing.processors,
      role: core.role,
      loggingConfig: noLogging,
    });
    core.finish(DeliveryDestinationKind.HTTP_ENDPOINT, buffering.interval, true, (cfn) => {
      cfn.addPropertyOverride('HttpEndpointDestinationConfiguration.CloudWatchLoggingOptions', cfnLogging(logging.destination));
      cfn.addPropertyOverride('HttpEndpointDestinationConfiguration.S3Configuration.CloudWatchLoggingOptions', cfnLogging(logging.backup));
    }, destination);
  }
}

/** An override's value is written as is: CloudFormation's names, not the L1's. */
function cfnLogging(options: firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty): object {
  return { Enabled: options.enabled, LogGroupName: options.logGroupName, LogStreamName: options.logStreamName };
}

function checkUrl(path: string, url: string): void {
  if (Token.isUnresolved(url)) return;
  if (url.length > FirehoseLimits.MAX_HTTP_ENDPOINT_URL_LENGTH) {
    fail(path, `url must be at most ${FirehoseLimits.MAX_HTTP_ENDPOINT_URL_LENGTH} characters, got ${url.length}`);
  }
  if (!/^https:\/\/[^\s/]+/.test(url)) fail(path, `url must be an https:// URL (Firehose delivers to HTTP endpoints over TLS only), got '${url}'`);
}
