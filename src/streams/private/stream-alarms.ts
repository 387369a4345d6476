import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { addAlarmActions, resolveAlarmSettings } from '../../monitoring/private/alarms';
import { checkRange, fail, literalMillis, numberText } from '../../validation/rules';
import { DataStreamAlarms, ThrottlingAlarmSettings } from '../data-stream-alarms';

/** The alarms created for a stream. */
export interface CreatedStreamAlarms {
  readonly iteratorAge?: cloudwatch.Alarm;
  readonly writeThrottling?: cloudwatch.Alarm;
  readonly readThrottling?: cloudwatch.Alarm;
  readonly writeUtilization?: cloudwatch.Alarm;
}

const DEFAULT_ITERATOR_AGE = Duration.hours(1);
const DEFAULT_THROTTLING_PERCENT = 1;
const DEFAULT_UTILIZATION_PERCENT = 80;

/**
 * Creates the stream's alarms under `scope` (a child construct named `Alarms`). Thresholds come from the stream's
 * own settings: the iterator age threshold from its retention period.
 */
export function createStreamAlarms(
  scope: Construct,
  stream: kinesis.Stream,
  retentionHours: number,
  writeUtilization: ((period: Duration) => cloudwatch.IMetric) | undefined,
  settings: DataStreamAlarms = {},
): CreatedStreamAlarms {
  if (settings.enabled === false) return {};
  const actions = settings.actions ?? [];
  const created: { -readonly [K in keyof CreatedStreamAlarms]: CreatedStreamAlarms[K] } = {};
  const alarms = new Construct(scope, 'Alarms');

  const age = settings.iteratorAge ?? {};
  if (age.enabled !== false) {
    const { evaluationPeriods, datapointsToAlarm, period } = resolveAlarmSettings(scope, 'iteratorAge', age);
    // A retention from a token is at least 24 hours, which the default threshold (1 hour) is always shorter than.
    const retentionMs = Token.isUnresolved(retentionHours) ? undefined : retentionHours * 3_600_000;
    const halfRetention = retentionMs === undefined ? DEFAULT_ITERATOR_AGE : Duration.millis(retentionMs / 2);
    const threshold = age.threshold ?? (halfRetention.toMilliseconds() < DEFAULT_ITERATOR_AGE.toMilliseconds() ? halfRetention : DEFAULT_ITERATOR_AGE);
    const thresholdMs = literalMillis(scope, 'alarms.iteratorAge.threshold', threshold);
    if (thresholdMs !== undefined && (thresholdMs <= 0 || (retentionMs !== undefined && thresholdMs >= retentionMs))) {
      fail(scope, `alarms.iteratorAge.threshold must be above 0 and shorter than the retention period of ${numberText(retentionHours)} hours (a record older than the retention period is already lost), got ${threshold.toHumanString()}`);
    }
    created.iteratorAge = new cloudwatch.Alarm(alarms, 'IteratorAge', {
      metric: stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: cloudwatch.Stats.MAXIMUM, period }),
      threshold: thresholdMs ?? threshold.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Shared-throughput consumers of ${scope.node.path} are more than ${threshold.toHumanString()} behind; records older than ${numberText(retentionHours)} hours are lost.`,
    });
    addAlarmActions(created.iteratorAge, actions);
  }

  const throttling = (name: 'writeThrottling' | 'readThrottling', s: ThrottlingAlarmSettings, metric: cloudwatch.Metric, what: string): cloudwatch.Alarm | undefined => {
    if (s.enabled === false) return undefined;
    const { evaluationPeriods, datapointsToAlarm, period } = resolveAlarmSettings(scope, name, s);
    const percent = s.thresholdPercent ?? DEFAULT_THROTTLING_PERCENT;
    checkRange(scope, `alarms.${name}.thresholdPercent`, percent, 0, 100, '%');
    const alarm = new cloudwatch.Alarm(alarms, name === 'writeThrottling' ? 'WriteThrottling' : 'ReadThrottling', {
      // The metric's average over a period is the share of throttled records or calls.
      metric: new cloudwatch.MathExpression({
        expression: '100 * throttled',
        usingMetrics: { throttled: metric.with({ statistic: cloudwatch.Stats.AVERAGE, period }) },
        period,
        label: `${what} throttled (%)`,
      }),
      threshold: percent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `More than ${percent}% of ${what} on ${scope.node.path} are throttled: add shards, spread partition keys, or (reads) move consumers to enhanced fan-out.`,
    });
    addAlarmActions(alarm, actions);
    return alarm;
  };
  created.writeThrottling = throttling('writeThrottling', settings.writeThrottling ?? {}, stream.metricWriteProvisionedThroughputExceeded(), 'records written');
  created.readThrottling = throttling('readThrottling', settings.readThrottling ?? {}, stream.metricReadProvisionedThroughputExceeded(), 'GetRecords calls');

  const utilization = settings.writeUtilization ?? {};
  if (writeUtilization && utilization.enabled !== false) {
    const { evaluationPeriods, datapointsToAlarm, period } = resolveAlarmSettings(scope, 'writeUtilization', utilization);
    const percent = utilization.thresholdPercent ?? DEFAULT_UTILIZATION_PERCENT;
    checkRange(scope, 'alarms.writeUtilization.thresholdPercent', percent, 1, 100, '%');
    created.writeUtilization = new cloudwatch.Alarm(alarms, 'WriteUtilization', {
      metric: writeUtilization(period),
      threshold: percent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Writes to ${scope.node.path} use more than ${percent}% of its shards' capacity: add shards before writes are throttled.`,
    });
    addAlarmActions(created.writeUtilization, actions);
  }
  return created;
}
