/**
 * The lower bound of the aws-cdk-lib peer dependency stays true: every example synthesizes against the oldest
 * version it allows (installed into .cache/ by .ci/setup.d/50-aws-cdk-lib-oldest.sh) with the same resources as
 * against the pinned devDependency (the snapshots of test/examples.test.ts), and without errors.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(root, 'package.json'));
const oldest = String(pkg.peerDependencies['aws-cdk-lib']).replace(/^[\^~>=]+/, '');
const dir = path.join(root, '.cache', `aws-cdk-lib-${oldest}`);
const snapshots = path.join(root, 'test', '__snapshots__', 'examples');

interface SynthResult {
  readonly version: string;
  readonly resolved: string;
  readonly stacks: Record<string, { resources: Record<string, string>; errors: string[] }>;
}

test(`the examples synthesize against aws-cdk-lib ${oldest}, the oldest the peer dependency allows`, () => {
  if (!fs.existsSync(path.join(dir, 'node_modules', 'aws-cdk-lib', 'package.json'))) {
    throw new Error(`aws-cdk-lib ${oldest} is not installed in ${path.relative(root, dir)}: run .ci/setup.d/50-aws-cdk-lib-oldest.sh`);
  }
  const proc = spawnSync(process.execPath, [
    '-r', path.join(__dirname, 'resolve-aws-cdk-lib.js'),
    '-r', 'ts-node/register/transpile-only',
    path.join(__dirname, 'synth-all.ts'),
  ], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, AWS_CDK_LIB_DIR: dir, CDK_DISABLE_STACK_TRACE: '1' },
  });
  if (proc.status !== 0) throw new Error(`synthesis against aws-cdk-lib ${oldest} failed:\n${proc.stderr.split('\n').slice(-40).join('\n')}`);
  const result = JSON.parse(proc.stdout) as SynthResult;

  expect(result.version).toBe(oldest);
  // Today the pinned devDependency is that version too: where it was loaded from is what proves the resolution.
  expect(result.resolved.startsWith(path.join(dir, 'node_modules', 'aws-cdk-lib') + path.sep)).toBe(true);
  const expected = Object.fromEntries(fs.readdirSync(snapshots).filter((f) => f.endsWith('.json')).map((f) => {
    const template = JSON.parse(fs.readFileSync(path.join(snapshots, f), 'utf8'));
    return [f.replace(/\.json$/, ''), Object.fromEntries(Object.entries<any>(template.Resources ?? {}).map(([id, r]) => [id, r.Type]))];
  }));
  expect(Object.keys(result.stacks).sort()).toEqual(Object.keys(expected).sort());
  for (const [stack, { resources, errors }] of Object.entries(result.stacks)) {
    expect({ stack, errors }).toEqual({ stack, errors: [] });
    expect({ stack, resources }).toEqual({ stack, resources: expected[stack] });
  }
}, 290_000);
