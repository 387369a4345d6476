import { DesignModel, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { kinesisMappings, retentionHoursOf } from '../topology';

export const recordAgeRetention: DesignRule = {
  id: 'KPX6',
  severity: RuleSeverity.WARNING,
  what: 'A Lambda mapping\'s maximum record age is longer than the retention of the stream it reads.',
  why: 'Records expire from the stream before they reach that age, so the limit never applies: a consumer that falls behind loses records without sending them to its failure destination.',
  fix: 'Set the maximum record age below the retention, or lengthen the retention.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const { mapping, stream } of kinesisMappings(model)) {
      const age = num(mapping.properties.MaximumRecordAgeInSeconds);
      const hours = stream && retentionHoursOf(stream);
      if (age === undefined || age < 0 || hours === undefined) continue;
      if (age > hours * 3600) {
        findings.push({ resource: mapping, location: 'Properties/MaximumRecordAgeInSeconds', message: `maximum record age ${age} s is longer than the retention of ${stream!.path}, ${hours} hours (${hours * 3600} s)` });
      }
    }
    return findings;
  },
};
