/**
 * The main job: synthesizes every example with the real cdk CLI (aws-cdk from npm) into cdk.out/<example>/ and prints
 * a short table per stack (resources by type). No AWS credentials are needed: examples are environment-agnostic or
 * name a dummy account.
 *
 * Usage: npm run synth:examples [-- <example> ...]
 */
import { spawnSync } from 'child_process';
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

for (const example of examples) {
  const outdir = path.join(root, 'cdk.out', example);
  fs.rmSync(outdir, { recursive: true, force: true });
  // The heading comes first, so that the CLI's messages (warnings, the capacity plan) sit under their example.
  console.log(`\n■ ${example}`);
  const started = Date.now();
  const cli = spawnSync(process.execPath, [
    cdk, 'synth',
    '--app', `${tsNode} --transpile-only -r ${path.join(__dirname, 'library-frames.js')} ${path.join('examples', example, 'app.ts')}`,
    '--output', outdir,
    '--quiet',
    // Warnings fail the job, as they fail `cdk synth --strict` for users (test/gates checks the same in the suite).
    '--strict',
    '--no-notices',
    '--no-version-reporting',
    '--ci',
  ], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', FORCE_COLOR: '0' } });
  printCliMessages(`${cli.stdout ?? ''}${cli.stderr ?? ''}`);
  if (cli.status !== 0) {
    failures++;
    console.error(`  ✗ ${example}: cdk synth failed`);
    continue;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`  cdk synth ${seconds}s → cdk.out/${example}`);
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
