/**
 * Security and correctness gates over every example, each synthesized once: cdk-nag's AwsSolutions pack (0 errors,
 * acknowledgements narrow and with reasons), `cdk synth --strict` (no warning or error left unacknowledged), this
 * library's cross-part rules (0 errors) and cfn-lint over all templates in one run (0 errors, warnings only as listed
 * with their reason in cfn-lint-allowed.json).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { exampleNames, SynthesizedExample, synthesizeAll } from './synthesized-examples';
import { KinesisDesign } from '../../src';

const examples: SynthesizedExample[] = synthesizeAll();

test('the gates see every example', () => {
  expect(examples.map((e) => e.name)).toEqual(exampleNames());
  expect(examples.length).toBeGreaterThan(0);
});

describe.each(examples.map((e) => [e.name, e] as const))('example %s', (_name, example) => {
  test('cdk-nag AwsSolutions: no finding left', () => {
    const report = new AwsSolutionsChecks(example.app).validateScope(example.app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${(r as { constructPath?: string }).constructPath ?? r.resourceLogicalId}`));
    expect(findings).toEqual([]);
  });

  test('acknowledgements are narrow and give a reason', () => {
    const problems: string[] = [];
    for (const node of example.app.node.findAll()) {
      for (const [id, reason] of acknowledgementsOf(node)) {
        if (reason.trim().length < 20) problems.push(`${node.node.path}: ${id} has no real reason ('${reason}')`);
        if (/^AwsSolutions-[A-Za-z]+[0-9]+$/.test(id) && id.startsWith('AwsSolutions-IAM')) problems.push(`${node.node.path}: ${id} acknowledges a whole IAM rule; name the finding`);
        if (id === 'AwsSolutions-IAM5[Resource::*]') problems.push(...wildcardOutsideAllowed(node));
      }
    }
    expect(problems).toEqual([]);
  });

  test('cdk synth --strict: no warning or error left', () => {
    const annotations = example.assembly.stacksRecursively.flatMap((s) => s.messages
      .filter((m) => m.level === 'warning' || m.level === 'error')
      .map((m) => `${m.level} at ${m.id}: ${String(m.entry.data)}`));
    expect([...annotations, ...example.unacknowledgedValidations]).toEqual([]);
  });

  test('cross-part rules: no error', () => {
    const errors = KinesisDesign.findings(example.app).filter((f) => f.severity === 'error').map((f) => f.message);
    expect(errors).toEqual([]);
  });
});

interface AllowedWarning { readonly rule: string; readonly resourceType: string; readonly reason: string }

describe('cfn-lint over every template', () => {
  const allowed = JSON.parse(fs.readFileSync(path.join(__dirname, 'cfn-lint-allowed.json'), 'utf8')) as AllowedWarning[];
  const templates = examples.flatMap((e) => e.templatePaths);
  // One run over all templates: cfn-lint exits 2 (errors), 4 (warnings), 8 (informational) or sums of them.
  let output = '[]';
  try {
    output = execFileSync('cfn-lint', ['--format', 'json', '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { status?: number; stdout?: string; code?: string };
    if (err.code === 'ENOENT') throw new Error('cfn-lint is not installed: run .ci/setup (pip install cfn-lint)');
    output = err.stdout ?? '[]';
  }
  const matches = JSON.parse(output) as Array<{ Rule: { Id: string }; Level: string; Message: string; Filename: string; Location: { Path: any[] } }>;
  const typeOf = (m: (typeof matches)[number]): string => {
    const template = JSON.parse(fs.readFileSync(m.Filename, 'utf8'));
    const [section, logicalId] = m.Location.Path ?? [];
    return section === 'Resources' ? template.Resources[logicalId]?.Type ?? '' : String(section ?? '');
  };
  const describe_ = (m: (typeof matches)[number]) => `${m.Rule.Id} ${path.basename(m.Filename)} ${(m.Location.Path ?? []).join('/')}: ${m.Message}`;

  test('linted every template', () => {
    expect(templates.length).toBeGreaterThanOrEqual(examples.length);
  });

  test('no error', () => {
    expect(matches.filter((m) => m.Level === 'Error').map(describe_)).toEqual([]);
  });

  test('every warning is fixed or allowed with its reason', () => {
    const unexplained = matches.filter((m) => m.Level === 'Warning')
      .filter((m) => !allowed.some((a) => a.rule === m.Rule.Id && a.resourceType === typeOf(m)))
      .map(describe_);
    expect(unexplained).toEqual([]);
  });

  test('every allowance is still needed and says why', () => {
    for (const a of allowed) {
      expect(a.reason.length).toBeGreaterThan(30);
      expect(matches.some((m) => m.Rule.Id === a.rule && typeOf(m) === a.resourceType)).toBe(true);
    }
  });
});

/** The acknowledgements on a construct: aws-cdk-lib's (Validations.acknowledge) and cdk-nag's (NagSuppressions). */
function acknowledgementsOf(node: IConstruct): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const entry of node.node.metadata) {
    if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push([id, typeof reason === 'string' ? reason : String((reason as { reason?: string })?.reason ?? '')]);
      }
    }
  }
  if (CfnResource.isCfnResource(node)) {
    for (const s of (node.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as Array<{ id: string; reason: string; applies_to?: unknown[] }>) {
      for (const a of s.applies_to ?? [undefined]) found.push([a ? `${s.id}[${typeof a === 'string' ? a : JSON.stringify(a)}]` : s.id, s.reason]);
    }
  }
  return found;
}

/**
 * A `Resource::*` acknowledgement hides every wildcard resource of the policies under it, so it is allowed only where
 * the wildcard statements are exactly the ones the reason names: the Firehose VPC delivery policy (its own policy),
 * and aws-cdk-lib's glue:GetSchemaVersion grant for record format conversion (on the delivery role's default policy,
 * which aws-cdk-lib chooses). Any other action on `*` under the same construct fails this gate.
 */
const ALLOWED_WILDCARD_ACTIONS = new Set(['glue:GetSchemaVersion', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterface']);

function wildcardOutsideAllowed(node: IConstruct): string[] {
  const policies = node.node.findAll().filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy);
  const problems: string[] = [];
  for (const policy of policies) {
    const doc = Stack.of(policy).resolve(policy.policyDocument) as { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
    for (const st of doc.Statement) {
      const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
      if (!resources.includes('*')) continue;
      for (const action of Array.isArray(st.Action) ? st.Action : [st.Action]) {
        if (!ALLOWED_WILDCARD_ACTIONS.has(action)) problems.push(`${policy.node.path}: ${action} on * is hidden by the Resource::* acknowledgement on ${node.node.path}`);
      }
    }
  }
  return problems;
}
