/**
 * `cdk-kinesis-patterns/consumer` loads the DynamoDB SDK only when checkpoints or the sink are created, so that a
 * function that uses neither (or a test on a machine without those packages) imports the runtime without them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const DYNAMODB_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];

function notInstalled(name: string): never {
  throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
}

describe('the consumer runtime without the DynamoDB packages (source)', () => {
  const loaded: string[] = [];
  let runtime: typeof import('../../../lambda/consumer');

  beforeAll(() => {
    jest.isolateModules(() => {
      for (const name of DYNAMODB_PACKAGES) {
        jest.doMock(name, () => {
          loaded.push(name);
          return notInstalled(name);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      runtime = require('../../../lambda/consumer');
    });
  });

  afterAll(() => DYNAMODB_PACKAGES.forEach((name) => jest.dontMock(name)));

  test('importing it loads neither package', () => {
    expect(Object.keys(runtime)).toContain('createKinesisHandler');
    expect(loaded).toEqual([]);
  });

  test('a handler without checkpoints processes a batch', async () => {
    const seen: string[] = [];
    const handler = runtime.createKinesisHandler(async (body: { id: string }) => {
      seen.push(body.id);
    }, { parser: runtime.jsonParser() });
    const data = (id: string) => Buffer.from(JSON.stringify({ id })).toString('base64');
    const event = {
      Records: ['a', 'b'].map((id, i) => ({
        eventID: `shardId-000000000000:${i}`,
        eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s',
        kinesis: { partitionKey: id, sequenceNumber: String(100 + i), data: data(id), approximateArrivalTimestamp: 1, kinesisSchemaVersion: '1.0' },
      })),
    };
    await expect(handler(event as any)).resolves.toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['a', 'b']);
    expect(loaded).toEqual([]);
  });

  test('creating a sink names the missing package and how to get it', () => {
    expect(() => new runtime.DynamoDbSink({ tableName: 'items' })).toThrow(
      '@aws-sdk/lib-dynamodb is not installed: the DynamoDB checkpoints and sink of cdk-kinesis-patterns/consumer need it '
      + '(the Lambda Node.js runtime provides it; elsewhere run `npm install @aws-sdk/lib-dynamodb`)');
  });

  test('creating a checkpoint store names @aws-sdk/client-dynamodb', () => {
    expect(() => new runtime.DynamoDbCheckpointStore({ tableName: 'checkpoints' })).toThrow(/^@aws-sdk\/client-dynamodb is not installed/);
  });
});

describe('the bundled runtime module without the DynamoDB packages', () => {
  const bundle = path.join(__dirname, '..', '..', '..', 'runtime', 'consumer', 'index.js');

  test('imports in a Node.js process where neither package resolves', () => {
    expect(fs.existsSync(bundle)).toBe(true);
    const script = `
      const Module = require('module');
      const original = Module._resolveFilename;
      const blocked = ${JSON.stringify(DYNAMODB_PACKAGES)};
      Module._resolveFilename = function (request, ...rest) {
        if (blocked.includes(request)) throw Object.assign(new Error('Cannot find module ' + request), { code: 'MODULE_NOT_FOUND' });
        return original.call(this, request, ...rest);
      };
      const runtime = require(${JSON.stringify(bundle)});
      let sink;
      try { new runtime.DynamoDbSink({ tableName: 't' }); } catch (e) { sink = e.message; }
      process.stdout.write(JSON.stringify({ handler: typeof runtime.createKinesisHandler, sink }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(out.handler).toBe('function');
    expect(out.sink).toMatch(/^@aws-sdk\/lib-dynamodb is not installed/);
  });
});
