/**
 * The Java package, compiled against an aws-cdk-lib release other than the one its pom asks for, for a Maven
 * repository that does not serve the pinned release's jar (this project's machines reach a mirror that serves
 * aws-cdk-lib 2.265.0's pom but not its jar; its metadata stops at 2.263.0). Shared by `package:java`
 * (scripts/package.ts) and the Java smoke test (test/packaging/).
 *
 * jsii-pacmak writes the sources and the pom (`--code-only`); Maven compiles them with the pom's aws-cdk-lib range
 * replaced by the release it serves. javac succeeding proves that every aws-cdk-lib class and method the bindings name
 * exists in that release, and aws-cdk-lib keeps its API within a major version, so the bytecode is the one the pinned
 * release gives. What is installed then depends on who uses it:
 * - `package:java` installs the jar with jsii-pacmak's own pom, its range unchanged ([pinned,3.0.0)): the artifact
 *   asks users for what the library needs;
 * - the smoke test installs it with the replaced version, so that Maven can resolve the example app's graph on that
 *   mirror (a range whose versions the repository's metadata does not list fails the resolution).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(ROOT, 'package.json'));

/** Runs a command, and on failure throws with the end of its output (the reason). */
function run(cmd: string, args: string[], cwd: string): string {
  const proc = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
  });
  if (proc.error) throw new Error(`${cmd} could not be run: ${proc.error.message}`);
  if (proc.status !== 0) {
    const out = `${proc.stdout ?? ''}\n${proc.stderr ?? ''}`.split('\n').filter((l) => !l.startsWith('!!')).slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed with status ${proc.status}:\n${out}`);
  }
  return String(proc.stdout);
}

/** Whether the Maven repository serves aws-cdk-lib's jar at `version`: undefined, or its refusal when it does not. */
export function cdkJarRefusal(version: string): string | undefined {
  const probe = spawnSync('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=software.amazon.awscdk:aws-cdk-lib:${version}`, '-Dtransitive=false'],
    { encoding: 'utf8', timeout: 120_000 });
  const output = `${probe.stdout ?? ''}${probe.stderr ?? ''}`;
  if (probe.error || probe.status === 0) return undefined;
  return /Could not find artifact|was not found in/.test(output) ? `the Maven repository does not serve software.amazon.awscdk:aws-cdk-lib:jar:${version}` : undefined;
}

/**
 * The aws-cdk-lib to compile the Java bindings against: `pinned`, or, when the Maven repository refuses that jar,
 * the newest of the five minor releases below it that it serves (with the refusal). Undefined `version` when it serves
 * none of them.
 */
export function cdkForJava(pinned: string): { version?: string; refused?: string } {
  const refused = cdkJarRefusal(pinned);
  if (!refused) return { version: pinned };
  const [major, minor] = pinned.split('.').map(Number);
  for (let m = minor - 1; m >= minor - 5; m--) {
    const version = `${major}.${m}.0`;
    if (!cdkJarRefusal(version)) return { version, refused };
  }
  return { refused };
}

export interface JavaBuildOptions {
  /** The aws-cdk-lib release the bindings compile against. */
  readonly cdkVersion: string;
  /** Where jsii-pacmak writes the sources and Maven builds them. */
  readonly workdir: string;
  /** The Maven repository (a directory) the artifact is installed into. */
  readonly repository: string;
  /** Install the artifact with jsii-pacmak's pom (the pinned range), not with the version it compiled against. */
  readonly keepPinnedRange: boolean;
}

/** Builds the Java package against `cdkVersion` and installs it into `repository`; returns the jar's path there. */
export function buildJavaAgainst(options: JavaBuildOptions): string {
  const built = compileJavaAgainst(options.cdkVersion, options.workdir);
  return installJava(built, options.repository, options.keepPinnedRange);
}

/** The jar jsii-pacmak's sources compiled into, with both poms: jsii-pacmak's (the pinned range) and the compiled one. */
export interface CompiledJava {
  readonly jar: string;
  readonly pinnedPom: string;
  readonly compiledPom: string;
}

/** Installs a compiled jar into a Maven repository (a directory) with one of its poms; returns the jar's path there. */
export function installJava(built: CompiledJava, repository: string, keepPinnedRange: boolean): string {
  run('mvn', ['-B', '-q', 'install:install-file', `-Dfile=${built.jar}`, `-DpomFile=${keepPinnedRange ? built.pinnedPom : built.compiledPom}`,
    `-DlocalRepositoryPath=${repository}`], path.dirname(built.pinnedPom));
  const groupId: string = pkg.jsii.targets.java.maven.groupId;
  return path.join(repository, ...groupId.split('.'), pkg.name, pkg.version, path.basename(built.jar));
}

/** jsii-pacmak's sources of the Java package, compiled by Maven against `cdkVersion` in `workdir`. */
export function compileJavaAgainst(cdkVersion: string, workdir: string): CompiledJava {
  fs.rmSync(workdir, { recursive: true, force: true });
  run(path.join(BIN, 'jsii-pacmak'), ['--target', 'java', '--code-only', '--outdir', path.join(workdir, 'src'), '--force'], ROOT);
  const project = path.join(workdir, 'src', 'java');
  const pomFile = path.join(project, 'pom.xml');
  const pom = fs.readFileSync(pomFile, 'utf8');
  const range = /(<artifactId>aws-cdk-lib<\/artifactId>\s*<version>)([^<]+)(<\/version>)/;
  if (!range.test(pom)) throw new Error(`jsii-pacmak's pom (${pomFile}) names no aws-cdk-lib version to replace`);
  const compilePom = path.join(project, 'pom.compile.xml');
  fs.writeFileSync(compilePom, pom.replace(range, `$1${cdkVersion}$3`));
  run('mvn', ['-B', '-q', '-f', compilePom, 'package', '-DskipTests', '-Dmaven.javadoc.skip=true', '-Dmaven.source.skip=true', '-Dgpg.skip=true'], project);
  const jar = path.join(project, 'target', `${pkg.name}-${pkg.version}.jar`);
  if (!fs.existsSync(jar)) throw new Error(`Maven built no ${path.basename(jar)} in ${path.dirname(jar)}`);
  return { jar, pinnedPom: pomFile, compiledPom: compilePom };
}
