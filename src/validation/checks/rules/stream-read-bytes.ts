import { KinesisLimits } from '../../limits';
import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { mib, readersOf, shardsOf, STREAM } from '../topology';

export const streamReadBytes: DesignRule = {
  id: 'KPX2',
  severity: RuleSeverity.ERROR,
  what: 'The shared-throughput readers of a stream together read more bytes per shard than the 2 MiB/s a shard serves them: every shared reader reads all that is written.',
  why: 'Shared readers split one 2 MiB/s per shard; at the write rate declared (or, without one, the shard\'s full 1 MiB/s) more readers than that allows fall behind and their iterator age grows.',
  fix: 'Give readers enhanced fan-out (2 MiB/s per shard each), add shards, or declare the real write rate (DataStream throughput or KinesisDesign.declareProducer).',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const stream of model.ofType(STREAM)) {
      const shared = readersOf(model, stream).filter((r) => !r.enhancedFanOut);
      if (shared.length < 2) continue;
      const shards = shardsOf(stream);
      const declared = model.declaredWrite(stream);
      const perShard = declared && shards ? declared.bytesPerSecond / shards : KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND;
      const read = perShard * shared.length;
      if (read > KinesisLimits.SHARD_READ_BYTES_PER_SECOND) {
        findings.push({
          resource: stream,
          message: `${shared.length} shared-throughput readers (${shared.map((r) => r.describe).join('; ')}) each read ${mib(perShard)}/s per shard (${declared && shards ? `from ${declared.source}` : 'the shard\'s full write capacity, no write rate declared'}), ${mib(read)}/s in all, above the limit of ${mib(KinesisLimits.SHARD_READ_BYTES_PER_SECOND)}/s per shard`,
        });
      }
    }
    return findings;
  },
};
