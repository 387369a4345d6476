import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkInteger, checkLiteral, checkRange, fail, wholeSeconds } from '../../validation/rules';
import { AlarmSettings } from '../alarm-settings';

const DEFAULT_EVALUATION_PERIODS = 5;
const DEFAULT_PERIOD = Duration.minutes(1);

export interface ResolvedAlarmSettings {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly period: Duration;
}

/** CloudWatch's limit on period x evaluation periods: one day for periods under an hour, seven days otherwise. */
const MAX_WINDOW_SHORT_PERIODS_SECONDS = 86_400;
const MAX_WINDOW_SECONDS = 604_800;

/**
 * The settings of one alarm, checked, with the library's defaults (1-minute periods, 5 of 5 breaching).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function resolveAlarmSettings(scope: Construct, name: string, s: AlarmSettings): ResolvedAlarmSettings {
  const what = `alarms.${name}`;
  const evaluationPeriods = s.evaluationPeriods ?? DEFAULT_EVALUATION_PERIODS;
  const datapointsToAlarm = s.datapointsToAlarm ?? evaluationPeriods;
  checkInteger(scope, `${what}.evaluationPeriods`, evaluationPeriods);
  checkRange(scope, `${what}.evaluationPeriods`, evaluationPeriods, 1, 100);
  checkInteger(scope, `${what}.datapointsToAlarm`, datapointsToAlarm);
  checkRange(scope, `${what}.datapointsToAlarm`, datapointsToAlarm, 1, Token.isUnresolved(evaluationPeriods) ? 100 : evaluationPeriods, undefined,
    'It cannot exceed evaluationPeriods');
  const period = s.period ?? DEFAULT_PERIOD;
  // aws-cdk-lib's metrics compare their period with 60 at synth time, so a token period cannot reach them.
  checkLiteral(scope, `${what}.period`, period, 'a metric\'s period is checked and rendered at synth time; give a Duration such as Duration.minutes(1)');
  const seconds = wholeSeconds(scope, `${what}.period`, period)!;
  if (![10, 30].includes(seconds) && (seconds <= 0 || seconds % 60 !== 0)) {
    fail(scope, `${what}.period must be 10 or 30 seconds or a whole number of minutes (what a CloudWatch alarm accepts), got ${seconds} seconds`);
  }
  if (!Token.isUnresolved(evaluationPeriods)) {
    const window = seconds * evaluationPeriods;
    const max = seconds < 3600 ? MAX_WINDOW_SHORT_PERIODS_SECONDS : MAX_WINDOW_SECONDS;
    if (window > max) {
      fail(scope, `${what}: period x evaluationPeriods is ${seconds} x ${evaluationPeriods} = ${window} seconds, above CloudWatch's limit of ${max} seconds `
        + `(${max === MAX_WINDOW_SECONDS ? '7 days' : '1 day for periods under an hour'}): use fewer or shorter periods`);
    }
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
