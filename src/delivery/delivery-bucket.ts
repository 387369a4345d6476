import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of a `DeliveryBucket`. */
export interface DeliveryBucketProps {
  /**
   * The KMS key that encrypts the objects (with an S3 Bucket Key, which cuts KMS requests per object).
   *
   * @default - a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The bucket that receives the server access logs.
   *
   * @default - a new bucket, encrypted with S3-managed keys (log delivery cannot write to SSE-KMS buckets),
   * with public access blocked, TLS enforced and logs expired after `accessLogsRetention`
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long server access logs are kept, when the access logs bucket is created here.
   *
   * @default Duration.days(365)
   */
  readonly accessLogsRetention?: Duration;

  /**
   * Lifecycle rules of the bucket.
   *
   * @default - incomplete multipart uploads are aborted after 7 days and objects move to S3 Intelligent-Tiering
   * after 30 days; nothing expires
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * What happens to the bucket when it is removed from the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A bucket for delivered records with secure defaults: public access blocked, TLS required, SSE-KMS with a Bucket
 * Key, server access logs, versioning off (Firehose never overwrites an object), and lifecycle rules. Used as the S3
 * destination, the backup bucket, and the intermediate bucket of other destinations.
 */
export class DeliveryBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts the bucket's objects. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives the server access logs. */
  public readonly accessLogsBucket: s3.IBucket;

  /**
   * @param scope the construct the bucket is created in
   * @param id the bucket's id, unique within `scope`
   * @param props its encryption, lifecycle and access logging
   */
  constructor(scope: Construct, id: string, props: DeliveryBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the objects of ${this.node.path}`,
      removalPolicy,
    });
    this.accessLogsBucket = props.accessLogsBucket ?? new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // No objectOwnership: aws-cdk-lib picks ACL or bucket-policy log delivery from the app's feature flags.
      lifecycleRules: [{ id: 'expire-access-logs', expiration: props.accessLogsRetention ?? Duration.days(365) }],
      removalPolicy,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'delivery-bucket/',
      lifecycleRules: props.lifecycleRules ?? [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'intelligent-tiering', transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) }] },
      ],
      removalPolicy,
    });
  }
}
