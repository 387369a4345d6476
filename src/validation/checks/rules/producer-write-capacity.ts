import { KinesisLimits } from '../../limits';
import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { mib, shardsOf, STREAM } from '../topology';

export const producerWriteCapacity: DesignRule = {
  id: 'KPX5',
  severity: RuleSeverity.ERROR,
  what: 'Producers declared (KinesisDesign.declareProducer) faster than the stream\'s write capacity: 1 MiB/s and 1,000 records/s per shard, or an on-demand stream\'s default maximum.',
  why: 'Writes above capacity are throttled (WriteProvisionedThroughputExceeded); producers retry, slow down, and finally lose or return records.',
  fix: 'Add shards (or give the stream its throughput so that DataStream plans them), or use on-demand mode.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const stream of model.ofType(STREAM)) {
      const declared = model.declaredRates.filter((r) => r.streamPath === stream.path);
      if (declared.length === 0) continue;
      const bytes = declared.reduce((s, r) => s + r.bytesPerSecond, 0);
      const records = declared.reduce((s, r) => s + r.recordsPerSecond, 0);
      const who = declared.map((r) => r.producerPath).join(', ');
      const shards = shardsOf(stream);
      if (shards !== undefined) {
        const maxBytes = shards * KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND;
        const maxRecords = shards * KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND;
        if (bytes > maxBytes) findings.push({ resource: stream, message: `producers ${who} declare ${mib(bytes)}/s, above the write capacity of ${shards} shards, ${mib(maxBytes)}/s (${mib(KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND)}/s per shard)` });
        if (records > maxRecords) findings.push({ resource: stream, message: `producers ${who} declare ${records} records/s, above the write capacity of ${shards} shards, ${maxRecords} records/s (${KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND} per shard)` });
      } else if (bytes > KinesisLimits.ON_DEMAND_MAX_WRITE_MIB_PER_SECOND * 1024 * 1024) {
        findings.push({ resource: stream, message: `producers ${who} declare ${mib(bytes)}/s, above an on-demand stream's default maximum of ${KinesisLimits.ON_DEMAND_MAX_WRITE_MIB_PER_SECOND} MiB/s` });
      }
    }
    return findings;
  },
};
