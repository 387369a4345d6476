/**
 * A TypeScript user's program, type-checked against the package as npm installs it (the packed tarball, extracted
 * into a node_modules of its own): the declarations that ship resolve, with the library's main entry and every
 * runtime subpath, under both module resolutions users have (`node16`, through `exports`; `node10`, through
 * `typesVersions`), and without `skipLibCheck`, so that a declaration importing a file the package does not ship
 * fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { CACHE, ensureJsiiBuild, ROOT, run, stepTimer } from './support';

const APP = `
import { App, Stack, Size } from 'aws-cdk-lib';
import { ConsumerCode, DataStream, LambdaStreamConsumer, PartitionKey, ProducerFunction, S3DeliveryStream, DeliverySource, KinesisLimits } from 'cdk-kinesis-patterns';
import { KinesisProducer, PutResult } from 'cdk-kinesis-patterns/producer';
import { createKinesisHandler, jsonParser, CONSUMER_ENVIRONMENT } from 'cdk-kinesis-patterns/consumer';
import { createTransformHandler } from 'cdk-kinesis-patterns/firehose';
import { RecordAggregator, deaggregate } from 'cdk-kinesis-patterns/aggregation';
import { KinesisClient } from '@aws-sdk/client-kinesis';

const app = new App();
const stack = new Stack(app, 'User');
const stream = new DataStream(stack, 'Stream', { throughput: { recordsPerSecond: 1500, averageRecordSize: Size.bytes(200) } });
new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.fromField('id') });
new S3DeliveryStream(stack, 'Delivery', { source: DeliverySource.kinesisStream(stream) });
declare const fn: import('aws-cdk-lib/aws-lambda').IFunction;
new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(fn) });
const maxRecords: number = KinesisLimits.MAX_RECORDS_PER_PUT_RECORDS;

const producer = new KinesisProducer({ client: new KinesisClient({}), streamName: stream.streamName });
export async function put(): Promise<PutResult> { return producer.put({ partitionKey: 'k', data: Buffer.from('x') }); }
export const consume = createKinesisHandler(async (body: { id: string }) => { void body.id; }, { parser: jsonParser() });
export const transform = createTransformHandler((record) => ({ result: 'Ok', data: record.data }));
const env: string = CONSUMER_ENVIRONMENT.STRICT;
void new RecordAggregator(); void deaggregate; void maxRecords; void env;
`;

describe('a TypeScript program against the installed package', () => {
  const work = path.join(CACHE, 'typescript-user');
  const step = stepTimer('typescript-user');

  beforeAll(() => {
    ensureJsiiBuild();
    fs.rmSync(work, { recursive: true, force: true });
    const modules = path.join(work, 'node_modules');
    fs.mkdirSync(modules, { recursive: true });
    step('pack', () => {
      const tarball = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT }).trim().split('\n').pop()!;
      run('tar', ['xzf', path.join(work, tarball), '-C', work]);
      fs.renameSync(path.join(work, 'package'), path.join(modules, 'cdk-kinesis-patterns'));
    });
    // The package's peers and the runtime's SDK, as the user's app would have them installed.
    for (const dep of ['aws-cdk-lib', 'constructs', '@types/node', '@types/aws-lambda', '@aws-sdk', '@smithy', '@aws-crypto', '@aws']) {
      const source = path.join(ROOT, 'node_modules', dep);
      if (!fs.existsSync(source)) continue;
      fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
      fs.symlinkSync(source, path.join(modules, dep));
    }
    // A package of its own: inside the repository, node16 resolution would otherwise find the repository's own
    // package.json (TypeScript resolves a package's own name through its exports) instead of the installed one.
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'user-app', private: true }));
    fs.writeFileSync(path.join(work, 'app.ts'), APP);
  }, 120_000);

  test.each([
    ['node16', ts.ModuleKind.Node16, ts.ModuleResolutionKind.Node16],
    ['node10', ts.ModuleKind.CommonJS, ts.ModuleResolutionKind.Node10],
  ])('type-checks with %s module resolution and no skipLibCheck', (_name, module, moduleResolution) => {
    const program = ts.createProgram([path.join(work, 'app.ts')], {
      module,
      moduleResolution,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [path.join(work, 'node_modules', '@types')],
      preserveSymlinks: true,
      // node10 is deprecated in TypeScript 6 and users still have it (`cdk init`'s tsconfig sets `"moduleResolution": "node"`).
      ignoreDeprecations: '6.0',
    });
    const problems = ts.getPreEmitDiagnostics(program)
      // aws-cdk-lib's and the SDK's own declarations are theirs to check; ours are not skipped.
      .filter((d) => !d.file || !/node_modules\/(aws-cdk-lib|constructs|@aws-sdk|@smithy|@types)\//.test(d.file.fileName))
      .map((d) => `${d.file ? path.relative(work, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(problems).toEqual([]);
    const ours = program.getSourceFiles().map((f) => f.fileName).filter((f) => f.includes('node_modules/cdk-kinesis-patterns/'));
    expect(ours.length).toBeGreaterThan(20);
  }, 240_000);
});
