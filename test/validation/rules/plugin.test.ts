import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, IPolicyValidationContextBeta1, Stack, Validations } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { fn, mapping, stream } from './support';
import { KinesisDesign, KinesisDesignChecks } from '../../../src';
import { DesignModel } from '../../../src/validation/checks/model';
import { CROSS_PART_RULES } from '../../../src/validation/checks/rules';
import { consoleErrorOf } from '../../support/console';

/** A plain aws-cdk-lib consumer with aws-cdk-lib's defaults: unbounded retries (error), no failure destination (warning). */
function defaultConsumer(stack: Stack): void {
  fn(stack, 'Consumer').addEventSource(new KinesisEventSource(stream(stack, 'S'), { startingPosition: lambda.StartingPosition.LATEST }));
}

function outdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kinesis-design-'));
}

describe('KinesisDesignChecks, the policy validation plugin', () => {
  test('through App policyValidationBeta1: synthesis fails with the rule, the resource and the fix', () => {
    const app = new App({ outdir: outdir(), policyValidationBeta1: [KinesisDesign.plugin()] });
    defaultConsumer(new Stack(app, 'Design'));
    expect(() => app.synth()).toThrow(/ERROR KPX9: Design\/Consumer\/KinesisEventSource:DesignS[0-9A-F]+\/Resource: MaximumRetryAttempts is not set/);
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    const ours = report.pluginReports.find((p: any) => p.pluginName === 'cdk-kinesis-patterns');
    expect(ours.conclusion).toBe('failure');
    const rules = ours.violations.map((v: any) => v.ruleName).sort();
    expect(rules).toEqual(['KPX8', 'KPX9']);
    const kpx9 = ours.violations.find((v: any) => v.ruleName === 'KPX9');
    expect(kpx9.description).toMatch(/^KPX9: Design\/Consumer\/KinesisEventSource:DesignS.*: MaximumRetryAttempts is not set/);
    expect(kpx9.suggestedFix).toMatch(/Set retryAttempts/);
    expect(kpx9.severity).toBe('error');
    expect(kpx9.violatingConstructs[0].cloudFormationResource).toEqual({
      templatePath: 'Design.template.json',
      logicalId: expect.stringMatching(/^ConsumerKinesisEventSourceDesignS/),
      propertyPaths: ['Properties/MaximumRetryAttempts'],
    });
  });

  test('through Validations.of(app).addPlugins: warnings alone do not fail synthesis', () => {
    const app = new App({ outdir: outdir() });
    Validations.of(app).addPlugins(KinesisDesign.plugin());
    const stack = new Stack(app, 'Design');
    fn(stack, 'Consumer').addEventSource(new KinesisEventSource(stream(stack, 'S'), { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 3 }));
    // The plugin's report of the warning is printed by aws-cdk-lib, and synthesis goes on.
    const { output } = consoleErrorOf(() => expect(() => app.synth()).not.toThrow());
    expect(output).toMatch(/WARNING KPX8: Design\/Consumer\/KinesisEventSource:DesignS[\s\S]*Acknowledge with 'cdk-kinesis-patterns::KPX8'/);
  });

  test('KinesisDesign.validation(), the current plugin interface, reports the construct path too', () => {
    const app = new App({ outdir: outdir() });
    Validations.of(app).addPlugins(KinesisDesign.validation());
    defaultConsumer(new Stack(app, 'Design'));
    expect(() => app.synth()).toThrow(/ERROR KPX9: Design\/Consumer/);
    const report = KinesisDesign.validation().validate({ templatePaths: [], stackTemplates: [], appConstruct: app, accountId: undefined, region: undefined });
    expect(report.violations.find((v) => v.ruleName === 'KPX9')!.violatingResources[0].constructPath).toMatch(/^Design\/Consumer\/KinesisEventSource:DesignS[0-9A-F]+\/Resource$/);
  });

  test('an acknowledged finding does not fail synthesis', () => {
    const app = new App({ outdir: outdir() });
    Validations.of(app).addPlugins(KinesisDesign.plugin());
    const stack = new Stack(app, 'Design');
    defaultConsumer(stack);
    Validations.of(stack.node.findChild('Consumer')).acknowledge({ id: 'cdk-kinesis-patterns::KPX9', reason: 'the handler never throws; poison records are logged and skipped' });
    // The acknowledged error is gone from the report aws-cdk-lib prints; the warning (KPX8) is still in it.
    const { output } = consoleErrorOf(() => expect(() => app.synth()).not.toThrow());
    expect(output).toContain('WARNING KPX8');
    expect(output).not.toContain('KPX9');
  });

  test('silent on a correct app', () => {
    const plugin = new KinesisDesignChecks();
    const app = new App({ outdir: outdir() });
    const stack = new Stack(app, 'Design');
    mapping(stack, 'Reader', stream(stack, 'S').streamArn);
    const report = plugin.validate({ templatePaths: [], appConstruct: app } as any);
    expect(report).toEqual({ success: true, violations: [] });
  });

  test('reads synthesized templates when it is not given the app', () => {
    const app = new App({ outdir: outdir(), context: { 'aws:cdk:enable-path-metadata': true } });
    defaultConsumer(new Stack(app, 'Design'));
    const assembly = app.synth();
    // What an older aws-cdk-lib passes: templates only.
    const templatesOnly = { templatePaths: [assembly.getStackByName('Design').templateFullPath] } as unknown as IPolicyValidationContextBeta1;
    const report = new KinesisDesignChecks().validate(templatesOnly);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName).sort()).toEqual(['KPX8', 'KPX9']);
    expect(report.violations[0].description).toMatch(/Design\/Consumer\/KinesisEventSource/);
  });

  test('the model from templates matches the model from the tree', () => {
    const app = new App({ outdir: outdir(), context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = new Stack(app, 'Design');
    mapping(stack, 'Reader', stream(stack, 'S').streamArn);
    const tree = DesignModel.fromTree(app).resources.map((r) => [r.logicalId, r.type, r.path, JSON.stringify(r.properties)]).sort();
    const file = app.synth().getStackByName('Design').templateFullPath;
    const templates = DesignModel.fromTemplates([{ templatePath: file, stack: 'Design' }]).resources.map((r) => [r.logicalId, r.type, r.path, JSON.stringify(r.properties)]).sort();
    expect(templates).toEqual(tree);
  });

  test('lists every rule id', () => {
    expect(new KinesisDesignChecks().ruleIds).toEqual(CROSS_PART_RULES.map((r) => r.id));
  });
});

