import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The resource of an IAM5 finding as cdk-nag writes it: the resolved ARN with `<Ref>` and `<LogicalId.Attr>` in place
 * of references.
 */
function resourceFinding(scope: IConstruct, arn: string): string | undefined {
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
  const text = render(Stack.of(scope).resolve(arn));
  return text === undefined ? undefined : `AwsSolutions-IAM5[Resource::${text}]`;
}

/**
 * Acknowledges the IAM5 finding of one wildcard resource on `role`, with its reason: the finding of that resource
 * only, so a wildcard added later elsewhere is still reported.
 */
export function acknowledgeWildcardResource(role: IConstruct, arn: string, reason: string): void {
  const id = resourceFinding(role, arn);
  if (!id) return;
  // Validations.acknowledge refuses an id with '::' inside the resource (<AWS::Partition>); the metadata it would
  // record is written directly, which is what cdk-nag reads.
  if (id.split('::').length > 2) role.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  else Validations.of(role).acknowledge({ id, reason });
}
