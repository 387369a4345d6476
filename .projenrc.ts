import { awscdk, javascript } from 'projen';

/**
 * The single source of the build. Every generated file (package.json, tsconfig*, .projen/tasks.json, workflows)
 * comes from here: change this file and run `npx projen`.
 */
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-kinesis-patterns',
  description: 'Validated AWS CDK patterns for Amazon Kinesis: capacity-planned data streams, an order-keeping producer and consumer runtime, Firehose delivery, analytics and monitoring.',
  author: 'cdk-kinesis-patterns maintainers',
  authorAddress: 'maintainers@cdk-kinesis-patterns.dev',
  repositoryUrl: 'https://github.com/cdk-kinesis-patterns/cdk-kinesis-patterns.git',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'kinesis', 'kinesis-data-streams', 'firehose', 'streaming', 'kpl', 'lambda'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  stability: 'experimental',
  minNodeVersion: '20.0.0',

  // 2.258 is the first release whose policy validation context carries the construct tree cdk-nag 3 needs; 2.265 is
  // the first with Firehose's HTTP endpoint destination (`HttpEndpoint`), which HttpEndpointDeliveryStream builds on.
  // The L1 properties we use (MaxRecordSizeInKiB, WarmThroughputMiBps) are there too.
  cdkVersion: '2.265.0',
  constructsVersion: '10.5.1',
  // TypeScript 7 (the native port) has no compiler JavaScript API, which ts-node and ts-jest need.
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  // Construct Hub publishes to every jsii language.
  publishToPypi: {
    distName: 'cdk-kinesis-patterns',
    module: 'cdk_kinesis_patterns',
  },
  publishToMaven: {
    javaPackage: 'dev.cdkkinesispatterns',
    mavenGroupId: 'dev.cdk-kinesis-patterns',
    mavenArtifactId: 'cdk-kinesis-patterns',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkKinesisPatterns',
    packageId: 'CdkKinesisPatterns',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-kinesis-patterns/cdk-kinesis-patterns-go',
  },
  // commit-and-tag-version 13 and its conventional-changelog dependencies require Node 22, and every `npm ci` on
  // Node 20 (our minimum) printed a screen of EBADENGINE warnings for them. 12 supports Node 18 and up.
  bumpPackage: 'commit-and-tag-version@^12',

  devDeps: [
    '@types/node@^20',
    // The CDK CLI is versioned 2.1xxx (aws-cdk@3.0.0 on the registry is an old, stray release that reads no current cloud assembly).
    'aws-cdk@^2.1148.0',
    'cdk-nag@^3',
    // scripts/check-api-docs.ts reads the (compressed) assembly as jsii's own tools do.
    '@jsii/spec@^1',
    'esbuild@^0.28',
    '@types/aws-lambda@^8',
    '@aws-sdk/client-kinesis@^3',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/lib-dynamodb@^3',
    '@smithy/node-http-handler@^4',
    'kinesalite@^3',
    'kinesis-local@^0.6',
    'aws-kinesis-agg@^4',
    '@aws-lambda-powertools/batch@^2',
    'dynalite@^4',
    '@aws-sdk/client-sqs@^3',
    '@aws-sdk/client-sns@^3',
    // The local run's report is checked in headless Chromium (Debian's chromium package, installed by .ci/setup).
    'playwright-core@^1',
    'commit-and-tag-version@^12',
  ],

  jestOptions: {
    // Snapshots change only when someone asks for it: `npx projen test:update`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // Integration tests start their own servers; keep the workers within the 2-core CI machine.
      maxWorkers: 2,
      // Coverage is asked for (`npx projen test:coverage`), not collected by every run: instrumenting every file made
      // the suite a quarter slower, which on 2 cores took it past 20 minutes.
      collectCoverage: false,
      collectCoverageFrom: ['src/**/*.ts', 'lambda/**/*.ts'],
      // Quiet test output: no SDK maintenance banners, no CDK stack traces in annotations.
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
  },
  // lib/ without inline source maps: they carried every source file a second time (a third of the npm package), and
  // src/ is not shipped for separate maps to point at. aws-cdk-lib ships none either.
  tsconfig: {
    compilerOptions: { inlineSourceMap: false, inlineSources: false },
  },
  // test/tsconfig.json type-checks the whole repository in one program (`npx projen typecheck`).
  tsconfigDev: {
    compilerOptions: {},
    include: ['../src/**/*.ts', '../lambda/**/*.ts', '../local/**/*.ts', '../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'lambda', 'local', 'examples', 'scripts', 'bench', 'projenrc'],
  },
  gitignore: ['/.jsii.gz', '/examples/**/java/target/', '/assets/', '/runtime/', '/cdk.out/', '/examples/**/cdk.out/', '/bench-results/', '.cdk.staging/', '/local-run/'],
});

