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
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, ensurePacmak, ensurePacmakJavaAgainst, expectTheExampleTemplate, forgetInstalledJavaPackage, requireTool, ROOT, run, stepTimer, VERSIONS } from './support';
import { cdkForJava } from '../../scripts/java-against';

const EXAMPLE = 'orders-to-s3';

/**
 * The aws-cdk-lib the Java app builds against: the pinned version, or, when the Maven repository this machine reaches
 * answers that it does not serve that jar (the mirror of this project's machines serves 2.265.0's pom, not its jar,
 * and its metadata stops at 2.263.0), the newest of the five minor releases below it that it serves. That is outside
 * the project; the package is then compiled against that release (scripts/java-against.ts), which shows that the
 * bindings compile and synthesize the same template, and the test's name says so. Any other failure (no Java, no
 * Maven, no network) still fails the test.
 */
const served = cdkForJava(VERSIONS.cdk);
const cdk = { version: served.version ?? VERSIONS.cdk, refused: served.refused };

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
    if (cdk.refused) {
      // The artifact package:java installs on such a repository: the same jar, and a pom asking for what the library
      // needs (the peer dependency's range), not for the release it compiled against.
      const pom = fs.readFileSync(path.join(path.dirname(repository), 'pinned-repository', 'dev', 'cdk-kinesis-patterns',
        'cdk-kinesis-patterns', VERSIONS.package, `cdk-kinesis-patterns-${VERSIONS.package}.pom`), 'utf8');
      const peer = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(VERSIONS.cdkPeer)!;
      expect(pom).toMatch(new RegExp(`<artifactId>aws-cdk-lib</artifactId>\\s*<version>\\[${peer[1]}\\.${peer[2]}\\.${peer[3]},${Number(peer[1]) + 1}\\.0\\.0\\)</version>`));
    }
  }, 480_000);
});
