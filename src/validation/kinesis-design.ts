import * as path from 'path';
import {
  Annotations, AspectPriority, Aspects, IAspect, IPolicyValidationContext, IPolicyValidationContextBeta1, IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1, PolicyValidationPluginReport, PolicyValidationPluginReportBeta1, PolicyViolation, Size, Token,
} from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { IConstruct } from 'constructs';
import { DesignModel, PRODUCER_RATE_METADATA } from './checks/model';
import { DesignRule, Finding, RuleSeverity } from './checks/rule';
import { CROSS_PART_RULES } from './checks/rules';

export { RuleSeverity } from './checks/rule';

/** The documentation of one rule. */
export interface RuleInfo {
  /** The rule's id, as findings and acknowledgements name it. */
  readonly id: string;
  /** Error or warning. */
  readonly severity: RuleSeverity;
  /** What the rule looks for. */
  readonly what: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  /** Where the rule runs: `cross-part` (plugin and Aspect) or the construct that checks it. */
  readonly scope: string;
}

/** One finding of a cross-part rule. */
export interface DesignFinding {
  /** The rule's id. */
  readonly ruleId: string;
  /** Error or warning. */
  readonly severity: RuleSeverity;
  /** The construct path of the resource (its logical id when built from templates without path metadata). */
  readonly constructPath: string;
  /** The logical id of the resource. */
  readonly logicalId: string;
  /** What is wrong, with the values and the limit. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** The property the finding is about, when known. */
  readonly location?: string;
}

/** A producer's declared rate, for the write-capacity and payload rules. */
export interface ProducerRate {
  /** Records per second the producer writes at peak. */
  readonly recordsPerSecond: number;
  /** The average size of one record (data plus partition key). */
  readonly averageRecordSize: Size;
}

const PLUGIN_NAME = 'cdk-kinesis-patterns';

function toFindings(model: DesignModel, rules: DesignRule[]): Array<DesignFinding & { templatePath?: string }> {
  return rules.flatMap((rule) => rule.check(model).map((f: Finding) => ({
    ruleId: rule.id,
    severity: f.severity ?? rule.severity,
    constructPath: f.resource.path,
    logicalId: f.resource.logicalId,
    message: `${rule.id}: ${f.resource.path}: ${f.message}. Fix: ${rule.fix}`,
    fix: rule.fix,
    location: f.location,
    templatePath: f.resource.templatePath,
  })));
}

/**
 * The cross-part rules of Kinesis designs: they look at a whole app (streams, their readers and writers, failure
 * destinations, delivery streams, Flink applications, alarms) and report what a reviewer would catch. They read the
 * CloudFormation resources, so they work on plain aws-cdk-lib constructs and L1 resources as well as on this library's.
 *
 * Run them as a policy validation plugin (`KinesisDesign.plugin()`, synthesis fails on errors) or as an Aspect
 * (`KinesisDesign.check(app)`, errors and warnings as annotations that `cdk synth --strict` and acknowledgements
 * understand).
 */
export class KinesisDesign {
  /**
   * The validation plugin, for `new App({ policyValidationBeta1: [KinesisDesign.plugin()] })` (and, in TypeScript,
   * `Validations.of(app).addPlugins(KinesisDesign.plugin())`).
   */
  public static plugin(): KinesisDesignChecks {
    return new KinesisDesignChecks();
  }

  /**
   * The same rules as an `IPolicyValidationPlugin`, for `Validations.of(app).addPlugins(KinesisDesign.validation())`
   * in every jsii language.
   */
  public static validation(): KinesisDesignValidation {
    return new KinesisDesignValidation();
  }

  /**
   * Adds the Aspect that reports every finding as an annotation on the resource's construct.
   *
   * @param scope the app, a stage or a stack to check
   */
  public static check(scope: IConstruct): KinesisDesignAspect {
    const aspect = new KinesisDesignAspect();
    Aspects.of(scope).add(aspect, { priority: AspectPriority.READONLY });
    return aspect;
  }

  /**
   * Runs the rules over the construct tree under `scope` and returns the findings (no annotation, no failure).
   *
   * @param scope the app, a stage or a stack to check
   */
  public static findings(scope: IConstruct): DesignFinding[] {
    return toFindings(DesignModel.fromTree(scope), CROSS_PART_RULES).map(({ templatePath: _t, ...f }) => f);
  }

  /**
   * Declares how fast a producer writes to a stream, so that the rules can compare it with the stream's capacity and
   * its consumers' batches. Any construct can be the producer (a function, a container service, a placeholder for a
   * writer outside the app).
   *
   * @param producer the construct that writes
   * @param stream the stream it writes to
   * @param rate its peak rate
   */
  public static declareProducer(producer: IConstruct, stream: kinesis.IStream, rate: ProducerRate): void {
    const bytes = rate.averageRecordSize.toBytes();
    if (Token.isUnresolved(rate.recordsPerSecond) || Token.isUnresolved(bytes)) return;
    const cfn = stream.node.defaultChild ?? stream;
    producer.node.addMetadata(PRODUCER_RATE_METADATA, {
      streamPath: cfn.node.path,
      producerPath: producer.node.path,
      recordsPerSecond: rate.recordsPerSecond,
      bytesPerSecond: rate.recordsPerSecond * bytes,
    });
  }

