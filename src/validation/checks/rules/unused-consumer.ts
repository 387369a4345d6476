import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { FLINK_APP, kinesisMappings, STREAM_CONSUMER } from '../topology';

export const unusedConsumer: DesignRule = {
  id: 'KPX4',
  severity: RuleSeverity.WARNING,
  what: 'An enhanced fan-out consumer that no Lambda mapping, Flink application or IAM policy of the app uses.',
  why: 'A registered consumer is billed per shard-hour whether or not anything reads through it.',
  fix: 'Point the reader\'s event source at the consumer\'s ARN, grant the outside reader kinesis:SubscribeToShard on it, or remove the consumer.',
  check(model: DesignModel): Finding[] {
    const used = new Set(kinesisMappings(model).map((m) => m.consumer).filter((c) => c !== undefined));
    return model.ofType(STREAM_CONSUMER).filter((c) => !used.has(c)
      && !model.ofType(FLINK_APP).some((a) => model.mentions(a, a.properties, c))
      && ![...model.ofType('AWS::IAM::Policy'), ...model.ofType('AWS::IAM::Role')].some((p) => model.mentions(p, p.properties, c)))
      .map((c) => ({ resource: c, message: `consumer ${c.properties.ConsumerName ?? c.logicalId} is registered but no reader in the app uses it` }));
  },
};
