import { DesignModel, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { flinkSourcesOf, shardsOf, STREAM } from '../topology';

export const flinkParallelism: DesignRule = {
  id: 'KPX22',
  severity: RuleSeverity.WARNING,
  what: 'A Flink application whose parallelism is above the shard count of every provisioned stream it reads.',
  why: 'Each shard is read by one source subtask; subtasks beyond the shard count sit idle and still cost KPUs (unless later operators need them).',
  fix: 'Lower the parallelism (or ParallelismPerKPU) to the shard count, or add shards if more throughput is needed.',
  check(model: DesignModel): Finding[] {
    const maxShards = new Map<string, { app: any; shards: number; streams: string[] }>();
    for (const stream of model.ofType(STREAM)) {
      const shards = shardsOf(stream);
      for (const { app } of flinkSourcesOf(model, stream)) {
        const entry = maxShards.get(app.path) ?? { app, shards: 0, streams: [] };
        entry.shards = shards === undefined ? Infinity : Math.max(entry.shards, shards);
        entry.streams.push(stream.path);
        maxShards.set(app.path, entry);
      }
    }
    const findings: Finding[] = [];
    for (const { app, shards, streams } of maxShards.values()) {
      const p = app.properties.ApplicationConfiguration?.FlinkApplicationConfiguration?.ParallelismConfiguration;
      const parallelism = p?.ConfigurationType === 'CUSTOM' ? num(p.Parallelism) : undefined;
      if (parallelism !== undefined && Number.isFinite(shards) && parallelism > shards) {
        findings.push({ resource: app, location: 'Properties/ApplicationConfiguration/FlinkApplicationConfiguration/ParallelismConfiguration/Parallelism', message: `parallelism ${parallelism} is above the ${shards} shards of the streams it reads (${streams.join(', ')})` });
      }
    }
    return findings;
  },
};
