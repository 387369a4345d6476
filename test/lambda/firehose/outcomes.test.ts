/**
 * Whatever a user's transform returns, the response keeps Firehose's contract (every record id back once and in
 * order, a result of Ok, Dropped or ProcessingFailed, base64 data, partition keys as an object of strings): a wrong
 * return fails its own record, with the reason in the batch summary, never the invocation.
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { DOCUMENTED_EVENT, config, decode, eventOf, quiet } from './fixtures';
import { checkOutcome, compileJsonTransform, createTransformHandler, failed, InvalidTransformEventError, ok, transformBatch, type BatchSummary, type RecordTransformer } from '../../../lambda/firehose';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Checks a response against the contract of the Firehose developer guide ("Required parameters for data transformation"). */
function expectContract(event: FirehoseTransformationEvent, response: FirehoseTransformationResult): void {
  expect(Object.keys(response)).toEqual(['records']);
  expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
  for (const entry of response.records) {
    expect(['Ok', 'Dropped', 'ProcessingFailed']).toContain(entry.result);
    expect(typeof entry.data).toBe('string');
    expect(entry.data).toMatch(BASE64);
    if (entry.metadata !== undefined) {
      expect(Object.keys(entry.metadata)).toEqual(['partitionKeys']);
      const keys = entry.metadata.partitionKeys;
      expect(Object.keys(keys).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(keys)) {
        expect(key.length).toBeGreaterThan(0);
        expect(typeof value).toBe('string');
        expect(value.length).toBeGreaterThan(0);
      }
    }
  }
  // What goes on the wire is JSON: it must survive serialization unchanged.
  expect(JSON.parse(JSON.stringify(response))).toEqual(response);
}

/** Runs `transform` on three records whose middle one gets `wrong`; the others are Ok. */
async function middleReturns(wrong: () => unknown): Promise<{ response: FirehoseTransformationResult; summary: BatchSummary }> {
  const event = eventOf(['first', 'middle', 'last']);
  const summaries: BatchSummary[] = [];
  const transform = ((r) => (r.text() === 'middle' ? wrong() : ok(r.data))) as RecordTransformer;
  const response = await transformBatch(event, transform, { log: (s) => summaries.push(s) });
  expectContract(event, response);
  expect(summaries).toHaveLength(1);
  return { response, summary: summaries[0] };
}

describe('a wrong return fails that record only, with the reason in the log', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['undefined', () => undefined, /^the transform returned undefined: expected ok\(data\), dropped\(\) or failed\(reason\)$/],
    ['null', () => null, /^the transform returned null: /],
    ['a number', () => 42, /^the transform returned a number: /],
    ['a string', () => 'Ok', /^the transform returned a string: /],
    ['an object without a result', () => ({ data: Buffer.from('x') }), /^the transform returned an unknown result \(none\): /],
    ['an unknown result', () => ({ result: 'OK', data: Buffer.from('x') }), /^the transform returned an unknown result 'OK': /],
    ['a result in lower case', () => ({ result: 'dropped' }), /unknown result 'dropped'/],
    ['Ok without data', () => ({ result: 'Ok' }), /^the transform returned an Ok outcome without data: /],
    ['Ok with null data', () => ({ result: 'Ok', data: null }), /Ok outcome whose data is null, not bytes/],
    ['Ok with string data', () => ({ result: 'Ok', data: 'text' }), /Ok outcome whose data is a string, not bytes/],
    ['Ok with an object as data', () => ({ result: 'Ok', data: { a: 1 } }), /Ok outcome whose data is a object, not bytes/],
    ['an empty partition key', () => ok('x', { tenant: '' }), /partition keys that Firehose cannot use: 'tenant' is empty, expected a non-empty string/],
    ['a number as partition key', () => ok('x', { tenant: 7 as unknown as string }), /'tenant' is a number \(7\), expected a non-empty string/],
    ['a null partition key', () => ok('x', { tenant: null as unknown as string }), /'tenant' is null/],
    ['an undefined partition key', () => ok('x', { tenant: undefined as unknown as string }), /'tenant' is undefined/],
    ['an object as partition key', () => ok('x', { tenant: {} as unknown as string }), /'tenant' is a object/],
    ['a partition key without a name', () => ok('x', { '': 'x' }), /a key has an empty name/],
    ['partition keys as an array', () => ({ result: 'Ok', data: Buffer.from('x'), partitionKeys: ['a'] }), /expected an object of strings, got an array/],
    ['partition keys as a string', () => ({ result: 'Ok', data: Buffer.from('x'), partitionKeys: 'tenant' }), /expected an object of strings, got a string/],
    ['partition keys null', () => ({ result: 'Ok', data: Buffer.from('x'), partitionKeys: null }), /expected an object of strings, got null/],
    ['ok() without data', () => ok(undefined as unknown as string), /^TypeError: ok\(\) needs the record's data, got undefined/],
    ['a promise of undefined', async () => undefined, /^the transform returned undefined/],
    ['a promise of an unknown result', async () => ({ result: 'Maybe' }), /unknown result 'Maybe'/],
  ])('%s', async (_name, wrong, reason) => {
    const { response, summary } = await middleReturns(wrong);
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'Ok']);
    // The failed record is answered with the entry Firehose expects: its id, no data; Firehose keeps the original.
    expect(response.records[1]).toEqual({ recordId: response.records[1].recordId, result: 'ProcessingFailed', data: '' });
    expect(decode(response.records[2].data)).toBe('last');
    expect(summary).toMatchObject({ records: 3, ok: 2, dropped: 0, failed: 1, overflow: 0 });
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0].recordId).toBe(response.records[1].recordId);
    expect(summary.failures[0].reason).toMatch(reason);
  });

  test('the default log line carries the reason', async () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await createTransformHandler(() => undefined as never)(DOCUMENTED_EVENT);
      const line = JSON.parse(spy.mock.calls[0][0] as string);
      expect(line).toMatchObject({ message: 'firehose transform batch', failed: 1 });
      expect(line.failures[0].reason).toMatch(/the transform returned undefined/);
    } finally {
      spy.mockRestore();
    }
  });

  test('ProcessingFailed without a reason stays failed, with a reason saying so', async () => {
    const { response, summary } = await middleReturns(() => ({ result: 'ProcessingFailed' }));
    expect(response.records[1].result).toBe('ProcessingFailed');
    expect(summary.failures[0].reason).toBe('the transform failed the record without a reason (none)');
  });
});

