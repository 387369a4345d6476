import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DeliveryStreamAlarms } from './delivery-stream-alarms';
import { DestinationDeliveryStreamProps } from './destination-props';
import { DestinationCore } from './private/destination';

/**
 * What the delivery streams to Redshift, OpenSearch, Splunk and HTTP endpoints have in common: aws-cdk-lib's
 * `DeliveryStream` with the destination bound to it (aws-cdk-lib's own, for HTTP endpoints) or set on its L1 resource
 * (for destinations aws-cdk-lib has none for), the Firehose role, the KMS key, the transform, the error log group and
 * the alarms.
 *
 * Each destination of this library is a subclass: its constructor checks its props, configures its destination with
 * the shared pieces and then creates the delivery stream with them.
 */
export abstract class DestinationDeliveryStreamBase extends Construct {
  /** The role Firehose assumes. */
  public readonly role: iam.IRole;
  /** The key that encrypts the stream, the buckets this construct creates and the objects Firehose writes to them. */
  public readonly encryptionKey: kms.IKey;
  /** The transform function, when there is a transform. */
  public readonly transformFunction?: lambda.IFunction;
  /** The error log group, when error logging is on. */
  public readonly errorLogGroup?: logs.ILogGroup;

  /**
   * The shared pieces, created first: the key, the role, the error log group and the transform.
   *
   * @internal
   */
  protected readonly _core: DestinationCore;

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props the source, buffering, backup and alarms shared by every destination
   * @param userBucket the bucket you brought for the backup or the staged records, whose KMS key becomes the default key
   */
  protected constructor(scope: Construct, id: string, props: DestinationDeliveryStreamProps, userBucket?: s3.IBucket) {
    super(scope, id);
    this._core = new DestinationCore(this, props, userBucket);
    this.role = this._core.role;
    this.encryptionKey = this._core.encryptionKey;
    this.transformFunction = this._core.transformFunction;
    this.errorLogGroup = this._core.errorLogGroup;
  }

  // The delivery stream and its alarms are created last, once the destination is configured: hence getters.

  /** The delivery stream. Its `connections` carry the Firehose CIDR block of the stack's region. */
  public get deliveryStream(): firehose.DeliveryStream {
    return this._core.finished.deliveryStream;
  }

  /** The L1 resource, for properties this construct does not expose. */
  public get cfnDeliveryStream(): firehose.CfnDeliveryStream {
    return this._core.finished.cfnDeliveryStream;
  }

  /** The alarms, unless turned off. */
  public get alarms(): DeliveryStreamAlarms | undefined {
    return this._core.finished.alarms;
  }
}
