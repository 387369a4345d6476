import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FlinkLimits } from '../../validation/limits';
import { checkRange, fail, warn } from '../../validation/rules';
import { FlinkRestore } from '../flink-monitoring';

export interface StateOptions {
  readonly checkpointing?: boolean;
  readonly checkpointInterval?: Duration;
  readonly minPauseBetweenCheckpoints?: Duration;
  readonly snapshots?: boolean;
  readonly restore?: FlinkRestore;
  readonly allowNonRestoredState?: boolean;
}

export interface ResolvedState {
  readonly checkpointing: boolean;
  readonly interval: Duration;
  readonly minPause: Duration;
  readonly snapshots: boolean;
  readonly restore: FlinkRestore;
}

/** Checkpoints, snapshots and restore, with the defaults and the combinations the service (or production mode) refuses. */
export function resolveState(scope: Construct, props: StateOptions, production: boolean): ResolvedState {
  const checkpointing = props.checkpointing ?? true;
  if (!checkpointing) {
    if (production) {
      fail(scope, 'checkpointing is off, which production mode refuses: a restart would lose the job\'s state and replay or skip records. ' +
        'Turn checkpointing on, or set production: false for a test application');
    }
    warn(scope, 'FlinkCheckpointingOff', 'checkpointing is off: a restart loses the job\'s state (allowed because production is false)');
    if (props.checkpointInterval || props.minPauseBetweenCheckpoints) fail(scope, 'checkpointInterval and minPauseBetweenCheckpoints need checkpointing on');
  }
  const interval = props.checkpointInterval ?? Duration.millis(FlinkLimits.DEFAULT_CHECKPOINT_INTERVAL_MS);
  const minPause = props.minPauseBetweenCheckpoints ?? Duration.millis(FlinkLimits.DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS);
  checkRange(scope, 'checkpointInterval', interval.toMilliseconds(), FlinkLimits.MIN_CHECKPOINT_INTERVAL_MS, Number.MAX_SAFE_INTEGER, 'ms');
  checkRange(scope, 'minPauseBetweenCheckpoints', minPause.toMilliseconds(), 0, Number.MAX_SAFE_INTEGER, 'ms');

  const snapshots = props.snapshots ?? true;
  const restore = props.restore ?? (snapshots ? FlinkRestore.LATEST_SNAPSHOT : FlinkRestore.NONE);
  if (restore.usesSnapshot && !snapshots) {
    fail(scope, `restore ${restore.restoreType} needs snapshots, which are off: turn snapshots on, or use FlinkRestore.NONE to start without state`);
  }
  if (props.allowNonRestoredState && !restore.usesSnapshot) fail(scope, 'allowNonRestoredState applies only when restoring from a snapshot, but restore is FlinkRestore.NONE');
  return { checkpointing, interval, minPause, snapshots, restore };
}

