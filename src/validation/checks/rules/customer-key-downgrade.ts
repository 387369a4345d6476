import { DesignModel, ModelResource } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { DELIVERY_STREAM, DESTINATION_KEYS, functionOf, hasCustomerKey, kinesisMappings, streamOf } from '../topology';

function bucketHasKms(bucket: ModelResource): boolean {
  return (bucket.properties.BucketEncryption?.ServerSideEncryptionConfiguration ?? []).some((c: any) =>
    String(c.ServerSideEncryptionByDefault?.SSEAlgorithm ?? '').startsWith('aws:kms'));
}

export const customerKeyDowngrade: DesignRule = {
  id: 'KPX15',
  severity: RuleSeverity.WARNING,
  what: 'A stream encrypted with a customer-managed KMS key whose records land where no customer key protects them: a Firehose destination bucket without KMS, a Firehose or consumer log group without a KMS key.',
  why: 'The key policy is what limits who reads the stream\'s data; a copy under AWS-owned keys is readable by anyone with access to the bucket or log group.',
  fix: 'Encrypt the bucket (or the delivery\'s output) and the log groups with a KMS key, the stream\'s or one with a matching policy.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    const logGroupGap = (from: ModelResource, value: unknown, stream: ModelResource, via: string) => {
      const group = model.ofType('AWS::Logs::LogGroup').find((g) => model.refersTo(from, value, g));
      if (group && !group.properties.KmsKeyId) findings.push({ resource: group, message: `log group of ${via} has no KMS key, while ${stream.path} is encrypted with a customer-managed key` });
    };
    for (const ds of model.ofType(DELIVERY_STREAM)) {
      const stream = streamOf(model, ds, ds.properties.KinesisStreamSourceConfiguration?.KinesisStreamARN).stream;
      if (!stream || !hasCustomerKey(stream)) continue;
      for (const key of DESTINATION_KEYS) {
        const dest = ds.properties[key];
        if (!dest) continue;
        const s3 = dest.BucketARN ? dest : dest.S3Configuration;
        const bucket = s3 && model.target(ds, s3.BucketARN);
        const deliveryKms = s3?.EncryptionConfiguration?.KMSEncryptionConfig;
        if (bucket && bucket.type === 'AWS::S3::Bucket' && !deliveryKms && !bucketHasKms(bucket)) {
          findings.push({ resource: bucket, message: `bucket receives ${ds.path}'s delivery of ${stream.path}, which is encrypted with a customer-managed key, but the bucket and the delivery use no KMS key` });
        }
        logGroupGap(ds, dest.CloudWatchLoggingOptions?.LogGroupName, stream, ds.path);
      }
    }
    for (const { mapping, stream } of kinesisMappings(model)) {
      if (!stream || !hasCustomerKey(stream)) continue;
      const fn = functionOf(model, mapping);
      if (fn) logGroupGap(fn, fn.properties.LoggingConfig?.LogGroup, stream, fn.path);
    }
    return findings;
  },
};
