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
    if (!fs.existsSync(path.join(ROOT, 'runtime', 'local', 'cli.js'))) {
      run(path.join(BIN, 'ts-node'), ['--transpile-only', 'scripts/bundle-local.ts']);
    }
    if (mtime(path.join(ROOT, '.jsii')) < newestMtime('src') || !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      // As `npx projen compile` does (.projenrc.ts): the assembly compressed, as it ships.
      run(path.join(BIN, 'jsii'), ['--fail-on-warnings', '--compress-assembly'], { env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
      run(path.join(BIN, 'ts-node'), ['--transpile-only', 'scripts/trim-lib.ts']);
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

/**
 * The Java package built against another aws-cdk-lib than the one its pom asks for ([pinned,3.0.0)): jsii-pacmak
 * writes the sources and the pom (`--code-only`), the pom's aws-cdk-lib range becomes `cdkVersion`, and Maven
 * compiles and installs the jar into a repository of its own under .cache/. For a Maven repository that does not serve
 * the pinned version's jar; the jar is the same bytecode wherever aws-cdk-lib's API that the bindings name is the same.
 */
export function ensurePacmakJavaAgainst(cdkVersion: string): string {
  ensureJsiiBuild();
  return withLock('pacmak-java-against', () => {
    const work = path.join(CACHE, `java-against-${cdkVersion}`);
    const repository = path.join(work, 'repository');
    const inputs = Math.max(mtime(path.join(ROOT, '.jsii')), newestMtime('assets', 'runtime'));
    if (newestMtime(path.relative(ROOT, repository)) >= inputs) return repository;
    fs.rmSync(work, { recursive: true, force: true });
    run(path.join(BIN, 'jsii-pacmak'), ['--target', 'java', '--code-only', '--outdir', path.join(work, 'src'), '--force'],
      { env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
    const project = path.join(work, 'src', 'java');
    const pomFile = path.join(project, 'pom.xml');
    const pom = fs.readFileSync(pomFile, 'utf8');
    const range = /(<artifactId>aws-cdk-lib<\/artifactId>\s*<version>)([^<]+)(<\/version>)/;
    if (!range.test(pom)) throw new Error(`jsii-pacmak's pom (${pomFile}) names no aws-cdk-lib version to replace`);
    fs.writeFileSync(pomFile, pom.replace(range, `$1${cdkVersion}$3`));
    run('mvn', ['-B', '-q', 'package', '-DskipTests', '-Dmaven.javadoc.skip=true', '-Dmaven.source.skip=true', '-Dgpg.skip=true'], { cwd: project });
    const jar = path.join(project, 'target', `cdk-kinesis-patterns-${VERSIONS.package}.jar`);
    if (!fs.existsSync(jar)) throw new Error(`Maven built no ${path.basename(jar)} in ${path.dirname(jar)}`);
    run('mvn', ['-B', '-q', 'install:install-file', `-Dfile=${jar}`, `-DpomFile=${pomFile}`,
      `-DlocalRepositoryPath=${repository}`], { cwd: project });
    return repository;
  });
}

/**
 * Maven keeps what it resolved from a `file://` repository in ~/.m2 too, and a release version found there is never
 * looked up again: the package built by a previous run would shadow the one just built. Forget it.
 */
export function forgetInstalledJavaPackage(): void {
  const home = process.env.MAVEN_REPO_LOCAL ?? path.join(process.env.HOME ?? '', '.m2', 'repository');
  fs.rmSync(path.join(home, 'dev', 'cdk-kinesis-patterns'), { recursive: true, force: true });
}

/**
 * Times the named steps of a smoke test, and writes them to .cache/<name>-smoke-timings.json after the tests (the
 * README's figures come from there, without output in the test run).
 */
export function stepTimer(name: string): <T>(step: string, fn: () => T) => T {
  const timings: Record<string, number> = {};
  afterAll(() => {
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(path.join(CACHE, `${name}-smoke-timings.json`), JSON.stringify(timings, null, 2) + '\n');
  });
  return (step, fn) => {
    const started = Date.now();
    try {
      return fn();
    } finally {
      timings[step] = Math.round((Date.now() - started) / 100) / 10;
    }
  };
}

/** The template another language synthesized is the TypeScript example's snapshot, apart from asset hashes and metadata. */
export function expectTheExampleTemplate(template: unknown, example: string, stack: string): void {
  const actual = normalizeTemplate(template);
  const expected = normalizeTemplate(snapshotTemplate(example, stack));
  expect(Object.keys(actual.Resources).sort()).toEqual(Object.keys(expected.Resources).sort());
  expect(actual).toEqual(expected);
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
