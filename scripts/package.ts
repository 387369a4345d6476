/**
 * `package:<language>`: builds one language package with jsii-pacmak into dist/<language>, where its toolchain is
 * installed. Where it is not, the task says so and succeeds, so that a missing toolchain (there is no .NET SDK on
 * every machine) never fails the packages of the others; a toolchain that is there and fails still fails the task,
 * with one exception outside the project: a Maven repository that answers it does not serve aws-cdk-lib's jar in the
 * range the Java package's pom asks for (this project's machines reach a mirror that serves aws-cdk-lib 2.265.0's pom
 * but not its jar). There the task compiles the bindings against the newest release the repository serves and
 * installs the jar into dist/java with jsii-pacmak's pom, its range unchanged (scripts/java-against.ts), and says so.
 *
 * Usage: ts-node --transpile-only scripts/package.ts python|java|go|dotnet
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { buildJavaAgainst, cdkForJava } from './java-against';

const TOOLCHAINS: Record<string, { probe: [string, string[]]; needs: string; build: [string, string[]] }> = {
  python: { probe: ['python3', ['-m', 'pip', '--version']], needs: 'python3 with pip', build: ['jsii-pacmak', ['-v', '--target', 'python']] },
  java: { probe: ['mvn', ['-v']], needs: 'Java and Maven (mvn)', build: ['jsii-pacmak', ['-v', '--target', 'java']] },
  go: { probe: ['go', ['version']], needs: 'Go (go)', build: ['ts-node', ['--transpile-only', path.join(__dirname, 'package-go.ts')]] },
  dotnet: { probe: ['dotnet', ['--version']], needs: 'the .NET SDK (dotnet)', build: ['jsii-pacmak', ['-v', '--target', 'dotnet']] },
};

const language = process.argv[2];
const toolchain = TOOLCHAINS[language];
if (!toolchain) throw new Error(`unknown language '${language}': one of ${Object.keys(TOOLCHAINS).join(', ')}`);

const probe = spawnSync(toolchain.probe[0], toolchain.probe[1], { stdio: 'ignore' });
if (probe.error || probe.status !== 0) {
  console.log(`package:${language} skipped: ${toolchain.needs} not found on PATH (\`${toolchain.probe.flat().join(' ')}\` failed)`);
  process.exit(0);
}
const bin = path.join(__dirname, '..', 'node_modules', '.bin', toolchain.build[0]);
const build = spawnSync(bin, toolchain.build[1], { stdio: ['inherit', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const refusedJar = /(?:Could not find artifact|No versions available for) (software\.amazon\.awscdk:aws-cdk-lib:jar:\S+)/.exec(`${build.stdout}${build.stderr}`);
if (!(language === 'java' && build.status !== 0 && refusedJar)) {
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
}
if (language === 'java' && build.status !== 0 && refusedJar) {
  console.log(`package:java: the Maven repository serves no ${refusedJar[1]}; compiling against the newest release before it that it serves`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pinned: string = require(path.join(__dirname, '..', 'package.json')).devDependencies['aws-cdk-lib'];
  const cdk = cdkForJava(pinned);
  if (!cdk.version) {
    console.log(`package:java skipped: the Maven repository serves no ${refusedJar[1]}, nor any of the five minor releases before ${pinned}`);
    process.exit(0);
  }
  const jar = buildJavaAgainst({
    cdkVersion: cdk.version,
    workdir: path.join(__dirname, '..', '.cache', 'package-java'),
    repository: path.join(__dirname, '..', 'dist', 'java'),
    keepPinnedRange: true,
  });
  console.log(`package:java: ${path.relative(path.join(__dirname, '..'), jar)}, compiled against aws-cdk-lib ${cdk.version} because the Maven `
    + `repository serves no ${refusedJar[1]}; its pom asks for aws-cdk-lib ${pinned} or later, as the library needs`);
  process.exit(0);
}
process.exit(build.status ?? 1);
