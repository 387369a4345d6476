import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * Acknowledgements, with their reasons, of the cdk-nag findings that a delivery stream cannot avoid. They are
 * specific findings (`AwsSolutions-IAM5[Action::...]`), never whole rules, so that a wildcard someone adds later to
 * the same role is still reported.
 */

const S3_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'];
const KMS_ACTIONS = ['kms:ReEncrypt*', 'kms:GenerateDataKey*'];

function arnFinding(resource: IConstruct, suffix: string): string | undefined {
  const cfn = resource.node.defaultChild;
  if (!CfnResource.isCfnResource(cfn)) return undefined;
  return `AwsSolutions-IAM5[Resource::<${Stack.of(resource).resolve(cfn.logicalId)}.Arn>${suffix}]`;
}

/**
 * The wildcards aws-cdk-lib's S3 destination grants the delivery role: objects in the destination and backup buckets
 * (created here or brought by the user), and the versions of the transform function this construct created.
 */
export function acknowledgeDeliveryRole(role: IConstruct, created: { buckets: s3.IBucket[]; transform?: IConstruct; formatConversion: boolean }): void {
  const v = Validations.of(role);
  for (const action of S3_ACTIONS) {
    v.acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: 'aws-cdk-lib\'s S3 destination grants read/write on the destination and backup buckets; Firehose needs multipart and listing actions on them' });
  }
  for (const action of KMS_ACTIONS) {
    v.acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: 'Encrypting with a KMS key needs GenerateDataKey and ReEncrypt variants; the grant names only the delivery stream\'s own key' });
  }
  for (const bucket of created.buckets) {
    const id = arnFinding(bucket, '/*') ?? resourceFinding(role, `${bucket.bucketArn}/*`);
    if (id) acknowledgeFinding(role, id, 'Firehose writes objects under generated names (prefix, timestamp, random suffix) anywhere in the bucket it delivers to');
  }
  if (created.transform) {
    const id = arnFinding(created.transform, ':*');
    if (id) v.acknowledge({ id, reason: 'Invoke permission covers the versions and aliases of the one transform function' });
  }
  if (created.formatConversion) {
    v.acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'aws-cdk-lib grants glue:GetSchemaVersion on * for record format conversion; the table itself is granted by ARN' });
  }
}

/**
 * aws-cdk-lib's `DeliveryStream` adds a mapping of Firehose's CIDR blocks per Region to every stack it is in, and only
 * destinations that reach a cluster through a public endpoint (Redshift) look it up; elsewhere the CloudFormation
 * validation reports it unused (W7001), which fails `cdk synth --strict`.
 */
export function acknowledgeFirehoseCidrMapping(deliveryStream: IConstruct): void {
  Validations.of(deliveryStream).acknowledge({
    id: 'CloudFormation-Validate::W7001',
    reason: 'aws-cdk-lib\'s DeliveryStream adds its Firehose CIDR block mapping to the stack; only destinations reached through a public endpoint read it',
  });
}

/** Firehose refuses server-side encryption on a delivery stream that reads a Kinesis data stream. */
export function acknowledgeStreamSourceEncryption(deliveryStream: IConstruct): void {
  Validations.of(deliveryStream).acknowledge({
    id: 'AwsSolutions-KDF1',
    reason: 'Firehose does not allow server-side encryption with a Kinesis data stream source; records at rest are protected by the data stream\'s encryption',
  });
}

/** Firehose's network interfaces in a VPC: EC2 describe actions have no resource-level permissions, and the interfaces do not exist yet. */
export function acknowledgeVpcDelivery(policy: IConstruct): void {
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The Firehose guide\'s VPC delivery policy: EC2 Describe* actions have no resource-level permissions, and Firehose creates its network interfaces at run time',
  });
}

/**
 * The resource of an IAM5 finding as cdk-nag writes it: the resolved ARN with `<Ref>` and `<LogicalId.Attr>` in place
 * of references, so that an ARN built from tokens (an imported domain's `arn:${Partition}:...`) can be acknowledged.
 */
