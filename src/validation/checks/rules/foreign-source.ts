import { DesignModel, ModelResource, parseArn } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { DELIVERY_STREAM, kinesisMappings } from '../topology';

export const foreignSource: DesignRule = {
  id: 'KPX18',
  severity: RuleSeverity.ERROR,
  what: 'A Lambda mapping or Firehose source that names a stream (or an MSK cluster) in another Region than its own stack, or (warning) in another account.',
  why: 'Lambda event source mappings and Firehose read only streams and MSK clusters in their own Region; another account needs a resource policy on the stream (a cluster policy on the cluster), which the app does not show.',
  fix: 'Deploy the consumer in the stream\'s Region (and for another account add a stream resource policy or cluster policy, or replicate the stream).',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    const compare = (resource: ModelResource, arn: unknown, location: string) => {
      const parsed = parseArn(arn);
      if (!parsed || (parsed.service !== 'kinesis' && parsed.service !== 'kafka')) return;
      const policy = parsed.service === 'kafka' ? 'the cluster needs a cluster policy' : 'the stream needs a resource policy';
      if (resource.region && parsed.region && parsed.region !== resource.region) {
        findings.push({ resource, location, message: `reads ${arn} in Region ${parsed.region}, but its stack is in ${resource.region}` });
      } else if (resource.account && parsed.account && parsed.account !== resource.account) {
        findings.push({ resource, location, severity: RuleSeverity.WARNING, message: `reads ${arn} in account ${parsed.account}, but its stack is in ${resource.account}: ${policy} for this account` });
      }
    };
    for (const { mapping } of kinesisMappings(model)) compare(mapping, mapping.properties.EventSourceArn, 'Properties/EventSourceArn');
    for (const ds of model.ofType(DELIVERY_STREAM)) {
      const source = ds.properties.KinesisStreamSourceConfiguration;
      if (source) compare(ds, source.KinesisStreamARN, 'Properties/KinesisStreamSourceConfiguration/KinesisStreamARN');
      const mskSource = ds.properties.MSKSourceConfiguration;
      if (mskSource) compare(ds, mskSource.MSKClusterARN, 'Properties/MSKSourceConfiguration/MSKClusterARN');
    }
    return findings;
  },
};
