import { Duration } from 'aws-cdk-lib';

/** Settings every alarm of the library shares. */
export interface AlarmSettings {
  /**
   * Whether to create this alarm.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Length of one evaluation period.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
  /**
   * Periods evaluated; the alarm fires when `datapointsToAlarm` of them breach.
   *
   * @default 5
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods, out of `evaluationPeriods`, that fire the alarm.
   *
   * @default - all of `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;
}
