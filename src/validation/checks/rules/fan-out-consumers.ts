import { KinesisLimits } from '../../limits';
import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { STREAM, STREAM_CONSUMER } from '../topology';

export const fanOutConsumers: DesignRule = {
  id: 'KPX3',
  severity: RuleSeverity.ERROR,
  what: 'More enhanced fan-out consumers are registered on one stream than the 20 Kinesis allows.',
  why: 'Registering a 21st consumer fails at deployment.',
  fix: 'Share a consumer between readers that can, or read the stream with shared throughput for some of them.',
  check(model: DesignModel): Finding[] {
    return model.ofType(STREAM).flatMap((stream) => {
      const consumers = model.ofType(STREAM_CONSUMER).filter((c) => model.target(c, c.properties.StreamARN) === stream);
      return consumers.length > KinesisLimits.MAX_ENHANCED_FAN_OUT_CONSUMERS
        ? [{ resource: stream, message: `${consumers.length} enhanced fan-out consumers are registered, above the limit of ${KinesisLimits.MAX_ENHANCED_FAN_OUT_CONSUMERS} per stream` }]
        : [];
    });
  },
};
