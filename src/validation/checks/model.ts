import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DataStream } from '../../streams/data-stream';

/**
 * What the cross-part rules read: every CloudFormation resource of an app, with its properties as they appear in the
 * template (references as `Ref` and `Fn::GetAtt`), its construct path and its stack's Region and account when known.
 * It is built either from the construct tree (an Aspect, or a validation plugin given the app) or from synthesized
 * templates, so that the same rules serve plain aws-cdk-lib constructs, L1 resources and this library's constructs.
 */
export interface ModelResource {
  /** The stack's construct path (or template file name when read from templates). */
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  /** The construct path of the L1 resource, or the logical id when it is unknown. */
  readonly path: string;
  readonly region?: string;
  readonly account?: string;
  readonly templatePath?: string;
  /** The L1 construct, when the model was built from the tree. */
  readonly construct?: IConstruct;
}

/** A producer's declared rate, written by `KinesisDesign.declareProducer` as construct metadata. */
export interface DeclaredRate {
  /** The construct path of the stream's L1 resource. */
  readonly streamPath: string;
  readonly producerPath: string;
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

/** The metadata type under which producers' declared rates are stored. */
export const PRODUCER_RATE_METADATA = 'cdk-kinesis-patterns:producer-rate';

export interface ParsedArn { readonly service: string; readonly region: string; readonly account: string; readonly resource: string }

/** Splits a literal ARN; undefined for anything built from references. */
export function parseArn(value: unknown): ParsedArn | undefined {
  if (typeof value !== 'string' || Token.isUnresolved(value)) return undefined;
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

function refId(value: any): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

export class DesignModel {
  /** Builds the model from the construct tree under `root`. */
  public static fromTree(root: IConstruct): DesignModel {
    const resources: ModelResource[] = [];
    const rates: DeclaredRate[] = [];
    const planned = new Map<string, { recordsPerSecond: number; bytesPerSecond: number }>();
    for (const node of root.node.findAll()) {
      for (const entry of node.node.metadata) {
        if (entry.type === PRODUCER_RATE_METADATA) rates.push(entry.data as DeclaredRate);
      }
      if (DataStream.isDataStream(node) && node.capacityPlan) {
        const plan = node.capacityPlan;
        planned.set(node.cfnStream.node.path, { recordsPerSecond: plan.writeRecordsPerSecond, bytesPerSecond: plan.writeBytesPerSecond });
      }
      if (!CfnResource.isCfnResource(node)) continue;
      const stack = Stack.of(node);
      // The rendered resource as the template will hold it; the one place an internal of aws-cdk-lib is read.
      const rendered = stack.resolve((node as any)._toCloudFormation()) as { Resources?: Record<string, { Type: string; Properties?: any }> };
      for (const [logicalId, body] of Object.entries(rendered.Resources ?? {})) {
        resources.push({
          stack: stack.node.path,
          logicalId,
          type: body.Type,
          properties: body.Properties ?? {},
          path: node.node.path,
          region: Token.isUnresolved(stack.region) ? undefined : stack.region,
          account: Token.isUnresolved(stack.account) ? undefined : stack.account,
          construct: node,
        });
      }
    }
    return new DesignModel(resources, rates, planned);
  }

  /** Builds the model from synthesized templates (construct paths from `aws:cdk:path` metadata). */
  public static fromTemplates(templates: Array<{ templatePath: string; stack?: string }>, env: { region?: string; account?: string } = {}): DesignModel {
    const resources: ModelResource[] = [];
    for (const t of templates) {
      const template = JSON.parse(fs.readFileSync(t.templatePath, 'utf8')) as { Resources?: Record<string, { Type: string; Properties?: any; Metadata?: any }> };
      for (const [logicalId, body] of Object.entries(template.Resources ?? {})) {
        resources.push({
          stack: t.stack ?? path.basename(t.templatePath, '.template.json'),
          logicalId,
          type: body.Type,
          properties: body.Properties ?? {},
          path: body.Metadata?.['aws:cdk:path'] ?? logicalId,
          region: env.region,
          account: env.account,
          templatePath: t.templatePath,
        });
      }
    }
    return new DesignModel(resources, [], new Map());
  }

  private readonly byStack = new Map<string, Map<string, ModelResource>>();

  private constructor(
    public readonly resources: ModelResource[],
    public readonly declaredRates: DeclaredRate[],
    private readonly planned: Map<string, { recordsPerSecond: number; bytesPerSecond: number }>,
  ) {
    for (const r of resources) {
      if (!this.byStack.has(r.stack)) this.byStack.set(r.stack, new Map());
      this.byStack.get(r.stack)!.set(r.logicalId, r);
    }
  }

  public ofType(type: string): ModelResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resource a `Ref`/`Fn::GetAtt` in `from`'s properties points to (same stack first, then any stack). */
  public target(from: ModelResource, value: unknown): ModelResource | undefined {
    const id = refId(value);
    if (!id) return undefined;
    const own = this.byStack.get(from.stack)?.get(id);
    if (own) return own;
    for (const stack of this.byStack.values()) {
      const found = stack.get(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Whether `value` refers to `to` (a reference to it, or its literal name or ARN). */
  public refersTo(from: ModelResource, value: unknown, to: ModelResource): boolean {
    if (this.target(from, value) === to) return true;
    if (typeof value === 'string' && !Token.isUnresolved(value)) {
      const name = to.properties.Name ?? to.properties.DeliveryStreamName;
      if (typeof name === 'string' && (value === name || value.endsWith(`/${name}`))) return true;
    }
    return false;
  }

  /** Whether `value` refers to `to` anywhere inside (deep). */
  public mentions(from: ModelResource, value: unknown, to: ModelResource): boolean {
    if (this.refersTo(from, value, to)) return true;
    if (Array.isArray(value)) return value.some((v) => this.mentions(from, v, to));
    if (value !== null && typeof value === 'object') return Object.values(value).some((v) => this.mentions(from, v, to));
    return false;
  }

  /** The write rate declared for a stream: the sum of declared producers, or its capacity plan. */
  public declaredWrite(stream: ModelResource): { recordsPerSecond: number; bytesPerSecond: number; source: string } | undefined {
    const producers = this.declaredRates.filter((r) => r.streamPath === stream.path);
    if (producers.length > 0) {
      return {
        recordsPerSecond: producers.reduce((s, p) => s + p.recordsPerSecond, 0),
        bytesPerSecond: producers.reduce((s, p) => s + p.bytesPerSecond, 0),
        source: `declared producers ${producers.map((p) => p.producerPath).join(', ')}`,
      };
    }
    const plan = this.planned.get(stream.path);
    return plan ? { ...plan, source: 'the stream\'s capacity plan' } : undefined;
  }

  /** The IAM roles' policy statements in the model, by role resource. */
  public statementsOf(role: ModelResource): any[] {
    const statements: any[] = [];
    for (const policy of [...this.ofType('AWS::IAM::Policy'), ...this.ofType('AWS::IAM::ManagedPolicy')]) {
      const roles: unknown[] = policy.properties.Roles ?? [];
      if (!roles.some((r) => this.target(policy, r) === role)) continue;
      statements.push(...asArray(policy.properties.PolicyDocument?.Statement).map((s) => ({ ...s, __from: policy })));
    }
    for (const inline of asArray(role.properties.Policies)) {
      statements.push(...asArray(inline.PolicyDocument?.Statement).map((s) => ({ ...s, __from: role })));
    }
    return statements;
  }

  /** Whether the role of `fn` (a Lambda function) may call one of `actions` on `resource`. */
  public functionMayCall(fn: ModelResource, actions: string[], resource: ModelResource): boolean {
    const role = this.target(fn, fn.properties.Role);
    if (!role) return false;
    return this.statementsOf(role).some((s) => s.Effect !== 'Deny'
      && asArray(s.Action).some((a) => typeof a === 'string' && actions.some((x) => matchesAction(a, x)))
      && asArray(s.Resource).some((r) => this.refersToArn(s.__from, r, resource)));
  }

  private refersToArn(from: ModelResource, value: unknown, to: ModelResource): boolean {
    if (this.refersTo(from, value, to)) return true;
    const join = (value as any)?.['Fn::Join'];
    if (Array.isArray(join)) return asArray(join[1]).some((p) => this.refersTo(from, p, to));
    return false;
  }
}

function matchesAction(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return re.test(action);
}

export function asArray(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A number from the template, or undefined for a token or absence. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && !Token.isUnresolved(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}
