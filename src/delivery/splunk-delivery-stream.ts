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
import { checkRange, fail, requiredPropsAt, wholeSeconds } from '../validation/rules';

/**
 * The HEC endpoint Firehose posts to.
 *
 * @see https://docs.splunk.com/Documentation/Splunk/latest/Data/UsetheHTTPEventCollector
 */
export class SplunkEndpointType {
  /** `/services/collector/raw`: records are raw text, which Splunk breaks into events with the source type's rules. */
  public static readonly RAW = new SplunkEndpointType('Raw');
  /** `/services/collector/event`: each record is a HEC event JSON object (`{"event": ..., "sourcetype": ...}`). */
  public static readonly EVENT = new SplunkEndpointType('Event');

  /** The endpoint type as Firehose's `HECEndpointType` takes it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/** Properties of a `SplunkDeliveryStream`. */
export interface SplunkDeliveryStreamProps extends DestinationDeliveryStreamProps {
  /**
   * The HTTP Event Collector's URL, e.g. `https://http-inputs-firehose-<stack>.splunkcloud.com:443`. It must be
   * reachable from Firehose's Splunk IP ranges of the region; Firehose does not deliver to Splunk inside a VPC.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-splunk-vpc
   */
  readonly hecEndpoint: string;

  /** The HEC endpoint type: raw text or JSON events. */
  readonly hecEndpointType: SplunkEndpointType;

  /**
   * The HEC token, as a Secrets Manager secret with the JSON key `hec_token`. Firehose reads it at delivery time, so
   * the token is never in the template. Turn on indexer acknowledgment for the token in Splunk.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html
   */
  readonly hecToken: secretsmanager.ISecret;

  /**
   * How long Firehose waits for Splunk's indexer acknowledgment before it counts the attempt as failed.
   *
   * Minimum: `Duration.seconds(180)`. Maximum: `Duration.seconds(600)`.
   *
   * @default Duration.seconds(180) (the service default)
   */
  readonly acknowledgmentTimeout?: Duration;

  /**
   * Buffering before each request to the HEC; Splunk's range is much narrower than S3's.
   *
   * Size: 1 to 5 MiB. Interval: 0 to 60 s.
   *
   * @default - Size.mebibytes(5) and Duration.seconds(60) (the service defaults)
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_SplunkBufferingHints.html
   */
  readonly buffering?: BufferingOptions;

  /**
   * How long Firehose retries (not counting the acknowledgment waits) before it writes the events to the backup bucket.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(3600)
   */
  readonly retryDuration?: Duration;

  /**
   * The S3 backup of failed events (`BackupMode.FAILED`) or of all events (`BackupMode.ALL`).
   *
   * @default - failed events, to a new `DeliveryBucket`
   */
  readonly backup?: DestinationBackupOptions;
}

/**
 * A Firehose delivery stream to a Splunk HTTP Event Collector, with the HEC token from Secrets Manager, failed (or
 * all) events backed up to S3, and validated buffering, acknowledgment and retry settings.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-splunk
 */
export class SplunkDeliveryStream extends DestinationDeliveryStreamBase {
  /** The backup bucket. */
  public readonly backupBucket: s3.IBucket;

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props the source, the HEC endpoint and its token
   */
  constructor(scope: Construct, id: string, props: SplunkDeliveryStreamProps) {
    super(scope, id, requiredPropsAt(scope, id, props, ['hecEndpoint', 'hecToken']), props.backup?.bucket);
    const core = this._core;
    const path = core.path;
    const endpoint = props.hecEndpoint;
    if (!Token.isUnresolved(endpoint)) {
      if (!/^https:\/\/[^\s/]+/.test(endpoint) || endpoint.length > FirehoseLimits.MAX_SPLUNK_HEC_ENDPOINT_LENGTH) {
        fail(path, `hecEndpoint must be an https:// URL of at most ${FirehoseLimits.MAX_SPLUNK_HEC_ENDPOINT_LENGTH} characters (Firehose sends ` +
          `events over TLS only), got '${endpoint}'`);
      }
    }
    const ackSeconds = wholeSeconds(path, 'acknowledgmentTimeout', props.acknowledgmentTimeout) ?? FirehoseLimits.MIN_SPLUNK_ACK_TIMEOUT_SECONDS;
    checkRange(path, 'acknowledgmentTimeout', ackSeconds, FirehoseLimits.MIN_SPLUNK_ACK_TIMEOUT_SECONDS, FirehoseLimits.MAX_SPLUNK_ACK_TIMEOUT_SECONDS, 'seconds');
    const buffering = core.buffering(props.buffering, destinationBufferingConstraints(FirehoseLimits.MAX_SPLUNK_BUFFER_SIZE_MIB,
      FirehoseLimits.MAX_SPLUNK_BUFFER_INTERVAL_SECONDS, FirehoseLimits.MAX_SPLUNK_BUFFER_INTERVAL_SECONDS));
    const retrySeconds = core.retrySeconds(props.retryDuration, FirehoseLimits.DEFAULT_SPLUNK_RETRY_DURATION_SECONDS);
    const backup = core.backup(props.backup);
    this.backupBucket = backup.bucket;

    const configuration: firehose.CfnDeliveryStream.SplunkDestinationConfigurationProperty = {
      hecEndpoint: endpoint,
      hecEndpointType: props.hecEndpointType.value,
      secretsManagerConfiguration: core.secretsManager(props.hecToken),
      hecAcknowledgmentTimeoutInSeconds: ackSeconds,
      ...core.backedUpSettings({
        buffering, retrySeconds, backup, backupModes: { all: 'AllEvents', failed: 'FailedEventsOnly' }, logStreamName: 'SplunkDelivery',
      }),
    };
    core.finish(DeliveryDestinationKind.SPLUNK, buffering.interval, true, (cfn) => {
      cfn.splunkDestinationConfiguration = configuration;
    });
  }
}
