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

/** One alarm the library creates: which settings it reads and what it watches. */
export interface AlarmSpec {
  /** Name of the settings, as the user writes it (`alarms.<name>`), for messages. */
  readonly name: string;
  /** Construct id of the alarm. */
  readonly id: string;
  readonly settings: AlarmSettings;
  /** Evaluation periods when the settings give none. */
  readonly defaultEvaluationPeriods: number;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  readonly description: string;
}

/**
 * Creates an alarm under `parent` unless its settings turn it off: settings checked against `scope`, missing data not
 * breaching, and `actions` run when it fires and when it recovers.
 */
export function createAlarm(scope: Construct, parent: Construct, spec: AlarmSpec, actions: cloudwatch.IAlarmAction[]): cloudwatch.Alarm | undefined {
  if (spec.settings.enabled === false) return undefined;
  const resolved = resolveAlarmSettings(scope, spec.name, {
    ...spec.settings,
    evaluationPeriods: spec.settings.evaluationPeriods ?? spec.defaultEvaluationPeriods,
  });
  const alarm = new cloudwatch.Alarm(parent, spec.id, {
    metric: spec.metric instanceof cloudwatch.Metric ? spec.metric.with({ period: resolved.period }) : spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: resolved.evaluationPeriods,
    datapointsToAlarm: resolved.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: spec.description,
  });
  addAlarmActions(alarm, actions);
  return alarm;
}
