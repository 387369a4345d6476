/**
 * The main job's first half: synthesizes every example into cdk.out/<example>/ and prints a short table per stack
 * (resources by type). No AWS credentials are needed: examples are environment-agnostic or name a dummy account.
 *
 * By default the examples are synthesized in this one process (each example's `build(app)` on an `App` whose outdir
 * is cdk.out/<example>), which writes the same cloud assembly as `cdk synth` but loads aws-cdk-lib once instead of
 * once per example: seven examples take seconds, not minutes, on a 2-core machine. `--cli` runs the real cdk CLI per
 * example instead (slower; the check that the CLI reads what we write).
 *
 * Usage: npm run synth:examples [-- [--cli] <example> ...]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

const root = path.join(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const args = process.argv.slice(2);
const useCli = args.includes('--cli');
const only = args.filter((a) => !a.startsWith('--'));
const examples = fs.readdirSync(examplesDir)
  .filter((d) => fs.existsSync(path.join(examplesDir, d, 'app.ts')))
  .filter((d) => only.length === 0 || only.includes(d))
  .sort();

if (examples.length === 0) {
  console.error(`no examples found in ${examplesDir}${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}

const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const tsNode = path.join(root, 'node_modules', '.bin', 'ts-node');
let failures = 0;

function synthWithCli(example: string, outdir: string): void {
  execFileSync(process.execPath, [
    cdk, 'synth',
    '--app', `${tsNode} --transpile-only ${path.join('examples', example, 'app.ts')}`,
    '--output', outdir,
    '--quiet',
    '--no-notices',
    '--no-version-reporting',
    '--ci',
  ], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
}

function synthInProcess(example: string, outdir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(examplesDir, example, 'app.ts')) as { build?: (app: App) => App };
  if (typeof mod.build !== 'function') throw new Error(`examples/${example}/app.ts exports no build(app) function`);
  mod.build(new App({ outdir })).synth();
}

for (const example of examples) {
  const outdir = path.join(root, 'cdk.out', example);
  fs.rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  try {
    if (useCli) synthWithCli(example, outdir);
    else synthInProcess(example, outdir);
  } catch (e) {
    failures++;
    console.error(`\n✗ ${example}: synth failed${useCli ? '' : `: ${(e as Error).stack ?? e}`}`);
    continue;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n■ ${example}  (${useCli ? 'cdk synth' : 'synth'} ${seconds}s → cdk.out/${example})`);
  const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();
  for (const file of templates) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
    const counts = new Map<string, number>();
    for (const r of Object.values<any>(template.Resources ?? {})) counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`  stack ${file.replace(/\.template\.json$/, '')}: ${total} resources`);
    const width = Math.max(...[...counts.keys()].map((k) => k.length), 10);
    for (const [type, n] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      console.log(`    ${type.padEnd(width)}  ${String(n).padStart(3)}`);
    }
  }
}

if (failures > 0) {
  console.error(`\n${failures} of ${examples.length} example(s) failed to synthesize`);
  process.exit(1);
}
console.log(`\nsynthesized ${examples.length} example(s)`);
