/**
 * The main job's first half: synthesizes every example into cdk.out/<example>/, prints each example's messages (its
 * warnings, the capacity and cost plans) under its own heading and a short table per stack (resources by type). No
 * AWS credentials are needed: examples are environment-agnostic or name a dummy account.
 *
 * By default the examples are synthesized in this one process (each example's `build(app)` on an `App` whose outdir
 * is cdk.out/<example>), which writes the same cloud assembly as `cdk synth` but loads aws-cdk-lib once instead of
 * once per example: seconds instead of minutes on a 2-core machine. `--cli` runs the real cdk CLI per example
 * instead (slower; the check that the CLI reads what we write). Either way the job is strict, as `cdk synth --strict`
 * is for users: a warning or an error fails it (test/gates checks the same in the suite).
 *
 * Usage: npm run synth:examples [-- [--cli] <example> ...]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import type * as cxapi from 'aws-cdk-lib/cx-api';

// Annotation locations point at the example's code, as they do for an app that installs the package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./library-frames.js');

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

/**
 * The CLI's output, indented under the example's heading. An info message is there to be read, not acknowledged:
 * the "Acknowledge with ..." line the CLI prints after every annotation is dropped after info messages.
 */
function printCliMessages(output: string): void {
  let inInfo = false;
  for (const line of output.replace(/\s+$/, '').split('\n')) {
    if (line.trim() === '') continue;
    if (/^(INFO|WARNING|ERROR)\b/.test(line.trim())) inInfo = line.trim().startsWith('INFO');
    if (inInfo && /^\s*Acknowledge with /.test(line)) continue;
    console.log(`  ${line}`);
  }
}

/** Synthesizes with the real CLI; true when it succeeded. */
function synthWithCli(example: string, outdir: string): boolean {
  const cli = spawnSync(process.execPath, [
    cdk, 'synth',
    '--app', `${tsNode} --transpile-only -r ${path.join(__dirname, 'library-frames.js')} ${path.join('examples', example, 'app.ts')}`,
    '--output', outdir,
    '--quiet',
    '--strict',
    '--no-notices',
    '--no-version-reporting',
    '--ci',
  ], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', FORCE_COLOR: '0' } });
  printCliMessages(`${cli.stdout ?? ''}${cli.stderr ?? ''}`);
  return cli.status === 0;
}

/** Synthesizes in this process and prints the stacks' messages as the CLI would; true when nothing warned or failed. */
function synthInProcess(example: string, outdir: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(examplesDir, example, 'app.ts')) as { build?: (app: App) => App };
  if (typeof mod.build !== 'function') throw new Error(`examples/${example}/app.ts exports no build(app) function`);
  const assembly = mod.build(new App({ outdir })).synth();
  let clean = true;
  for (const stack of assembly.stacks as cxapi.CloudFormationStackArtifact[]) {
    for (const message of stack.messages) {
      const level = message.level.toUpperCase();
      if (level !== 'INFO') clean = false;
      const [first, ...rest] = String(message.entry.data).split('\n');
      console.log(`  ${level} ${message.id}: ${first}`);
      for (const line of rest) console.log(`    ${line}`);
      const location = message.entry.trace?.find((frame) => frame.includes(examplesDir));
      if (location) console.log(`    at ${location.trim()}`);
    }
  }
  return clean;
}

for (const example of examples) {
  const outdir = path.join(root, 'cdk.out', example);
  fs.rmSync(outdir, { recursive: true, force: true });
  // The heading comes first, so that the example's messages (warnings, the plans) sit under it.
  console.log(`\n■ ${example}`);
  const started = Date.now();
  let ok: boolean;
  try {
    ok = useCli ? synthWithCli(example, outdir) : synthInProcess(example, outdir);
  } catch (e) {
    ok = false;
    console.error(`  ${(e as Error).stack ?? e}`);
  }
  if (!ok) {
    failures++;
    console.error(`  ✗ ${example}: synth failed (strict: a warning fails it too)`);
    continue;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`  ${useCli ? 'cdk synth' : 'synth'} ${seconds}s → cdk.out/${example}`);
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
