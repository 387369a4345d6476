import { LambdaLimits, StreamReaderLimits } from '../../limits';
import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { kinesisMappings, maxRecordBytesOf, mib } from '../topology';

export const recordTooLargeForLambda: DesignRule = {
  id: 'KPX12',
  severity: RuleSeverity.ERROR,
  what: 'A Lambda mapping on a stream whose maximum record size (MaxRecordSizeInKiB), base64-encoded, is above Lambda\'s 6 MB invocation payload.',
  why: 'A record that large can never be delivered to the function: the mapping retries it until it expires or is skipped.',
  fix: 'Keep MaxRecordSizeInKiB at or below 4,608 KiB for streams read by Lambda, or read large records with a KCL application or Flink.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const { mapping, stream } of kinesisMappings(model)) {
      const max = stream && maxRecordBytesOf(stream);
      if (!max) continue;
      if (max * StreamReaderLimits.LAMBDA_EVENT_BASE64_GROWTH > LambdaLimits.MAX_SYNC_PAYLOAD_BYTES) {
        findings.push({ resource: mapping, message: `${stream!.path} accepts records of ${mib(max)} (${mib(max * StreamReaderLimits.LAMBDA_EVENT_BASE64_GROWTH)} base64-encoded), above Lambda's payload limit of ${mib(LambdaLimits.MAX_SYNC_PAYLOAD_BYTES)}` });
      }
    }
    return findings;
  },
};
