import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SynthesisMessage } from 'aws-cdk-lib/cx-api';

/** The only delivery stream resource of `template`, with its DependsOn. */
export function streamResource(template: Template): Record<string, any> {
  const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
  if (streams.length !== 1) throw new Error(`expected one delivery stream, found ${streams.length}`);
  return streams[0];
}

/** Every IAM statement of the stack's policies, with Action always an array. */
export function statements(template: Template): Array<Record<string, any>> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement)
    .map((s: Record<string, any>) => ({ ...s, Action: ([] as string[]).concat(s.Action) }));
}

/** The statements that allow `action`. */
export function allowing(template: Template, action: string): Array<Record<string, any>> {
  return statements(template).filter((s) => s.Effect === 'Allow' && s.Action.includes(action));
}

/** The warning texts of the stack, with the construct path they are attached to. */
export function warnings(stack: Stack): Array<{ path: string; text: string }> {
  const messages: SynthesisMessage[] = [];
  for (const c of stack.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type === 'aws:cdk:warning') messages.push({ id: c.node.path, level: 'warning' as any, entry: m as any });
    }
  }
  return messages.map((m) => ({ path: m.id, text: String(m.entry.data).replace(/ \[ack: [^\]]+\]$/, '') }));
}

/** A secret in the stack. */
export function secret(stack: Stack, id = 'Secret'): secretsmanager.ISecret {
  return new secretsmanager.Secret(stack, id);
}

/** A VPC with public and private subnets in two zones. */
export function vpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
}
