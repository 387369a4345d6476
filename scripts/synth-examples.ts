/**
 * The main job: synthesizes every example with the real cdk CLI (aws-cdk from npm) into cdk.out/<example>/ and prints
 * a short table per stack (resources by type). No AWS credentials are needed: examples are environment-agnostic or
 * name a dummy account.
 *
 * Usage: npm run synth:examples [-- <example> ...]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const only = process.argv.slice(2);
const examples = fs.readdirSync(examplesDir)
  .filter((d) => fs.existsSync(path.join(examplesDir, d, 'app.ts')))
  .filter((d) => only.length === 0 || only.includes(d))
  .sort();

if (examples.length === 0) {
  throw new Error(`no examples found in ${examplesDir}${only.length ? ` matching ${only.join(', ')}` : ''}`);
}

const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const tsNode = path.join(root, 'node_modules', '.bin', 'ts-node');
let failures = 0;

for (const example of examples) {
  const outdir = path.join(root, 'cdk.out', example);
  fs.rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  try {
    execFileSync(process.execPath, [
      cdk, 'synth',
      '--app', `${tsNode} --transpile-only ${path.join('examples', example, 'app.ts')}`,
      '--output', outdir,
      '--quiet',
      // Warnings fail the job, as they fail `cdk synth --strict` for users (test/gates checks the same in the suite).
      '--strict',
      '--no-notices',
      '--no-version-reporting',
      '--ci',
    ], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
  } catch (e) {
    failures++;
    console.error(`\n✗ ${example}: cdk synth failed`);
    continue;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\n■ ${example}  (cdk synth ${seconds}s → cdk.out/${example})`);
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
