import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { AlarmSettings } from '../../monitoring/alarm-settings';
import { createAlarm, resolveAlarmSettings } from '../../monitoring/private/alarms';
import { checkRange } from '../../validation/rules';
import { FlinkApplicationAlarms } from '../flink-application-alarms';
import { FlinkApplicationBase } from '../flink-application-base';

const DEFAULT_CHECKPOINT_SHARE = 0.8;
const DEFAULT_RETENTION_SHARE = 0.5;

/** The alarms created for an application. */
export interface CreatedApplicationAlarms {
  readonly downtime?: cloudwatch.Alarm;
  readonly fullRestarts?: cloudwatch.Alarm;
  readonly failedCheckpoints?: cloudwatch.Alarm;
  readonly checkpointDuration?: cloudwatch.Alarm;
}

/** An increase of a running count within each period: `DIFF` of its maximum. */
function increase(scope: Construct, name: string, settings: AlarmSettings, metric: cloudwatch.Metric, label: string): cloudwatch.IMetric {
  const { period } = resolveAlarmSettings(scope, name, settings);
  return new cloudwatch.MathExpression({ expression: 'DIFF(m)', usingMetrics: { m: metric }, period, label });
}

/**
 * The application's alarms under a child `Alarms`: downtime and restarts always, checkpoint failures and duration
 * when it checkpoints (the duration threshold a share of its interval).
 */
export function createApplicationAlarms(app: FlinkApplicationBase, settings: FlinkApplicationAlarms, checkpointInterval?: Duration): CreatedApplicationAlarms {
  if (settings.enabled === false) return {};
  const actions = settings.actions ?? [];
  const parent = new Construct(app, 'Alarms');
  const path = app.node.path;
  const downtime = createAlarm(app, parent, {
    name: 'downtime',
    id: 'Downtime',
    settings: settings.downtime ?? {},
    defaultEvaluationPeriods: 5,
    metric: app.metricDowntime(),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `The Flink job of ${path} is not running (downtime above 0 ms): see its log group for the cause.`,
  }, actions);
  const restartSettings = settings.fullRestarts ?? {};
  const fullRestarts = createAlarm(app, parent, {
    name: 'fullRestarts',
    id: 'FullRestarts',
    settings: restartSettings,
    defaultEvaluationPeriods: 1,
    metric: increase(app, 'fullRestarts', restartSettings, app.metricFullRestarts(), 'full restarts in the period'),
    threshold: 1,
    description: `The Flink job of ${path} restarted: an exception in the job or a lost task manager; it replays from its last checkpoint.`,
  }, actions);
  if (!checkpointInterval) return { downtime, fullRestarts };

  const failedSettings = settings.failedCheckpoints ?? {};
  const failedCheckpoints = createAlarm(app, parent, {
    name: 'failedCheckpoints',
    id: 'FailedCheckpoints',
    settings: failedSettings,
    defaultEvaluationPeriods: 1,
    metric: increase(app, 'failedCheckpoints', failedSettings, app.metricNumberOfFailedCheckpoints(), 'failed checkpoints in the period'),
    threshold: 1,
    description: `A checkpoint of ${path} failed: a restart would replay more than one checkpoint interval.`,
  }, actions);
  const durationSettings = settings.checkpointDuration ?? {};
  const share = durationSettings.maxShareOfInterval ?? DEFAULT_CHECKPOINT_SHARE;
  checkRange(app, 'alarms.checkpointDuration.maxShareOfInterval', share, 0.01, 10);
  const threshold = Math.round(checkpointInterval.toMilliseconds() * share);
  const checkpointDuration = createAlarm(app, parent, {
    name: 'checkpointDuration',
    id: 'CheckpointDuration',
    settings: durationSettings,
    defaultEvaluationPeriods: 5,
    metric: app.metricLastCheckpointDuration(),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `Checkpoints of ${path} take more than ${threshold} ms, ${share * 100}% of the ${checkpointInterval.toMilliseconds()} ms checkpoint interval: state grows faster than it is saved.`,
  }, actions);
  return { downtime, fullRestarts, failedCheckpoints, checkpointDuration };
}

/** The alarm on how far behind a Kinesis source the job reads, its threshold a share of the stream's retention. */
export function createSourceLagAlarm(
  app: FlinkApplicationBase, settings: FlinkApplicationAlarms, stream: kinesis.IStream, name: string, retentionHours: number,
): cloudwatch.Alarm | undefined {
  if (settings.enabled === false) return undefined;
  const lag = settings.millisBehindLatest ?? {};
  const share = lag.maxShareOfRetention ?? DEFAULT_RETENTION_SHARE;
  checkRange(app, 'alarms.millisBehindLatest.maxShareOfRetention', share, 0.01, 0.99, undefined, 'A job behind by the whole retention period has lost records');
  const threshold = Math.round(retentionHours * 3_600_000 * share);
  const parent = (app.node.tryFindChild('Alarms') as Construct | undefined) ?? new Construct(app, 'Alarms');
  return createAlarm(app, parent, {
    name: 'millisBehindLatest',
    id: `MillisBehindLatest-${name}`,
    settings: lag,
    defaultEvaluationPeriods: 5,
    metric: app.metricMillisBehindLatest(stream),
    threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `${app.node.path} reads source ${name} more than ${threshold} ms behind, ${share * 100}% of the stream's ${retentionHours}-hour retention: records older than that are lost to the job.`,
  }, settings.actions ?? []);
}
