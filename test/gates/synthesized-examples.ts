/**
 * Every example (examples/<name>/app.ts exporting `build(app)`), synthesized once per test file into a temporary
 * cloud assembly, with what the gates read: the app (for cdk-nag and acknowledgements), the assembly (annotations,
 * templates) and the validation report aws-cdk-lib writes (its CloudFormation validation and acknowledgements).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

export interface SynthesizedExample {
  readonly name: string;
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly templatePaths: string[];
  /** Violations of validation plugins that are neither acknowledged nor info, as `<plugin> <rule> at <path>: <text>`. */
  readonly unacknowledgedValidations: string[];
}

export function exampleNames(): string[] {
  return fs.readdirSync(EXAMPLES_DIR).filter((d) => fs.existsSync(path.join(EXAMPLES_DIR, d, 'app.ts'))).sort();
}

export function synthesizeExample(name: string, root: string): SynthesizedExample {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(EXAMPLES_DIR, name, 'app.ts')) as { build: (app: App) => App };
  const outdir = path.join(root, name);
  // Path metadata as the CLI writes it, so that cfn-lint findings name constructs.
  const app = mod.build(new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } }));
  const assembly = app.synth();
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const unacknowledgedValidations = (report.pluginReports as any[]).flatMap((p) => (p.violations as any[])
    .filter((v) => v.severity !== 'info')
    .map((v) => `${p.pluginName} ${v.ruleName} at ${(v.violatingConstructs ?? []).map((c: any) => c.constructPath).join(', ')}: ${v.description}`));
  return { name, app, assembly, templatePaths: assembly.stacksRecursively.map((s) => s.templateFullPath), unacknowledgedValidations };
}

export function synthesizeAll(): SynthesizedExample[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gates-'));
  return exampleNames().map((n) => synthesizeExample(n, root));
}
