import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { DELIVERY_STREAM, DESTINATION_KEYS } from '../topology';

export const firehoseErrorLogging: DesignRule = {
  id: 'KPX17',
  severity: RuleSeverity.WARNING,
  what: 'A delivery stream destination without CloudWatch error logging.',
  why: 'Firehose reports failed deliveries, transforms and format conversions only in its error log; without it a failing pipeline shows nothing but missing data.',
  fix: 'Enable CloudWatchLoggingOptions on the destination (aws-cdk-lib: loggingConfig; this library\'s delivery streams do it).',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const ds of model.ofType(DELIVERY_STREAM)) {
      for (const key of DESTINATION_KEYS) {
        const dest = ds.properties[key];
        if (dest && dest.CloudWatchLoggingOptions?.Enabled !== true) {
          findings.push({ resource: ds, location: `Properties/${key}/CloudWatchLoggingOptions`, message: `${key} has no error logging (CloudWatchLoggingOptions.Enabled is ${dest.CloudWatchLoggingOptions?.Enabled ?? 'not set'})` });
        }
      }
    }
    return findings;
  },
};
