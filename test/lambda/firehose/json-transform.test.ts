import * as path from 'path';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { DOCUMENTED_EVENT, config, decode, eventOf, quiet } from './fixtures';
import { compileJsonTransform, transformBatch } from '../../../lambda/firehose';
import { readTransformConfig } from '../../../lambda/firehose/config';
import { TRANSFORM_CONFIG_ENV, type TransformConfig } from '../../../src/contracts/transform-config';

async function run(cfg: TransformConfig, payloads: Array<string | object>): Promise<FirehoseTransformationResult> {
  return transformBatch(eventOf(payloads), compileJsonTransform(cfg), quiet);
}

async function reasons(cfg: TransformConfig, payloads: Array<string | object>): Promise<string[]> {
  const out: string[] = [];
  await transformBatch(eventOf(payloads), compileJsonTransform(cfg), { log: (s) => out.push(...s.failures.map((f) => f.reason)) });
  return out;
}

describe('parsing', () => {
  test('the documented event ("Hello World", not JSON) is ProcessingFailed and the batch succeeds', async () => {
    const response = await transformBatch(DOCUMENTED_EVENT, compileJsonTransform(config()), quiet);
    expect(response.records).toEqual([{ recordId: DOCUMENTED_EVENT.records[0].recordId, result: 'ProcessingFailed', data: '' }]);
  });

  test('arrays, scalars and null are ProcessingFailed; objects pass', async () => {
    const response = await run(config(), ['[1]', '42', 'null', '"s"', { ok: true }]);
    expect(response.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'Ok']);
    expect(await reasons(config(), ['[1]', 'null'])).toEqual(['not a JSON object: got an array', 'not a JSON object: got null']);
  });

  test('truncated JSON and invalid bytes are ProcessingFailed with the parser message', async () => {
    const event: FirehoseTransformationEvent = { ...eventOf(['{"a":']), records: [...eventOf(['{"a":']).records, { ...DOCUMENTED_EVENT.records[0], data: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64') }] };
    const out: string[] = [];
    const response = await transformBatch(event, compileJsonTransform(config()), { log: (s) => out.push(...s.failures.map((f) => f.reason)) });
    expect(response.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'ProcessingFailed']);
    expect(out.every((r) => r.startsWith('not JSON: '))).toBe(true);
  });
});

describe('newline', () => {
  test('appends one newline, keeps the original bytes when no field changes', async () => {
    const response = await run(config(), ['{ "a" : 1 }', '{"b":2}\n']);
    expect(response.records.map((r) => decode(r.data))).toEqual(['{ "a" : 1 }\n', '{"b":2}\n']);
  });

  test('appendNewline false delivers the record as it came', async () => {
    const response = await run(config({ appendNewline: false }), ['{"a":1}']);
    expect(decode(response.records[0].data)).toBe('{"a":1}');
  });
});

describe('required fields', () => {
  const cfg = config({ requiredFields: ['id', 'detail.user'] });

  test('records with every required field pass', async () => {
    const response = await run(cfg, [{ id: 0, detail: { user: '' } }]);
    expect(response.records[0].result).toBe('Ok');
  });

  test('a missing or null required field is ProcessingFailed, naming the field', async () => {
    expect(await reasons(cfg, [{ detail: { user: 'u' } }, { id: 1, detail: { user: null } }, { id: 1, detail: 'flat' }])).toEqual([
      "required field 'id' is missing",
      "required field 'detail.user' is missing",
      "required field 'detail.user' is missing",
    ]);
  });
});

describe('keep, rename and drop', () => {
  const record = { id: 1, user: 'u', secret: 's', nested: { a: 1 } };

  test('keepFields keeps only the listed top-level fields', async () => {
    const response = await run(config({ keepFields: ['id', 'nested', 'absent'] }), [record]);
    expect(decode(response.records[0].data)).toBe('{"id":1,"nested":{"a":1}}\n');
  });

  test('renameFields renames, dropFields removes', async () => {
    const response = await run(config({ renameFields: [['user', 'userId']], dropFields: ['secret'] }), [record]);
    expect(JSON.parse(decode(response.records[0].data))).toEqual({ id: 1, userId: 'u', nested: { a: 1 } });
  });

  test('keep and rename together', async () => {
    const response = await run(config({ keepFields: ['id', 'user'], renameFields: [['id', 'event_id']] }), [record]);
    expect(decode(response.records[0].data)).toBe('{"event_id":1,"user":"u"}\n');
  });
});

describe('filters', () => {
  const records = [{ level: 'ERROR', code: 500 }, { level: 'DEBUG', code: 200 }, { level: 'INFO' }];

  test.each([
    ['equals', { field: 'level', operator: 'equals', values: ['ERROR'] }, ['Ok', 'Dropped', 'Dropped']],
    ['notEquals', { field: 'level', operator: 'notEquals', values: ['DEBUG'] }, ['Ok', 'Dropped', 'Ok']],
    ['in', { field: 'level', operator: 'in', values: ['ERROR', 'INFO'] }, ['Ok', 'Dropped', 'Ok']],
    ['notIn', { field: 'code', operator: 'notIn', values: [200] }, ['Ok', 'Dropped', 'Ok']],
    ['exists', { field: 'code', operator: 'exists', values: [] }, ['Ok', 'Ok', 'Dropped']],
    ['notExists', { field: 'code', operator: 'notExists', values: [] }, ['Dropped', 'Dropped', 'Ok']],
    ['strict equality', { field: 'code', operator: 'equals', values: ['500'] }, ['Dropped', 'Dropped', 'Dropped']],
  ] as const)('%s', async (_name, filter, expected) => {
    const response = await run(config({ filters: [filter] }), records);
    expect(response.records.map((r) => r.result)).toEqual(expected);
  });

  test('filters run before required fields: an unwanted record is dropped, not failed', async () => {
    const response = await run(config({ filters: [{ field: 'level', operator: 'equals', values: ['ERROR'] }], requiredFields: ['code'] }), [{ level: 'INFO' }, { level: 'ERROR' }]);
    expect(response.records.map((r) => r.result)).toEqual(['Dropped', 'ProcessingFailed']);
  });
});

describe('partition keys', () => {
  const cfg = config({ partitionKeys: [['service', 'service'], ['status', 'http.status'], ['ok', 'ok']] });

  test('strings, numbers and booleans become partition key strings', async () => {
    const response = await run(cfg, [{ service: 'api', http: { status: 404 }, ok: false }]);
    expect(response.records[0].metadata).toEqual({ partitionKeys: { service: 'api', status: '404', ok: 'false' } });
  });

  test('a missing, empty or non-scalar key field is ProcessingFailed', async () => {
    expect(await reasons(cfg, [
      { http: { status: 1 }, ok: true },
      { service: '', http: { status: 1 }, ok: true },
      { service: { name: 'x' }, http: { status: 1 }, ok: true },
      { service: null, http: { status: 1 }, ok: true },
    ])).toEqual([
      "partition key 'service': field 'service' is missing",
      "partition key 'service': field 'service' is empty",
      "partition key 'service': field 'service' is not a string, number or boolean (object)",
      "partition key 'service': field 'service' is not a string, number or boolean (null)",
    ]);
  });
});

describe('configuration', () => {
  test('an unknown configuration version is refused at cold start', () => {
    expect(() => compileJsonTransform(config({ version: 99 }))).toThrow('transform configuration version 99 is not supported by this handler (expects 1)');
  });

  test('an empty path segment is refused', () => {
    expect(() => compileJsonTransform(config({ requiredFields: ['a..b'] }))).toThrow("invalid field path 'a..b': empty segment");
  });

  test('a missing or unreadable environment is a deployment error', () => {
    expect(() => readTransformConfig({})).toThrow(`${TRANSFORM_CONFIG_ENV} is not set`);
    expect(() => readTransformConfig({ [TRANSFORM_CONFIG_ENV]: '{' })).toThrow(`${TRANSFORM_CONFIG_ENV} is not valid JSON`);
  });

  test('the bundled handler reads its environment and transforms the documented event shape', async () => {
    const bundle = path.join(__dirname, '..', '..', '..', 'assets', 'firehose', 'transform', 'index.js');
    const previous = process.env[TRANSFORM_CONFIG_ENV];
    process.env[TRANSFORM_CONFIG_ENV] = JSON.stringify(config({ partitionKeys: [['service', 'service']], dropFields: ['debug'] }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      let handler!: (e: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        handler = require(bundle).handler;
      });
      const response = await handler(eventOf([{ service: 'api', debug: 1 }, 'Hello World']));
      expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
      expect(decode(response.records[0].data)).toBe('{"service":"api"}\n');
      expect(response.records[0].metadata).toEqual({ partitionKeys: { service: 'api' } });
    } finally {
      log.mockRestore();
      if (previous === undefined) delete process.env[TRANSFORM_CONFIG_ENV];
      else process.env[TRANSFORM_CONFIG_ENV] = previous;
    }
  });
});