function resourceFinding(scope: IConstruct, arn: string): string | undefined {
  const resolved = Stack.of(scope).resolve(arn);
  const render = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    const o = v as { 'Ref'?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
    if (o.Ref) return `<${o.Ref}>`;
    if (o['Fn::GetAtt']) return `<${o['Fn::GetAtt'].join('.')}>`;
    if (o['Fn::Join']) {
      const parts = o['Fn::Join'][1].map(render);
      return parts.some((p) => p === undefined) ? undefined : parts.join(o['Fn::Join'][0]);
    }
    return undefined;
  };
  const text = render(resolved);
  return text === undefined ? undefined : `AwsSolutions-IAM5[Resource::${text}]`;
}

/** The wildcards of the Firehose guide's policy for an OpenSearch domain: the domain's own index and node paths. */
export function acknowledgeOpenSearchDomain(role: IConstruct, domainArn: string, indexName: string): void {
  const v = Validations.of(role);
  for (const suffix of ['/*', `/${indexName}*/_mapping/*`, '/_nodes/*/stats', `/${indexName}*/_stats`]) {
    const id = resourceFinding(role, `${domainArn}${suffix}`);
    if (!id) continue;
    const reason = 'The Firehose guide\'s OpenSearch policy: bulk writes to the delivery\'s indexes (rotated by date) and reads of the domain\'s node statistics';
    acknowledgeFinding(role, id, reason, v);
  }
}

/**
 * An imported resource's ARN contains <AWS::Partition>, whose '::' Validations.acknowledge refuses in an id; the
 * metadata it would record is written directly, which is what cdk-nag reads.
 */
function acknowledgeFinding(scope: IConstruct, id: string, reason: string, v: Validations = Validations.of(scope)): void {
  if (id.split('::').length > 2) scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  else v.acknowledge({ id, reason });
}

/** The warehouse of Iceberg tables: Firehose writes data and metadata files under names it generates. */
export function acknowledgeIcebergWarehouse(role: IConstruct, bucket: IConstruct): void {
  const id = arnFinding(bucket, '/*');
  if (id) acknowledgeFinding(role, id, 'Firehose writes Iceberg data and metadata files under names it generates, anywhere in the tables\' warehouse bucket');
}

/** The finding id cdk-nag gives a resource: its own flattening (`Fn::Join`, `<Ref>`, `<Id.Attr>`, else JSON). */
function nagResourceId(scope: IConstruct, arn: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
    const o = node as { 'Ref'?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
    if (o['Fn::Join']) return o['Fn::Join'][1].map(visit).join(o['Fn::Join'][0]);
    if (o['Fn::GetAtt']) return `<${visit(o['Fn::GetAtt'][0])}.${visit(o['Fn::GetAtt'][1])}>`;
    if (o.Ref !== undefined) return `<${visit(o.Ref)}>`;
    return JSON.stringify(node);
  };
  return `AwsSolutions-IAM5[Resource::${visit(Stack.of(scope).resolve(arn))}]`;
}

/** Firehose reads an MSK topic as a consumer group it names itself, so the role may describe the cluster's groups. */
export function acknowledgeMskConsumerGroups(role: IConstruct, groupArn: string): void {
  acknowledgeFinding(role, nagResourceId(role, groupArn),
    'The Firehose guide\'s MSK source policy: Firehose reads the topic as a consumer group it names itself, so DescribeGroup covers the cluster\'s groups (group/<cluster>/<uuid>/*)');
}

/** Firehose refuses server-side encryption on a delivery stream that reads an MSK topic. */
export function acknowledgeMskSourceEncryption(deliveryStream: IConstruct): void {
  Validations.of(deliveryStream).acknowledge({
    id: 'AwsSolutions-KDF1',
    reason: 'Firehose allows server-side encryption with a direct PUT source only; records of an MSK source are protected at rest by the cluster\'s encryption',
  });
}
