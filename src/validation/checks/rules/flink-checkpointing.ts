import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { FLINK_APP, flinkSourcesOf, STREAM } from '../topology';

export const flinkCheckpointing: DesignRule = {
  id: 'KPX21',
  severity: RuleSeverity.WARNING,
  what: 'A Flink application reading a Kinesis stream with checkpointing turned off (CheckpointConfiguration CUSTOM with CheckpointingEnabled false).',
  why: 'Without checkpoints the source\'s shard positions and the job\'s state are lost at every restart or scaling: records are read again or skipped, depending on the starting position.',
  fix: 'Keep the DEFAULT checkpoint configuration, or set CheckpointingEnabled true with an interval.',
  check(model: DesignModel): Finding[] {
    const readers = new Set(model.ofType(STREAM).flatMap((s) => flinkSourcesOf(model, s).map((f) => f.app)));
    return model.ofType(FLINK_APP).filter((app) => {
      const c = app.properties.ApplicationConfiguration?.FlinkApplicationConfiguration?.CheckpointConfiguration;
      return readers.has(app) && c?.ConfigurationType === 'CUSTOM' && c.CheckpointingEnabled === false;
    }).map((app) => ({ resource: app, location: 'Properties/ApplicationConfiguration/FlinkApplicationConfiguration/CheckpointConfiguration', message: 'checkpointing is off (CUSTOM, CheckpointingEnabled false) on an application that reads a Kinesis stream' }));
  },
};
