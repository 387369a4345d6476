import { DesignModel, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { kinesisMappings } from '../topology';

export const unboundedRetries: DesignRule = {
  id: 'KPX9',
  severity: RuleSeverity.ERROR,
  what: 'A Lambda mapping on a Kinesis stream that retries a failing batch without bound: neither MaximumRetryAttempts nor MaximumRecordAgeInSeconds is set (aws-cdk-lib\'s default, -1 for both).',
  why: 'One record the function cannot handle blocks its shard until the record expires from the stream; everything behind it waits, then is lost.',
  fix: 'Set retryAttempts (and bisectBatchOnError) and maxRecordAge on the event source, or use LambdaStreamConsumer, which bounds both.',
  check(model: DesignModel): Finding[] {
    return kinesisMappings(model).filter(({ mapping }) => {
      const retries = mapping.properties.MaximumRetryAttempts;
      const age = mapping.properties.MaximumRecordAgeInSeconds;
      const unbounded = (v: unknown) => v === undefined || num(v) === -1;
      return unbounded(retries) && unbounded(age);
    }).map(({ mapping }) => ({
      resource: mapping,
      location: 'Properties/MaximumRetryAttempts',
      message: `MaximumRetryAttempts is ${mapping.properties.MaximumRetryAttempts ?? 'not set (-1: forever)'} and MaximumRecordAgeInSeconds is ${mapping.properties.MaximumRecordAgeInSeconds ?? 'not set (-1: forever)'}; at most 10,000 attempts and 604,800 s can be set`,
    }));
  },
};
