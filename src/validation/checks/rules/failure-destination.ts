import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { kinesisMappings } from '../topology';

export const failureDestination: DesignRule = {
  id: 'KPX8',
  severity: RuleSeverity.WARNING,
  what: 'A Lambda mapping on a Kinesis stream without an on-failure destination.',
  why: 'When retries or the maximum record age run out, Lambda skips the batch: without a destination those records are lost with no trace.',
  fix: 'Give the mapping an on-failure destination (SQS queue, SNS topic or S3 bucket); LambdaStreamConsumer creates one.',
  check(model: DesignModel): Finding[] {
    return kinesisMappings(model)
      .filter(({ mapping }) => !mapping.properties.DestinationConfig?.OnFailure?.Destination)
      .map(({ mapping }) => ({ resource: mapping, location: 'Properties/DestinationConfig', message: 'no on-failure destination: records Lambda gives up on are dropped without a trace' }));
  },
};