describe('KinesisDesignAspect', () => {
  test('errors and acknowledgeable warnings on the resource', () => {
    const app = new App();
    const stack = new Stack(app, 'Design');
    defaultConsumer(stack);
    KinesisDesign.check(app);
    const annotations = AssertAnnotations.fromStack(stack);
    annotations.hasError('*', Match.stringLikeRegexp('^KPX9: .*MaximumRetryAttempts is not set'));
    annotations.hasWarning('*', Match.stringLikeRegexp('^KPX8: .*no on-failure destination.*\\[ack: cdk-kinesis-patterns:KPX8\\]'));
  });

  test('an acknowledged warning is not reported', () => {
    const app = new App();
    const stack = new Stack(app, 'Design');
    fn(stack, 'Consumer').addEventSource(new KinesisEventSource(stream(stack, 'S'), { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 3 }));
    Annotations.of(stack).acknowledgeWarning('cdk-kinesis-patterns:KPX8', 'failures are visible in the function\'s logs');
    KinesisDesign.check(app);
    AssertAnnotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('silent on a correct app', () => {
    const app = new App();
    const stack = new Stack(app, 'Design');
    mapping(stack, 'Reader', stream(stack, 'S').streamArn);
    KinesisDesign.check(app);
    const annotations = AssertAnnotations.fromStack(stack);
    annotations.hasNoError('*', Match.anyValue());
    annotations.hasNoWarning('*', Match.anyValue());
  });
});
