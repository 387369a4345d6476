/**
 * Shared by the packaging tests: the jsii build they package, the language packages jsii-pacmak builds from it, and
 * the toolchains they need. Each step is skipped when its output is newer than its inputs, and serialized across
 * jest workers by a lock, so the Python and Java tests share one build.
 */
import { ExecFileSyncOptions, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const CACHE = path.join(ROOT, '.cache');
const BIN = path.join(ROOT, 'node_modules', '.bin');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(ROOT, 'package.json'));
/** The versions the repository pins, which the Python and Java apps install too. */
export const VERSIONS = {
  cdk: pkg.devDependencies['aws-cdk-lib'] as string,
  constructs: pkg.devDependencies.constructs as string,
  package: pkg.version as string,
};

export function newestMtime(...dirs: string[]): number {
  const walk = (p: string): number => {
    if (!fs.existsSync(p)) return 0;
    const stat = fs.statSync(p);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return fs.readdirSync(p).reduce((max, e) => Math.max(max, walk(path.join(p, e))), 0);
  };
  return Math.max(0, ...dirs.map((d) => walk(path.join(ROOT, d))));
}

function mtime(p: string): number {
  return fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0;
}

/** Runs a command, and on failure throws with its output (the reason), not just its status. */
export function run(cmd: string, args: string[], options: ExecFileSyncOptions = {}): string {
  const proc = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (proc.error) throw new Error(`${cmd} could not be run: ${proc.error.message}`);
  if (proc.status !== 0) {
    const out = `${proc.stdout ?? ''}\n${proc.stderr ?? ''}`.split('\n').filter((l) => !l.startsWith('!!')).slice(-60).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed with status ${proc.status}:\n${out}`);
  }
  return String(proc.stdout);
}

/** Fails with the reason when a toolchain the test needs is not on PATH. */
export function requireTool(cmd: string, args: string[], needed: string): string {
  const proc = spawnSync(cmd, args, { encoding: 'utf8' });
  if (proc.error || proc.status !== 0) {
    throw new Error(`${cmd} is not available (${proc.error?.message ?? proc.stderr.trim()}): this test needs ${needed}`);
  }
  return `${proc.stdout}${proc.stderr}`.trim().split('\n')[0];
}

/** Holds a lock (a directory under .cache/) while `fn` runs; waits for another worker's lock. */
export function withLock<T>(name: string, fn: () => T): T {
  fs.mkdirSync(CACHE, { recursive: true });
  const lock = path.join(CACHE, `${name}.lock`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than the deadline was left by a killed run.
      if (Date.now() - mtime(lock) > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** lib/, .jsii (jsii --fail-on-warnings) and assets/, runtime/ (the bundle), rebuilt when older than their sources. */
export function ensureJsiiBuild(): void {
  withLock('jsii-build', () => {
    if (!fs.existsSync(path.join(ROOT, 'assets')) || !fs.existsSync(path.join(ROOT, 'runtime'))) {
      run(path.join(BIN, 'ts-node'), ['--transpile-only', 'scripts/bundle.ts']);
    }
    if (mtime(path.join(ROOT, '.jsii')) < newestMtime('src') || !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      run(path.join(BIN, 'jsii'), ['--fail-on-warnings'], { env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
    }
  });
}

/** The language package of `target` in dist/<target>, rebuilt by jsii-pacmak when older than the jsii build. */
export function ensurePacmak(target: 'python' | 'java'): string {
  ensureJsiiBuild();
  return withLock(`pacmak-${target}`, () => {
    const outdir = path.join(ROOT, 'dist', target);
    const built = newestMtime(path.join('dist', target));
    const inputs = Math.max(mtime(path.join(ROOT, '.jsii')), newestMtime('assets', 'runtime'));
    if (built < inputs) {
      run(path.join(BIN, 'jsii-pacmak'), ['--target', target, '--force'], { env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
    }
    return outdir;
  });
}

/** Keys of a template that legitimately differ between languages: asset hashes and CDK metadata. */
export function normalizeTemplate(template: any): any {
  const copy = JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, '[asset-hash]$1'));
  for (const [id, resource] of Object.entries<any>(copy.Resources ?? {})) {
    if (resource.Type === 'AWS::CDK::Metadata') delete copy.Resources[id];
    else delete resource.Metadata;
  }
  delete copy.Conditions?.CDKMetadataAvailable;
  if (copy.Conditions && Object.keys(copy.Conditions).length === 0) delete copy.Conditions;
  return copy;
}

/** The TypeScript example's template as its snapshot holds it (asset hashes already replaced). */
export function snapshotTemplate(example: string, stack: string): any {
  const file = path.join(ROOT, 'test', '__snapshots__', 'examples', `${example}.${stack}.json`);
  if (!fs.existsSync(file)) throw new Error(`no snapshot ${path.relative(ROOT, file)}: run test/examples.test.ts for ${example} first`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
