import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSettings } from '../monitoring/alarm-settings';

/** The alarms of a producer function. All are on by default; each can be turned off or tuned. */
export interface ProducerAlarms {
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
   * `Errors` of the function, sum: invocations that threw or timed out (records that failed are reported in the
   * response and queued, which is not an error).
   *
   * @default - on, fires at the first error (1 of 1 one-minute period)
   */
  readonly functionErrors?: AlarmSettings;
  /**
   * `Throttles` of the function, sum: callers were turned away.
   *
   * @default - on, fires when 5 one-minute periods in a row see throttles
   */
  readonly functionThrottles?: AlarmSettings;
  /**
   * Records in the failure queue: records that could not be written to the stream.
   *
   * @default - on, fires at the first message (1 of 1 one-minute period)
   */
  readonly failedRecords?: AlarmSettings;
}
