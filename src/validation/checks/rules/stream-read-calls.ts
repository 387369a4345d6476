import { KinesisLimits } from '../../limits';
import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { readersOf, STREAM } from '../topology';

export const streamReadCalls: DesignRule = {
  id: 'KPX1',
  severity: RuleSeverity.ERROR,
  what: 'The shared-throughput readers of a stream (Lambda mappings, Firehose sources, polling Flink sources) make more GetRecords calls per shard than the 5 per second a shard serves.',
  why: 'Each shard serves 5 GetRecords calls per second to all shared readers together; beyond that reads are throttled (ReadProvisionedThroughputExceeded) and every reader falls behind.',
  fix: 'Move readers to enhanced fan-out (a StreamConsumer, or EFO for Flink), lengthen a Flink source\'s polling interval, or let one reader fan records out.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const stream of model.ofType(STREAM)) {
      const shared = readersOf(model, stream).filter((r) => !r.enhancedFanOut);
      const calls = shared.reduce((s, r) => s + r.callsPerSecondPerShard, 0);
      if (calls > KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND) {
        findings.push({
          resource: stream,
          location: 'Properties',
          message: `${shared.length} shared-throughput readers make ${calls} GetRecords calls/s per shard, above the limit of ${KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND} calls/s per shard: ${shared.map((r) => `${r.describe} ${r.callsPerSecondPerShard}/s`).join('; ')}`,
        });
      }
    }
    return findings;
  },
};
