import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsLimits } from '../validation/limits';
import { describe, fail } from '../validation/rules';

/** What a `FailureDestination` gives the construct that uses it. */
export interface FailureDestinationConfig {
  /** The on-failure destination of the event source mapping. */
  readonly destination: lambda.IEventSourceDlq;
  /**
   * Messages arriving at the destination, for the alarm; the metric names the queue or topic.
   *
   * @default - none: the consumer watches its event source mapping's `OnFailureDestinationDeliveredEventCount`
   */
  readonly messagesMetric?: cloudwatch.IMetric;
  /** The queue, when the destination is a queue. */
  readonly queue?: sqs.IQueue;
  /** The topic, when the destination is a topic. */
  readonly topic?: sns.ITopic;
  /**
   * The bucket, when the destination is a bucket. S3 gives no count of objects written without request metrics, so
   * the consumer turns on the mapping's `EventCount` metrics and alarms on `OnFailureDestinationDeliveredEventCount`.
   *
   * @default - not a bucket
   */
  readonly bucket?: s3.IBucket;
}

/** Days noncurrent versions of failure records are kept in a bucket the construct creates. */
const NONCURRENT_VERSION_DAYS = 30;
/** Days after which an incomplete multipart upload of a failure record is aborted. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

/**
 * Where Lambda sends the description of a batch it gave up on (after the retry attempts or at the maximum record
 * age): the shard, the first and last sequence numbers and the batch size, which are enough to read the records
 * again while the stream retains them. The records themselves are not sent.
 */
export abstract class FailureDestination {
  /**
   * An SQS queue.
   *
   * @param queue the queue @default - a new queue, encrypted with SQS-managed keys, TLS only, keeping messages 14 days
   */
  public static sqs(queue?: sqs.IQueue): FailureDestination {
    return new (class extends FailureDestination {
      public bind(scope: Construct): FailureDestinationConfig {
        const q = queue ?? new sqs.Queue(scope, 'FailureQueue', {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.seconds(SqsLimits.MAX_MESSAGE_RETENTION_SECONDS),
        });
        if (!queue) {
          Validations.of(q).acknowledge({
            id: 'AwsSolutions-SQS3',
            reason: 'This queue is itself the dead-letter destination of an event source mapping: messages describe batches to replay and are kept for the longest retention, there is no further queue to move them to',
          });
        }
        return {
          destination: new sources.SqsDlq(q),
          messagesMetric: q.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM }),
          queue: q,
        };
      }
    })();
  }

  /**
   * An SNS topic, to fan the failure out (to a ticketing system, a replay function, an e-mail).
   *
   * @param topic the topic that receives a description of each failed batch
   */
  public static sns(topic: sns.ITopic): FailureDestination {
    if (topic === undefined || topic === null || typeof topic.topicArn !== 'string') {
      fail('FailureDestination.sns', `topic must be an SNS topic (sns.ITopic), got ${describe(topic)}`);
    }
    return new (class extends FailureDestination {
      public bind(): FailureDestinationConfig {
        return {
          destination: new sources.SnsDlq(topic),
          messagesMetric: topic.metricNumberOfMessagesPublished({ statistic: cloudwatch.Stats.SUM }),
          topic,
        };
      }
    })();
  }

  /**
   * An S3 bucket. Unlike a queue or a topic, Lambda writes the whole invocation record to S3, the batch's records
   * included, so a failure can be replayed after the stream's retention. The function's role may put objects in the
   * bucket and list it (all Lambda needs), and encrypt with the bucket's key if it has one.
   *
   * @param bucket the bucket @default - a new bucket: SSE-S3 encryption, TLS only, versioned, public access blocked,
   * bucket-owner-enforced ownership, incomplete uploads aborted after 1 day and noncurrent versions expired after 30
   * days; failure records themselves never expire, and the bucket is retained when the stack is deleted
   */
  public static s3(bucket?: s3.IBucket): FailureDestination {
    return new (class extends FailureDestination {
      public bind(scope: Construct): FailureDestinationConfig {
        const b = bucket ?? createFailureBucket(scope);
        return { destination: new S3FailureDestination(b, bucket === undefined), bucket: b };
      }
    })();
  }

  /**
   * Creates or returns the destination, under `scope`.
   *
   * @param scope the consumer construct the destination belongs to
   */
  public abstract bind(scope: Construct): FailureDestinationConfig;
}

function createFailureBucket(scope: Construct): s3.Bucket {
  const b = new s3.Bucket(scope, 'FailureBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOAD_DAYS) },
      { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS) },
    ],
    // Failure records hold the only copy of records past the stream's retention.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(b).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'Only the consumer function\'s role writes to this bucket, through its event source mapping; the alarm on OnFailureDestinationDeliveredEventCount counts every write, and CloudTrail data events audit access',
  });
  return b;
}

/**
 * The on-failure destination for a bucket, granting only what Lambda uses (`s3:PutObject` on its objects,
 * `s3:ListBucket`, and encryption with the bucket's key), where aws-cdk-lib's `S3OnFailureDestination` grants read and write.
 */
class S3FailureDestination implements lambda.IEventSourceDlq {
  constructor(private readonly bucket: s3.IBucket, private readonly created: boolean) {}

  public bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    targetHandler.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    this.bucket.encryptionKey?.grantEncrypt(targetHandler);
    const cfn = this.bucket.node.defaultChild;
    if (this.created && targetHandler.role && CfnResource.isCfnResource(cfn)) {
      Validations.of(targetHandler.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(cfn).resolve(cfn.logicalId)}.Arn>/*]`,
        reason: 'Lambda names each failure record object itself (aws/lambda/<mapping UUID>/<shard>/<date>/...), anywhere in the failure bucket this construct created',
      });
    }
    return { destination: this.bucket.bucketArn };
  }
}
