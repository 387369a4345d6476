import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { DELIVERY_STREAM, functionOf, isEncrypted, kinesisMappings } from '../topology';

export const unencryptedDeliveryStream: DesignRule = {
  id: 'KPX16',
  severity: RuleSeverity.WARNING,
  what: 'A consumer of an encrypted stream that writes to a direct-PUT delivery stream without server-side encryption.',
  why: 'Firehose keeps records at rest while it buffers them; without encryption they are unencrypted there, although they were encrypted in the stream.',
  fix: 'Turn on the delivery stream\'s server-side encryption (DeliveryStreamEncryptionConfigurationInput), or read the stream with the delivery stream directly.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    const deliveries = model.ofType(DELIVERY_STREAM)
      // Only a direct-PUT delivery stream receives records from a function; SSE is refused with the other sources.
      .filter((d) => !d.properties.KinesisStreamSourceConfiguration && !d.properties.MSKSourceConfiguration)
      .filter((d) => !d.properties.DeliveryStreamEncryptionConfigurationInput);
    for (const { mapping, stream } of kinesisMappings(model)) {
      const fn = functionOf(model, mapping);
      if (!stream || !fn || !isEncrypted(stream)) continue;
      for (const d of deliveries) {
        if (model.functionMayCall(fn, ['firehose:PutRecordBatch', 'firehose:PutRecord'], d)) {
          findings.push({ resource: d, location: 'Properties/DeliveryStreamEncryptionConfigurationInput', message: `receives records from ${fn.path}, which reads ${stream.path} (encrypted), but has no server-side encryption` });
        }
      }
    }
    return findings;
  },
};
