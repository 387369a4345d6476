import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { isEncrypted, kinesisMappings } from '../topology';

export const failureDestinationEncryption: DesignRule = {
  id: 'KPX14',
  severity: RuleSeverity.ERROR,
  what: 'An encrypted stream whose Lambda mapping sends failed batches to an unencrypted SQS queue (SSE off, no KMS key) or SNS topic (no KMS key).',
  why: 'The failure record carries the batch\'s shard and sequence numbers (and, with this library\'s consumers, the records themselves): data encrypted at rest in the stream would sit unencrypted in the queue or topic.',
  fix: 'Encrypt the queue (SQS-managed or KMS) or give the topic a KMS key.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const { mapping, stream } of kinesisMappings(model)) {
      if (!stream || !isEncrypted(stream)) continue;
      const dest = model.target(mapping, mapping.properties.DestinationConfig?.OnFailure?.Destination);
      if (!dest) continue;
      const p = dest.properties;
      const unencrypted = dest.type === 'AWS::SQS::Queue' ? p.SqsManagedSseEnabled === false && !p.KmsMasterKeyId
        : dest.type === 'AWS::SNS::Topic' ? !p.KmsMasterKeyId : false;
      if (unencrypted) {
        findings.push({ resource: dest, message: `${dest.type === 'AWS::SQS::Queue' ? 'queue' : 'topic'} receives the failed batches of ${mapping.path} from ${stream.path}, which is encrypted (KMS), but is itself unencrypted` });
      }
    }
    return findings;
  },
};
