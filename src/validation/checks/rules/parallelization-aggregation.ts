import { PRODUCER_ENVIRONMENT } from '../../../contracts/producer-environment';
import { DesignModel, ModelResource, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { FUNCTION, kinesisMappings } from '../topology';

/** Functions that write KPL aggregated records to `stream`: AGGREGATION_ENABLED with the stream in their environment or policy. */
export function aggregatingProducers(model: DesignModel, stream: ModelResource): ModelResource[] {
  return model.ofType(FUNCTION).filter((fn) => {
    const env = fn.properties.Environment?.Variables ?? {};
    if (String(env[PRODUCER_ENVIRONMENT.AGGREGATION_ENABLED]).toLowerCase() !== 'true') return false;
    return model.refersTo(fn, env[PRODUCER_ENVIRONMENT.STREAM_ARN], stream)
      || model.refersTo(fn, env[PRODUCER_ENVIRONMENT.STREAM_NAME], stream)
      || model.functionMayCall(fn, ['kinesis:PutRecords', 'kinesis:PutRecord'], stream);
  });
}

export const parallelizationAggregation: DesignRule = {
  id: 'KPX10',
  severity: RuleSeverity.WARNING,
  what: 'A Lambda mapping with a parallelization factor above 1 on a stream that a producer writes KPL aggregated records to (AGGREGATION_ENABLED=true on a function writing to it).',
  why: 'Lambda orders by the aggregated record\'s outer partition key, so with several batches per shard in flight the user records inside lose their per-key order.',
  fix: 'Keep the parallelization factor at 1 on aggregated streams, or turn aggregation off in the producer.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const { mapping, stream } of kinesisMappings(model)) {
      const factor = num(mapping.properties.ParallelizationFactor);
      if (!stream || factor === undefined || factor <= 1) continue;
      const producers = aggregatingProducers(model, stream);
      if (producers.length > 0) {
        findings.push({ resource: mapping, location: 'Properties/ParallelizationFactor', message: `parallelization factor ${factor} (at most 1 keeps order) on ${stream.path}, which ${producers.map((p) => p.path).join(', ')} write KPL aggregated records to` });
      }
    }
    return findings;
  },
};
