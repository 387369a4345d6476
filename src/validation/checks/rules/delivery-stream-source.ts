import { Token } from 'aws-cdk-lib';
import { DesignModel } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { DELIVERY_STREAM } from '../topology';

/** Each source configuration a delivery stream may carry, and the `DeliveryStreamType` that goes with it. */
const SOURCES: Array<{ property: string; type: string }> = [
  { property: 'KinesisStreamSourceConfiguration', type: 'KinesisStreamAsSource' },
  { property: 'MSKSourceConfiguration', type: 'MSKAsSource' },
  { property: 'DatabaseSourceConfiguration', type: 'DatabaseAsSource' },
];
const DIRECT_PUT = 'DirectPut';

export const deliveryStreamSource: DesignRule = {
  id: 'KPX23',
  severity: RuleSeverity.ERROR,
  what: 'A Firehose delivery stream without exactly one source (direct PUT, or one of KinesisStreamSourceConfiguration, MSKSourceConfiguration, DatabaseSourceConfiguration) whose DeliveryStreamType matches it, or with server-side encryption and a source other than direct PUT.',
  why: 'A delivery stream reads one source, named by DeliveryStreamType (DirectPut when not set): Firehose refuses a configuration of another source or of two, and allows server-side encryption with direct PUT only.',
  fix: 'Keep one source configuration and set DeliveryStreamType to match it (KinesisStreamAsSource, MSKAsSource, DatabaseAsSource, or DirectPut with none); use one delivery stream per source; drop DeliveryStreamEncryptionConfigurationInput with a stream, MSK or database source.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const ds of model.ofType(DELIVERY_STREAM)) {
      const given = SOURCES.filter((s) => ds.properties[s.property] !== undefined);
      const type = ds.properties.DeliveryStreamType;
      if (given.length > 1) {
        findings.push({ resource: ds, location: `Properties/${given[1].property}`, message: `has ${given.length} sources (${given.map((s) => s.property).join(', ')}): a delivery stream reads exactly one` });
        continue;
      }
      if (type !== undefined && (typeof type !== 'string' || Token.isUnresolved(type))) continue;
      const actual = type ?? DIRECT_PUT;
      const source = given[0];
      if (source && actual !== source.type) {
        findings.push({ resource: ds, location: 'Properties/DeliveryStreamType', message: `has ${source.property} but DeliveryStreamType ${type === undefined ? 'is not set (DirectPut)' : `'${type}'`}: set it to '${source.type}'` });
      } else if (!source && actual !== DIRECT_PUT) {
        const expected = SOURCES.find((s) => s.type === actual);
        findings.push({
          resource: ds,
          location: 'Properties/DeliveryStreamType',
          message: expected
            ? `has DeliveryStreamType '${actual}' but no ${expected.property}: add it, or use DirectPut`
            : `has DeliveryStreamType '${actual}', which is not one of DirectPut, ${SOURCES.map((s) => s.type).join(', ')}`,
        });
      } else if (source && ds.properties.DeliveryStreamEncryptionConfigurationInput !== undefined) {
        findings.push({ resource: ds, location: 'Properties/DeliveryStreamEncryptionConfigurationInput', message: `has server-side encryption with its ${source.property}: Firehose allows it with direct PUT only (the source's own encryption applies)` });
      }
    }
    return findings;
  },
};
