import { DesignModel, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { functionOf, kinesisMappings, shardsOf } from '../topology';

export const consumerConcurrency: DesignRule = {
  id: 'KPX13',
  severity: RuleSeverity.WARNING,
  what: 'A consumer function whose reserved concurrency is below what its Kinesis mappings run at once: shards x parallelization factor.',
  why: 'Lambda runs one batch per shard and parallelization slot at a time; with fewer instances allowed, invocations are throttled and the iterator age grows.',
  fix: 'Raise the reserved concurrency to at least shards x parallelization factor, or remove it.',
  check(model: DesignModel): Finding[] {
    const needed = new Map<string, { fn: any; total: number; parts: string[] }>();
    for (const { mapping, stream } of kinesisMappings(model)) {
      const fn = functionOf(model, mapping);
      const shards = stream && shardsOf(stream);
      if (!fn || shards === undefined) continue;
      const factor = num(mapping.properties.ParallelizationFactor) ?? 1;
      const entry = needed.get(fn.path) ?? { fn, total: 0, parts: [] };
      entry.total += shards * factor;
      entry.parts.push(`${stream!.path}: ${shards} shards x ${factor}`);
      needed.set(fn.path, entry);
    }
    const findings: Finding[] = [];
    for (const { fn, total, parts } of needed.values()) {
      const reserved = num(fn.properties.ReservedConcurrentExecutions);
      if (reserved !== undefined && reserved < total) {
        findings.push({ resource: fn, location: 'Properties/ReservedConcurrentExecutions', message: `reserved concurrency ${reserved} is below the ${total} concurrent batches its mappings run (${parts.join('; ')})` });
      }
    }
    return findings;
  },
};
