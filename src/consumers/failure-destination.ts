import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SqsLimits } from '../validation/limits';
import { describe, fail } from '../validation/rules';

/** What a `FailureDestination` gives the construct that uses it. */
export interface FailureDestinationConfig {
  /** The on-failure destination of the event source mapping. */
  readonly destination: lambda.IEventSourceDlq;
  /** Messages arriving at the destination, for the alarm; the metric names the queue or topic. */
  readonly messagesMetric: cloudwatch.IMetric;
  /** The queue, when the destination is a queue. */
  readonly queue?: sqs.IQueue;
  /** The topic, when the destination is a topic. */
  readonly topic?: sns.ITopic;
}

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
   * Creates or returns the destination, under `scope`.
   *
   * @param scope the consumer construct the destination belongs to
   */
  public abstract bind(scope: Construct): FailureDestinationConfig;
}