  /** The documentation of every cross-part rule. */
  public static rules(): RuleInfo[] {
    return CROSS_PART_RULES.map((r) => ({ id: r.id, severity: r.severity, what: r.what, why: r.why, fix: r.fix, scope: 'cross-part' }));
  }

  private constructor() {}
}

/**
 * The cross-part rules as a CDK policy validation plugin (the mechanism cdk-nag 3 uses). Given the app (aws-cdk-lib
 * passes it), it reads the construct tree, which also holds what templates do not show (declared producer rates,
 * capacity plans); otherwise it reads the synthesized templates. Acknowledge a finding with
 * `Validations.of(construct).acknowledge({ id: 'cdk-kinesis-patterns::KPX8', reason })`.
 */
export class KinesisDesignChecks implements IPolicyValidationPluginBeta1 {
  /** The plugin's name in the validation report. */
  public readonly name = PLUGIN_NAME;
  /** The ids of the rules it runs. */
  public readonly ruleIds?: string[] = CROSS_PART_RULES.map((r) => r.id);

  /**
   * Runs the rules.
   *
   * @param context the templates and (with aws-cdk-lib 2.200 and later) the app
   */
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    return validateApp(context, false) as PolicyValidationPluginReportBeta1;
  }
}

/**
 * The cross-part rules as a CDK policy validation plugin of the current interface (`IPolicyValidationPlugin`), which
 * `Validations.of(app).addPlugins(...)` takes. Violations name the construct path as well as the logical id.
 */
export class KinesisDesignValidation implements IPolicyValidationPlugin {
  /** The plugin's name in the validation report. */
  public readonly name = PLUGIN_NAME;
  /** The ids of the rules it runs. */
  public readonly ruleIds?: string[] = CROSS_PART_RULES.map((r) => r.id);

  /**
   * Runs the rules.
   *
   * @param context the templates and the app
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return validateApp(context, true);
  }
}

/** Runs the rules for either plugin interface; the current one also carries each resource's construct path. */
function validateApp(context: IPolicyValidationContextBeta1 | IPolicyValidationContext, withConstructPath: boolean): PolicyValidationPluginReport {
  const app = (context as { appConstruct?: IConstruct }).appConstruct;
  const stackTemplates = (context as { stackTemplates?: Array<{ stackConstructPath: string; templatePath: string }> }).stackTemplates;
  const model = app ? DesignModel.fromTree(app) : DesignModel.fromTemplates(context.templatePaths.map((templatePath) => ({ templatePath })));
  const templateOf = (stack: string, given?: string): string => given
    ?? stackTemplates?.find((s) => s.stackConstructPath === stack)?.templatePath
    ?? context.templatePaths.find((t) => path.basename(t, '.template.json') === stack.split('/').join('-'))
    ?? context.templatePaths.find((t) => path.basename(t, '.template.json') === stack.split('/').pop())
    ?? context.templatePaths[0] ?? '';
  const stackOf = new Map(model.resources.map((r) => [`${r.path}|${r.logicalId}`, r.stack]));
  const violations: PolicyViolation[] = toFindings(model, CROSS_PART_RULES).map((f) => ({
    ruleName: f.ruleId,
    description: f.message,
    fix: f.fix,
    severity: f.severity,
    violatingResources: [{
      resourceLogicalId: f.logicalId,
      templatePath: templateOf(stackOf.get(`${f.constructPath}|${f.logicalId}`) ?? '', f.templatePath),
      locations: [f.location ?? 'Properties'],
      ...(withConstructPath ? { constructPath: f.constructPath } : {}),
    }],
  }));
  return { success: !violations.some((v) => v.severity === RuleSeverity.ERROR), violations };
}

/**
 * The cross-part rules as an Aspect: each finding becomes an error or an acknowledgeable warning
 * (`cdk-kinesis-patterns:<rule id>`) on the resource's construct. It runs once, on the construct it was added to,
 * after every mutating Aspect.
 */
export class KinesisDesignAspect implements IAspect {
  private readonly checked = new WeakSet<IConstruct>();
  private root?: IConstruct;

  /**
   * Checks the tree when it visits the construct it was added to.
   *
   * @param node the construct visited
   */
  public visit(node: IConstruct): void {
    if (this.root === undefined) this.root = node;
    if (node !== this.root || this.checked.has(node)) return;
    this.checked.add(node);
    const model = DesignModel.fromTree(node);
    const byPath = new Map(model.resources.map((r) => [r.path, r.construct]));
    for (const f of toFindings(model, CROSS_PART_RULES)) {
      const target = byPath.get(f.constructPath) ?? node;
      if (f.severity === RuleSeverity.ERROR) Annotations.of(target).addError(f.message);
      else Annotations.of(target).addWarningV2(`${PLUGIN_NAME}:${f.ruleId}`, f.message);
    }
  }
}
