import { DesignModel, ModelResource, parseArn, asArray } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { FLINK_APP } from '../topology';

export const flinkSourceRegion: DesignRule = {
  id: 'KPX20',
  severity: RuleSeverity.WARNING,
  what: 'A Flink application whose Kinesis source or sink properties (aws.region, or a stream ARN) name another Region than the application\'s stack.',
  why: 'Reading across Regions adds latency and inter-Region data transfer for every record, and fails if the Region is a mistake.',
  fix: 'Run the application in the stream\'s Region, or make the cross-Region read explicit and accept its cost.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const app of model.ofType(FLINK_APP) as ModelResource[]) {
      if (!app.region) continue;
      for (const group of asArray(app.properties.ApplicationConfiguration?.EnvironmentProperties?.PropertyGroups)) {
        const map = (group.PropertyMap ?? {}) as Record<string, unknown>;
        for (const [key, value] of Object.entries(map)) {
          const region = key === 'aws.region' || key.endsWith('.aws.region') ? value : parseArn(value)?.service === 'kinesis' ? parseArn(value)!.region : undefined;
          if (typeof region === 'string' && region !== '' && region !== app.region) {
            findings.push({ resource: app, location: `Properties/ApplicationConfiguration/EnvironmentProperties/PropertyGroups/${group.PropertyGroupId}`, message: `property group ${group.PropertyGroupId} ${key} names Region ${region}, but the application runs in ${app.region}` });
          }
        }
      }
    }
    return findings;
  },
};
