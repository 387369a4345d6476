import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSettings } from '../monitoring/alarm-settings';

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
