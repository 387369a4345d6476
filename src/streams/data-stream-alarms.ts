import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { AlarmSettings } from '../monitoring/alarm-settings';
import { addAlarmActions, resolveAlarmSettings } from '../monitoring/private/alarms';
import { checkRange, fail } from '../validation/rules';

/** The alarm on the age of the oldest record not yet read by a shared-throughput consumer. */
export interface IteratorAgeAlarmSettings extends AlarmSettings {
  /**
   * Age above which the alarm fires. It must be shorter than the retention period: a record older than that is lost.
   *
   * @default - one hour, or half the retention period if that is shorter
   */
  readonly threshold?: Duration;
}

/** An alarm on the share of requests the stream throttled. */
export interface ThrottlingAlarmSettings extends AlarmSettings {
  /**
   * Share of records (writes) or calls (reads) throttled, in percent, above which the alarm fires.
   * A little throttling is normal and retried by producers and consumers; sustained throttling means the stream
   * needs more shards or better spread partition keys.
   *
   * @default 1
   */
  readonly thresholdPercent?: number;
}

/** An alarm on how much of a provisioned stream's write capacity is in use. */
export interface UtilizationAlarmSettings extends AlarmSettings {
  /**
   * Percent of the write capacity (the larger of bytes against 1 MiB/s and records against 1000/s per shard) above
   * which the alarm fires: a warning before writes are throttled.
   *
   * @default 80
   */
  readonly thresholdPercent?: number;
}

/**
 * The alarms of a data stream. All are on by default; each can be turned off or tuned.
 */
export interface DataStreamAlarms {
  /**
   * Set to false to create no alarm at all.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Actions every alarm of the stream runs when it fires and when it recovers (an SNS topic, for example).
   *
   * @default - no actions; add them later through the alarm properties
   */
  readonly actions?: cloudwatch.IAlarmAction[];
  /**
   * Consumers fall behind: `GetRecords.IteratorAgeMilliseconds`, maximum.
   *
   * @default - on, see `IteratorAgeAlarmSettings`
   */
  readonly iteratorAge?: IteratorAgeAlarmSettings;
  /**
   * Writes are throttled: `WriteProvisionedThroughputExceeded`, average.
   *
   * @default - on, see `ThrottlingAlarmSettings`
   */
  readonly writeThrottling?: ThrottlingAlarmSettings;
  /**
   * Reads are throttled: `ReadProvisionedThroughputExceeded`, average.
   *
   * @default - on, see `ThrottlingAlarmSettings`
   */
  readonly readThrottling?: ThrottlingAlarmSettings;
  /**
   * A provisioned stream writes close to its shards' capacity (`DataStream.metricWriteUtilization`). Not created for
   * on-demand streams, which scale themselves.
   *
   * @default - on for provisioned streams, see `UtilizationAlarmSettings`
   */
  readonly writeUtilization?: UtilizationAlarmSettings;
}

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
    const retention = Duration.hours(retentionHours);
    const halfRetention = Duration.millis(retention.toMilliseconds() / 2);
    const threshold = age.threshold ?? (halfRetention.toMilliseconds() < DEFAULT_ITERATOR_AGE.toMilliseconds() ? halfRetention : DEFAULT_ITERATOR_AGE);
    if (threshold.toMilliseconds() <= 0 || threshold.toMilliseconds() >= retention.toMilliseconds()) {
      fail(scope, `alarms.iteratorAge.threshold must be above 0 and shorter than the retention period of ${retentionHours} hours (a record older than the retention period is already lost), got ${threshold.toHumanString()}`);
    }
    created.iteratorAge = new cloudwatch.Alarm(alarms, 'IteratorAge', {
      metric: stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: cloudwatch.Stats.MAXIMUM, period }),
      threshold: threshold.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Shared-throughput consumers of ${scope.node.path} are more than ${threshold.toHumanString()} behind; records older than ${retentionHours} hours are lost.`,
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