describe('what is accepted', () => {
  test('Uint8Array data is delivered as its bytes', async () => {
    const { response } = await middleReturns(() => ({ result: 'Ok', data: new Uint8Array([104, 105]) }));
    expect(decode(response.records[1].data)).toBe('hi');
  });

  test('a view into a larger buffer delivers only its own bytes', async () => {
    const whole = Buffer.from('xxhixx');
    const { response } = await middleReturns(() => ({ result: 'Ok', data: new Uint8Array(whole.buffer, whole.byteOffset + 2, 2) }));
    expect(decode(response.records[1].data)).toBe('hi');
  });

  test('empty partition keys are no partition keys: no metadata on the wire', async () => {
    const { response } = await middleReturns(() => ok('x', {}));
    expect(response.records[1]).toEqual({ recordId: response.records[1].recordId, result: 'Ok', data: Buffer.from('x').toString('base64') });
  });

  test('a hand-built Dropped outcome is Dropped; Ok with empty data is Ok', async () => {
    expect((await middleReturns(() => ({ result: 'Dropped' }))).response.records[1].result).toBe('Dropped');
    const empty = await middleReturns(() => ({ result: 'Ok', data: Buffer.alloc(0) }));
    expect(empty.response.records[1]).toMatchObject({ result: 'Ok', data: '' });
  });

  test('checkOutcome returns what ok(), dropped() and failed() build unchanged', () => {
    const outcome = ok('x', { tenant: 'a' });
    expect(checkOutcome(outcome)).toBe(outcome);
    const failure = failed('why');
    expect(checkOutcome(failure)).toBe(failure);
  });
});

describe('an event that cannot be answered is a clear error', () => {
  async function invalid(event: unknown): Promise<InvalidTransformEventError> {
    let called = 0;
    const error = await transformBatch(event as FirehoseTransformationEvent, (r) => { called++; return ok(r.data); }, quiet).then(
      () => { throw new Error('expected an InvalidTransformEventError'); },
      (e: unknown) => e,
    );
    expect(called).toBe(0);
    expect(error).toBeInstanceOf(InvalidTransformEventError);
    return error as InvalidTransformEventError;
  }

  test.each<[string, unknown, string, RegExp]>([
    ['no event', undefined, 'the event', /^not a Firehose transformation event: the event is missing/],
    ['no records', { invocationId: 'x' }, 'records', /records is missing: expected an array of records/],
    ['records null', { records: null }, 'records', /records is null/],
    ['records an object', { records: { recordId: 'a' } }, 'records', /records is an object/],
    ['a record that is not an object', { records: [DOCUMENTED_EVENT.records[0], 'x'] }, 'records[1]', /records\[1\] is 'x' \(string\)/],
    ['a record without recordId', { records: [DOCUMENTED_EVENT.records[0], { data: 'eA==' }] }, 'records[1].recordId', /records\[1\]\.recordId is missing: expected the non-empty id Firehose gave the record/],
    ['an empty recordId', { records: [{ ...DOCUMENTED_EVENT.records[0], recordId: '' }] }, 'records[0].recordId', /is '' \(string\)/],
    ['a numeric recordId', { records: [{ ...DOCUMENTED_EVENT.records[0], recordId: 12 }] }, 'records[0].recordId', /is 12 \(number\)/],
  ])('%s', async (_name, event, field, message) => {
    const error = await invalid(event);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  test('the handler rejects, so that Firehose retries the invocation', async () => {
    await expect(createTransformHandler((r) => ok(r.data), quiet)({} as FirehoseTransformationEvent)).rejects.toThrow(InvalidTransformEventError);
  });

  test('an empty records array is answered with an empty response', async () => {
    await expect(transformBatch({ ...DOCUMENTED_EVENT, records: [] }, (r) => ok(r.data), quiet)).resolves.toEqual({ records: [] });
  });
});

describe('a record whose data cannot be read fails alone', () => {
  test.each([
    ['no data', undefined, /has no data \(undefined\)/],
    ['data that is not base64', 'bm90$$$$', /data is not base64 \(8 characters starting 'bm90\$\$\$\$'\)/],
    ['truncated base64', 'SGVsbG8', /data is not base64/],
    ['base64 with whitespace', 'SGVs bG8=', /data is not base64/],
  ])('%s', async (_name, data, reason) => {
    const event = eventOf([{ n: 1 }, { n: 2 }]);
    (event.records[1] as { data?: string }).data = data;
    for (const transform of [(r: { data: Buffer }) => ok(r.data), compileJsonTransform(config())]) {
      const summaries: BatchSummary[] = [];
      const response = await transformBatch(event, transform as RecordTransformer, { log: (s) => summaries.push(s) });
      expectContract(event, response);
      expect(response.records[1].result).toBe('ProcessingFailed');
      expect(response.records[0].result).toBe('Ok');
      expect(summaries[0].failures[0].reason).toMatch(reason);
    }
  });
});