// ConsumerCode.fromHandlerFile bundles users' handler files with esbuild at synth time, as NodejsFunction does, so
// apps that use it need esbuild; others do not. It cannot be in peerDependencies: jsii resolves every peer as a jsii
// assembly and refuses esbuild ("Unable to locate jsii assembly for esbuild"). peerDependenciesMeta alone declares an
// optional peer of any version for pnpm and Yarn; npm ignores it, and the construct says what to install instead.
project.package.addField('peerDependenciesMeta', { esbuild: { optional: true } });

// npm 11.16+ lists every dependency whose install script no package.json entry approves (npm 12 skips them). These
// are the dev dependencies' native and binary helpers the suite needs (esbuild, the LevelDB bindings under kinesalite
// and dynalite, jest's resolver and watcher, protobufjs): approved by name, so that a lockfile update keeps them.
project.package.addField('allowScripts', Object.fromEntries(
  ['@parcel/watcher', 'classic-level', 'esbuild', 'leveldown', 'protobufjs', 'unrs-resolver'].map((name) => [name, true]),
));

// jsii warnings are errors. projen silences the reserved-word warning by default; we want it (a C# reserved word
// broke the .NET binding once). The API docs check (every parameter and enum-like value documented) runs after.
// The assembly is compressed: `.jsii` is a redirect to `.jsii.gz`, which every jsii tool reads (jsii-pacmak,
// jsii-docgen, jsii-reflect), and the tarball is some 150 KiB lighter than with the 1.2 MiB assembly in clear.
project.compileTask.reset('jsii --fail-on-warnings --compress-assembly');
// lib/*.js without comments (scripts/trim-lib.ts): the declarations and the assembly keep every doc comment.
project.compileTask.exec('ts-node --transpile-only scripts/trim-lib.ts');
project.watchTask.reset('jsii -w --compress-assembly');
const checkApiDocs = project.addTask('check:api-docs', {
  description: 'Fail when a public type, property, method or parameter in .jsii has no documentation',
  exec: 'ts-node --transpile-only scripts/check-api-docs.ts',
});
project.postCompileTask.prependSpawn(checkApiDocs);

// Each language package builds only where its toolchain is (scripts/package.ts): a missing toolchain is reported
// and skipped, and never fails the packages of the others. A toolchain that is there and fails still fails the build.
for (const lang of ['python', 'java', 'go', 'dotnet']) {
  project.tasks.tryFind(`package:${lang}`)!.reset(`ts-node --transpile-only scripts/package.ts ${lang}`);
}

// `npm pack` refuses to pack a stale or missing build: a tarball without lib/ installs but cannot be imported.
project.package.setScript('prepack', 'node scripts/prepack.js');

// The @types/node dist-tag projen derives from the TypeScript version (ts6.0) does not exist on the registry.
project.deps.removeDependency('@types/node');
project.addDevDeps('@types/node@^20');

// eslint's typescript project service looks for the nearest tsconfig.json: give each dev folder one.
for (const dir of ['lambda', 'local', 'examples', 'scripts', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    include: ['**/*.ts'],
    compilerOptions: { noEmit: true, rootDir: '..', isolatedModules: true },
  });
}

// Long messages and URLs read better on one line.
project.eslint?.addRules({
  '@stylistic/max-len': ['error', {
    code: 160,
    ignoreUrls: true,
    ignoreStrings: true,
    ignoreTemplateLiterals: true,
    ignoreRegExpLiterals: true,
    ignoreComments: false,
  }],
});

// unrs-resolver 1.13.0 (used by jest 30 and the eslint import resolver) names platform bindings the registry does
// not serve, so they never reach package-lock.json and `npm ci` refuses the lock. 1.12.2 has all of them.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// ts-jest transpiles each file on its own (test/tsconfig.json sets isolatedModules; type errors are caught by
// `typecheck`), which keeps the suite fast.

// --- Bundled handlers and runtime modules --------------------------------------------------------------------
// lambda/**/*.handler.ts are bundled by esbuild into assets/ before compile, so tests and `cdk synth` find them,
// and shipped in the npm package. lambda/<module>/index.ts are the runtime modules users import by subpath.
const bundle = project.addTask('bundle', {
  description: 'Bundle lambda/ handlers into assets/ and runtime modules into runtime/ with esbuild',
  exec: 'ts-node --transpile-only scripts/bundle.ts',
});
project.preCompileTask.spawn(bundle);

const typecheck = project.addTask('typecheck', {
  description: 'Type-check src/, lambda/, test/, examples/, scripts/ and bench/ (ts-jest only transpiles)',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});

