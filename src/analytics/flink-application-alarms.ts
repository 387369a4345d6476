import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSettings } from '../monitoring/alarm-settings';

/** The alarm on how long checkpoints take. */
export interface CheckpointDurationAlarmSettings extends AlarmSettings {
  /**
   * Share of the checkpoint interval a checkpoint may take before the alarm fires: a checkpoint that takes as long
   * as the interval leaves no time between checkpoints, and state grows faster than it is saved.
   *
   * @default 0.8
   */
  readonly maxShareOfInterval?: number;
}

/** The alarm on how far behind its Kinesis sources the job reads. */
export interface SourceLagAlarmSettings extends AlarmSettings {
  /**
   * Share of the source stream's retention period the job may fall behind before the alarm fires: records older
   * than the retention period are lost to the job.
   *
   * @default 0.5
   */
  readonly maxShareOfRetention?: number;
}

/**
 * The alarms of a Flink application or Studio notebook. All are on by default, with thresholds derived from the
 * application's own settings; each can be turned off or tuned.
 */
export interface FlinkApplicationAlarms {
  /**
   * Set to false to create no alarm at all.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Actions every alarm runs when it fires and when it recovers.
   *
   * @default - no actions
   */
  readonly actions?: cloudwatch.IAlarmAction[];
  /**
   * The job is not running (`downtime` above 0 ms).
   *
   * @default - on, 1-minute periods, 5 of 5
   */
  readonly downtime?: AlarmSettings;
  /**
   * The job restarted (`fullRestarts` went up).
   *
   * @default - on, fires on the first restart within a period
   */
  readonly fullRestarts?: AlarmSettings;
  /**
   * A checkpoint failed (`numberOfFailedCheckpoints` went up). Only with checkpointing on.
   *
   * @default - on, fires on the first failure within a period
   */
  readonly failedCheckpoints?: AlarmSettings;
  /**
   * Checkpoints take too long against the checkpoint interval (`lastCheckpointDuration`). Only with checkpointing on.
   *
   * @default - on, see `CheckpointDurationAlarmSettings`
   */
  readonly checkpointDuration?: CheckpointDurationAlarmSettings;
  /**
   * The job falls behind a Kinesis source (`millisBehindLatest`), one alarm per source.
   *
   * @default - on, see `SourceLagAlarmSettings`
   */
  readonly millisBehindLatest?: SourceLagAlarmSettings;
}
