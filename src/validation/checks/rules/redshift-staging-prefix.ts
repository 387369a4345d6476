import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { DELIVERY_STREAM } from '../topology';

export const redshiftStagingPrefix: DesignRule = {
  id: 'KPX19',
  severity: RuleSeverity.ERROR,
  what: 'A Redshift delivery whose staging (intermediate S3) prefix uses partition-key expressions (!{partitionKeyFrom...}), or uses expressions while its error prefix lacks !{firehose:error-output-type}.',
  why: 'Dynamic partitioning is not available for Redshift destinations, so partition keys never resolve; and Firehose refuses a prefix with expressions unless the error prefix names the error output type. Either fails at deployment.',
  fix: 'Stage under a plain prefix or one with !{timestamp:...} only, and give the error prefix !{firehose:error-output-type}.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const ds of model.ofType(DELIVERY_STREAM)) {
      const s3 = ds.properties.RedshiftDestinationConfiguration?.S3Configuration;
      const prefix = s3?.Prefix;
      if (typeof prefix !== 'string') continue;
      const location = 'Properties/RedshiftDestinationConfiguration/S3Configuration/Prefix';
      if (prefix.includes('!{partitionKeyFrom')) {
        findings.push({ resource: ds, location, message: `staging prefix '${prefix}' uses partition keys, which need dynamic partitioning, not available for Redshift destinations` });
      } else if (prefix.includes('!{')) {
        const errors = s3.ErrorOutputPrefix;
        if (typeof errors !== 'string' || !errors.includes('!{firehose:error-output-type}')) {
          findings.push({ resource: ds, location, message: `staging prefix '${prefix}' uses expressions, so the error prefix must contain !{firehose:error-output-type}, got ${errors === undefined ? 'none' : `'${errors}'`}` });
        }
      }
    }
    return findings;
  },
};