// The whole suite: bundle the handlers, type-check everything, run jest, then lint.
project.testTask.reset();
project.testTask.spawn(bundle);
project.testTask.spawn(typecheck);
project.testTask.exec('jest --passWithNoTests --ci', { receiveArgs: true });
project.testTask.spawn(project.eslint!.eslintTask);

project.addTask('test:coverage', {
  description: 'The jest suite with coverage of src/ and lambda/ (coverage/, and a table at the end)',
  steps: [{ spawn: 'bundle' }, { exec: 'jest --passWithNoTests --ci --coverage', receiveArgs: true }],
});

const testUpdate = project.tasks.tryFind('test:update')!;
testUpdate.reset();
testUpdate.env('UPDATE_EXAMPLE_SNAPSHOTS', '1');
testUpdate.spawn(bundle);
testUpdate.exec('jest --updateSnapshot', { receiveArgs: true });

// --- Examples ------------------------------------------------------------------------------------------------
project.addTask('synth:examples', {
  description: 'Synthesize every example with the real cdk CLI into cdk.out/ and print a table per stack',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only scripts/synth-examples.ts', receiveArgs: true }],
});

// --- Benchmarks ----------------------------------------------------------------------------------------------
project.addTask('bench', {
  description: 'Run every benchmark; each prints JSON figures against a baseline run in the same process',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only scripts/bench.ts', receiveArgs: true }],
});

// Types of the runtime modules: declarations only, next to their bundles in runtime/.
new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.runtime.json',
  include: ['lambda/*/index.ts'],
  compilerOptions: {
    rootDir: '.',
    outDir: 'runtime/types',
    declaration: true,
    emitDeclarationOnly: true,
    module: javascript.TypeScriptModuleResolution.NODE16 as any,
    moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
    target: 'ES2022',
    lib: ['es2022'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
  },
});

// One task per benchmark, as the README documents them; `bench` runs them all.
for (const name of ['producer', 'consumer', 'transform', 'local']) {
  project.addTask(`bench:${name}`, {
    description: `Benchmark the ${name} runtime; prints JSON figures against a baseline run in the same process`,
    steps: [{ spawn: 'bundle' }, { exec: `ts-node --transpile-only bench/${name}.bench.ts`, receiveArgs: true }],
  });
}

// --- Local run ---------------------------------------------------------------------------------------------
// local/ runs a synthesized app on this machine (kinesalite, dynalite, the real bundled handlers). It is bundled
// into runtime/local/cli.js for the package's bin; kinesalite, dynalite and the AWS SDK stay external: the runner
// names them when they are missing (they are dev dependencies here, and users install them next to the CLI).
bundle.exec('ts-node --transpile-only scripts/bundle-local.ts');
project.addBins({ 'cdk-kinesis-local': 'runtime/local/cli.js' });
project.addTask('local', {
  description: 'Run an example (or a cdk.out) locally: npm run local -- <example | cdk.out> [--seconds N] [--rate R] [--json]',
  exec: 'ts-node --transpile-only local/cli.ts',
  receiveArgs: true,
});

// Runtime modules users import from their own functions: `cdk-kinesis-patterns/<module>`. Node resolves them
// through `exports`; TypeScript with the older `node` module resolution through `typesVersions`.
const RUNTIME_MODULES = ['aggregation', 'producer', 'consumer', 'firehose'];
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
  ...Object.fromEntries(RUNTIME_MODULES.map((m) => [`./${m}`, {
    types: `./runtime/types/lambda/${m}/index.d.ts`,
    default: `./runtime/${m}/index.js`,
  }])),
});
project.package.addField('typesVersions', {
  '*': Object.fromEntries(RUNTIME_MODULES.map((m) => [m, [`runtime/types/lambda/${m}/index.d.ts`]])),
});

// Files the package ships besides lib/: bundled handler assets and runtime modules.
// lambda/ is TypeScript source: its bundles are in assets/ and runtime/, its types in runtime/types/.
project.npmignore?.addPatterns('/docs/', '/examples/', '/scripts/', '/bench/', '/cdk.out/', '/.ci/', '/lambda/', '/local/', '/local-run/', '/API.md', '/coverage/',
  '/.cache/', '!/assets/', '!/runtime/');

// PyFlink job folders: the dependency jar and Maven's output are built (see the job's README), Python caches are not code.
project.gitignore.exclude('/examples/*/job/lib/', '/examples/*/job/target/', '__pycache__/', '*.pyc');
// A worktree's node_modules may be a symlink, which 'node_modules/' (directories only) does not match.
project.gitignore.exclude('/node_modules');

project.synth();
