import { LambdaLimits, StreamReaderLimits } from '../../limits';
import { DesignModel, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { kinesisMappings, mib } from '../topology';

const BASE64_GROWTH = StreamReaderLimits.LAMBDA_EVENT_BASE64_GROWTH;

export const batchPayload: DesignRule = {
  id: 'KPX11',
  severity: RuleSeverity.WARNING,
  what: 'A Lambda mapping whose batch size times the stream\'s average record size (base64-encoded, as Lambda sends it) is above Lambda\'s 6 MB invocation payload.',
  why: 'Lambda cuts batches at 6 MB, so the batch size is never reached: the function is invoked more often than planned, with smaller batches.',
  fix: 'Lower the batch size to what fits in 6 MB, or make records smaller (compress, or aggregate fewer).',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const { mapping, stream } of kinesisMappings(model)) {
      const declared = stream && model.declaredWrite(stream);
      if (!declared || declared.recordsPerSecond <= 0) continue;
      const batch = num(mapping.properties.BatchSize) ?? StreamReaderLimits.DEFAULT_KINESIS_BATCH_SIZE;
      const average = declared.bytesPerSecond / declared.recordsPerSecond;
      const payload = batch * average * BASE64_GROWTH;
      if (payload > LambdaLimits.MAX_SYNC_PAYLOAD_BYTES) {
        findings.push({ resource: mapping, location: 'Properties/BatchSize', message: `batch size ${batch} x ${Math.round(average)} bytes average (${declared.source}) x 4/3 base64 is ${mib(payload)}, above Lambda's payload limit of ${mib(LambdaLimits.MAX_SYNC_PAYLOAD_BYTES)}; at most ${Math.floor(LambdaLimits.MAX_SYNC_PAYLOAD_BYTES / (average * BASE64_GROWTH))} records fit` });
      }
    }
    return findings;
  },
};
