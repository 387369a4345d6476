/**
 * The Java package works for a Java user: jsii-pacmak builds the Maven artifact into dist/java (a Maven repository),
 * the Java version of the orders-to-s3 example compiles against it and aws-cdk-lib's Java artifact (the version
 * package.json pins) and synthesizes, and its template is the TypeScript example's (apart from asset hashes and
 * CDK metadata).
 *
 * Needs Java 17+, Maven and the Maven repository (~/.m2 caches it; `.ci/setup.d/40-maven-aws-cdk-lib.sh` fetches
 * aws-cdk-lib). Whatever is missing fails the test with the reason; a repository that refuses the pinned aws-cdk-lib
 * jar is the one case where the test goes on with an older release (see cdkForJava).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, ensurePacmak, ensurePacmakJavaAgainst, expectTheExampleTemplate, forgetInstalledJavaPackage, requireTool, ROOT, run, stepTimer, VERSIONS } from './support';

const EXAMPLE = 'orders-to-s3';

/** Whether the Maven repository serves aws-cdk-lib's jar at `version`: undefined, or its answer when it does not. */
function cdkJarRefusal(version: string): string | undefined {
  const probe = spawnSync('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=software.amazon.awscdk:aws-cdk-lib:${version}`, '-Dtransitive=false'],
    { encoding: 'utf8', timeout: 120_000 });
  const output = `${probe.stdout ?? ''}${probe.stderr ?? ''}`;
  if (probe.error || probe.status === 0) return undefined;
  return /Could not find artifact|was not found in/.test(output) ? `the Maven repository does not serve software.amazon.awscdk:aws-cdk-lib:jar:${version}` : undefined;
}

/**
 * The aws-cdk-lib the Java app builds against: the pinned version, or, when the Maven repository this machine reaches
 * answers that it does not serve that jar (the mirror of this project's machines serves 2.265.0's pom, not its jar,
 * and its metadata stops at 2.263.0), the newest of the five minor releases below it that it serves. That is outside
 * the project; the package is then compiled against that release (its pom's range would refuse it), which shows that
 * the bindings compile and synthesize the same template, and the test's name says so. Any other failure (no Java, no
 * Maven, no network) still fails the test.
 */
function cdkForJava(): { version: string; refused?: string } {
  const refused = cdkJarRefusal(VERSIONS.cdk);
  if (!refused) return { version: VERSIONS.cdk };
  const [major, minor] = VERSIONS.cdk.split('.').map(Number);
  for (let m = minor - 1; m >= minor - 5; m--) {
    const version = `${major}.${m}.0`;
    if (!cdkJarRefusal(version)) return { version, refused };
  }
  return { version: VERSIONS.cdk, refused };
}
const cdk = cdkForJava();
const STACK = 'OrdersToS3';

describe('the Java package', () => {
  const timed = stepTimer('java');

  const against = cdk.refused ? ` (against aws-cdk-lib ${cdk.version}: ${cdk.refused})` : '';
  test(`the ${EXAMPLE} example in Java synthesizes the TypeScript example's template${against}`, () => {
    requireTool('java', ['-version'], 'Java 17+ (apt-get install openjdk-17-jdk-headless)');
    requireTool('mvn', ['-v'], 'Maven (apt-get install maven)');

    timed('aws-cdk-lib', () => {
      try {
        run('mvn', ['-B', '-q', '-U', 'dependency:get', `-Dartifact=software.amazon.awscdk:aws-cdk-lib:${cdk.version}`, '-Dtransitive=false']);
      } catch (e) {
        throw new Error(`aws-cdk-lib ${cdk.version}'s Java artifact (software.amazon.awscdk:aws-cdk-lib:jar:${cdk.version}) cannot be `
          + `downloaded from the Maven repository, so neither the package nor the app can compile: ${(e as Error).message.split('\n').find((l) => /ERROR|Missing|Could not/.test(l)) ?? (e as Error).message}`);
      }
    });
    const repository = timed('build', () => (cdk.refused ? ensurePacmakJavaAgainst(cdk.version) : ensurePacmak('java')));
    forgetInstalledJavaPackage();

    const outdir = fs.mkdtempSync(path.join(CACHE, 'java-synth-'));
    timed('synth', () => run('mvn', [
      '-B', '-q', 'compile', 'exec:java',
      `-Dcdk.version=${cdk.version}`, `-Dconstructs.version=${VERSIONS.constructs}`, `-Dpatterns.version=${VERSIONS.package}`,
      `-Dpatterns.repository=file://${repository}`,
    ], {
      cwd: path.join(ROOT, 'examples', EXAMPLE, 'java'),
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
        JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
      },
    }));
    const javaTemplate = JSON.parse(fs.readFileSync(path.join(outdir, `${STACK}.template.json`), 'utf8'));

    expectTheExampleTemplate(javaTemplate, EXAMPLE, STACK);
    fs.rmSync(outdir, { recursive: true, force: true });
    // About 2 minutes alone, jsii-pacmak and two Maven builds; on 2 cores beside the rest of the suite, up to twice that.
  }, 480_000);
});
