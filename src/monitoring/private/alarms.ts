import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkInteger, checkRange, fail } from '../../validation/rules';
import { AlarmSettings } from '../alarm-settings';

const DEFAULT_EVALUATION_PERIODS = 5;
const DEFAULT_PERIOD = Duration.minutes(1);

export interface ResolvedAlarmSettings {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly period: Duration;
}

/** The settings of one alarm, checked, with the library's defaults (1-minute periods, 5 of 5 breaching). */
export function resolveAlarmSettings(scope: Construct, name: string, s: AlarmSettings): ResolvedAlarmSettings {
  const evaluationPeriods = s.evaluationPeriods ?? DEFAULT_EVALUATION_PERIODS;
  const datapointsToAlarm = s.datapointsToAlarm ?? evaluationPeriods;
  checkInteger(scope, `alarms.${name}.evaluationPeriods`, evaluationPeriods);
  checkRange(scope, `alarms.${name}.evaluationPeriods`, evaluationPeriods, 1, 100);
  checkInteger(scope, `alarms.${name}.datapointsToAlarm`, datapointsToAlarm);
  checkRange(scope, `alarms.${name}.datapointsToAlarm`, datapointsToAlarm, 1, evaluationPeriods, undefined, 'It cannot exceed evaluationPeriods');
  const period = s.period ?? DEFAULT_PERIOD;
  const seconds = period.toSeconds();
  if (![10, 20, 30].includes(seconds) && seconds % 60 !== 0) {
    fail(scope, `alarms.${name}.period must be 10, 20 or 30 seconds or a whole number of minutes, got ${seconds} seconds`);
  }
  return { evaluationPeriods, datapointsToAlarm, period };
}

/** Runs `actions` when the alarm fires and when it recovers. */
export function addAlarmActions(alarm: cloudwatch.Alarm, actions: cloudwatch.IAlarmAction[]): void {
  if (actions.length === 0) return;
  alarm.addAlarmAction(...actions);
  alarm.addOkAction(...actions);
}
