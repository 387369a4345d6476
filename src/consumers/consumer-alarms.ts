import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSettings } from '../monitoring/alarm-settings';

/** The iterator age alarm of a consumer: how far behind the stream the function is. */
export interface ConsumerIteratorAgeAlarmSettings extends AlarmSettings {
  /**
   * Age of the last record read above which the alarm fires.
   *
   * @default - the time a batch can take through all its attempts ((retryAttempts + 1) × (function timeout + batching
   * window)), at least 1 minute and at most half the maximum record age, so the alarm fires before records are dropped
   */
  readonly threshold?: Duration;
}

/** The alarms of a stream consumer. All are on by default; each can be turned off or tuned. */
export interface ConsumerAlarms {
  /**
   * Set to false to create no alarm at all.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Actions every alarm runs when it fires and when it recovers.
   *
   * @default - none
   */
  readonly actions?: cloudwatch.IAlarmAction[];
  /**
   * `IteratorAge` of the function, maximum.
   *
   * @default - on
   */
  readonly iteratorAge?: ConsumerIteratorAgeAlarmSettings;
  /**
   * `Errors` of the function, sum: invocations that threw or timed out (record failures reported in the response
   * are not errors).
   *
   * @default - on, fires at the first error (1 of 1 one-minute period): each error retries a whole batch
   */
  readonly functionErrors?: AlarmSettings;
  /**
   * `Throttles` of the function, sum. Lambda retries throttled stream invocations, so only sustained throttling fires.
   *
   * @default - on, fires when 5 one-minute periods in a row see throttles
   */
  readonly functionThrottles?: AlarmSettings;
  /**
   * Messages in the failure destination: batches Lambda gave up on. For a queue, its visible messages (maximum); for
   * a topic, messages published (sum); for a bucket, the mapping's `OnFailureDestinationDeliveredEventCount` (sum,
   * records sent to the bucket), for which `EventCount` metrics are turned on.
   *
   * @default - on, fires at the first message (1 of 1 one-minute period)
   */
  readonly failureDestination?: AlarmSettings;
  /**
   * `DestinationDeliveryFailures` of the function, sum: Lambda could not write the failure record to the bucket
   * (permissions, key policy, bucket deleted), so the batch is dropped and counted in `DroppedEventCount`. Created
   * with `FailureDestination.s3()` only, where no queue depth would reveal the loss.
   *
   * @default - on with an S3 failure destination, fires at the first failure (1 of 1 one-minute period)
   */
  readonly failureDestinationDelivery?: AlarmSettings;
}
