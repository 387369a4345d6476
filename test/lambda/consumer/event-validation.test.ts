/**
 * Malformed events get an error naming the field, before anything is handled; data that is not base64 fails its own
 * record (a RecordDecodeError reported as a batch item failure), never the batch and never silently.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { MemoryCheckpoints } from './memory-checkpoints';
import { createKinesisHandler, InvalidEventError, processKinesisBatch, RecordDecodeError } from '../../../lambda/consumer';
import { decodeBase64 } from '../../../lambda/consumer/records';
import { DEFAULT_SHARD, event, kinesisRecord, sequenceNumber } from '../../support/kinesis-events';

const quiet = { onFailure: () => undefined };

/** A valid two-record event whose second record is changed by `mutate`. */
function withSecond(mutate: (record: Record<string, any>) => void): KinesisStreamEvent {
  const second = JSON.parse(JSON.stringify(kinesisRecord({ partitionKey: 'b', data: 'b0', sequence: 2 })));
  mutate(second);
  return event(kinesisRecord({ partitionKey: 'a', data: 'a0', sequence: 1 }), second as KinesisStreamRecord);
}

async function invalidEventError(e: unknown): Promise<InvalidEventError> {
  const handled: string[] = [];
  const error = await processKinesisBatch(e as KinesisStreamEvent, (body) => { handled.push(body.toString()); }).then(
    () => { throw new Error('expected an InvalidEventError'); },
    (err: unknown) => err,
  );
  // Nothing is handled before the event is known to be whole: Lambda retries it as a batch.
  expect(handled).toEqual([]);
  expect(error).toBeInstanceOf(InvalidEventError);
  return error as InvalidEventError;
}

describe('a malformed event is an InvalidEventError naming the field, not a TypeError', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['no event', undefined, 'the event', /the event is missing/],
    ['an event that is not an object', 'Records', 'the event', /is 'Records' \(string\)/],
    ['no Records', {}, 'Records', /Records is missing: expected an array of Kinesis records/],
    ['Records null', { Records: null }, 'Records', /Records is null \(null\)/],
    ['Records an object', { Records: {} }, 'Records', /Records is an object \(object\)/],
  ])('%s', async (_name, e, field, message) => {
    const error = await invalidEventError(e);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^not a Kinesis stream event: /);
    expect(error.message).toMatch(message);
  });

  test.each<[string, (r: Record<string, any>) => void, string, RegExp]>([
    ['no kinesis', (r) => { delete r.kinesis; }, 'Records[1].kinesis', /is missing: expected an object with data, sequenceNumber and partitionKey/],
    ['kinesis null', (r) => { r.kinesis = null; }, 'Records[1].kinesis', /is null/],
    ['no data', (r) => { delete r.kinesis.data; }, 'Records[1].kinesis.data', /is missing: expected the record's data as base64 text/],
    ['data a number', (r) => { r.kinesis.data = 42; }, 'Records[1].kinesis.data', /is 42 \(number\)/],
    ['no sequenceNumber', (r) => { delete r.kinesis.sequenceNumber; }, 'Records[1].kinesis.sequenceNumber', /is missing: expected a decimal string/],
    ['sequenceNumber a number', (r) => { r.kinesis.sequenceNumber = 1; }, 'Records[1].kinesis.sequenceNumber', /is 1 \(number\)/],
    ['sequenceNumber not decimal', (r) => { r.kinesis.sequenceNumber = '12ab'; }, 'Records[1].kinesis.sequenceNumber', /is '12ab' \(string\)/],
    ['sequenceNumber empty', (r) => { r.kinesis.sequenceNumber = ''; }, 'Records[1].kinesis.sequenceNumber', /is '' \(string\)/],
    ['no partitionKey', (r) => { delete r.kinesis.partitionKey; }, 'Records[1].kinesis.partitionKey', /is missing: expected a non-empty string/],
    ['partitionKey empty', (r) => { r.kinesis.partitionKey = ''; }, 'Records[1].kinesis.partitionKey', /is '' \(string\)/],
    ['partitionKey an object', (r) => { r.kinesis.partitionKey = { id: 1 }; }, 'Records[1].kinesis.partitionKey', /is an object \(object\)/],
    ['no eventID', (r) => { delete r.eventID; }, 'Records[1].eventID', /is missing: expected '<shardId>:<sequenceNumber>'/],
    ['eventID empty', (r) => { r.eventID = ''; }, 'Records[1].eventID', /is '' \(string\)/],
  ])('a record with %s', async (_name, mutate, field, message) => {
    const error = await invalidEventError(withSecond(mutate));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  test('a record that is not an object', async () => {
    const error = await invalidEventError(event(kinesisRecord({ partitionKey: 'a', data: 'a0', sequence: 1 }), null as unknown as KinesisStreamRecord));
    expect(error.field).toBe('Records[1]');
    expect(error.message).toMatch(/Records\[1\] is null \(null\): expected a Kinesis stream record/);
  });

  test('a malformed record after an out-of-order one is still found', async () => {
    const e = event(
      kinesisRecord({ partitionKey: 'a', data: 'a0', sequence: 2 }),
      kinesisRecord({ partitionKey: 'a', data: 'a1', sequence: 1 }),
      kinesisRecord({ partitionKey: 'a', data: 'a2', sequence: 3 }),
    );
    delete (e.Records[2].kinesis as Partial<KinesisStreamRecord['kinesis']>).partitionKey;
    expect((await invalidEventError(e)).field).toBe('Records[2].kinesis.partitionKey');
  });

  test('a long value is shortened in the message', async () => {
    const error = await invalidEventError(withSecond((r) => { r.kinesis.sequenceNumber = `${'9'.repeat(100)}x`; }));
    expect(error.message).toContain(`'${'9'.repeat(60)}...'`);
  });

  test('createKinesisHandler rejects with the same error, so that Lambda retries the batch', async () => {
    await expect(createKinesisHandler(() => undefined)({} as KinesisStreamEvent)).rejects.toThrow(InvalidEventError);
  });

  test('an empty Records array is a batch with nothing to do', async () => {
    await expect(processKinesisBatch({ Records: [] }, () => undefined)).resolves.toMatchObject({ batchItemFailures: [], handled: 0 });
  });
});

describe('data that is not base64 fails its record as a RecordDecodeError', () => {
  /** Records a0 (key a), then the bad one (key b), then b1 and a1. */
  function eventWithBadData(data: string): KinesisStreamEvent {
    const e = event(
      kinesisRecord({ partitionKey: 'a', data: 'a0', sequence: 1 }),
      kinesisRecord({ partitionKey: 'b', data: 'placeholder', sequence: 2 }),
      kinesisRecord({ partitionKey: 'b', data: 'b1', sequence: 3 }),
      kinesisRecord({ partitionKey: 'a', data: 'a1', sequence: 4 }),
    );
    (e.Records[1].kinesis as { data: string }).data = data;
    return e;
  }

  test.each([
    ['a character outside the alphabet', 'YjA$'],
    ['punctuation only', '%%%%'],
    ['missing padding', 'YjA'],
    ['whitespace inside', 'Yj A='],
    ['a line break inside', 'SGVsbG8s\nIHdvcmxk'],
    ['padding in the middle', 'Yj==YjA='],
    ['padding only', '===='],
    ['too much padding', 'YjA=='],
    ['text after the padding', 'YjA=YjAw'],
    ['the URL-safe alphabet', 'Pz8-'],
    ['the URL-safe underscore', 'Pz8_'],
    ['non-ASCII characters', 'YjAé'],
    ['data starting like an aggregate', '84mawg$$'],
  ])('%s', async (_name, data) => {
    const seen: string[] = [];
    const failures: unknown[] = [];
    const outcome = await processKinesisBatch(eventWithBadData(data), (body, record) => { seen.push(`${record.partitionKey}:${body.toString()}`); }, {
      onFailure: (error) => failures.push(error),
      keyConcurrency: 1,
    });
    // The bad record stops its key (b1 waits behind it), and only its key: a's records are handled.
    expect(seen).toEqual(['a:a0', 'a:a1']);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
    expect(outcome.failures).toHaveLength(1);
    const error = outcome.failures[0];
    expect(error).toBeInstanceOf(RecordDecodeError);
    expect(error.record).toEqual({ shardId: DEFAULT_SHARD, sequenceNumber: sequenceNumber(2), subSequenceNumber: 0, partitionKey: 'b' });
    expect(error.message).toContain('cannot be decoded: data is not base64');
    expect(failures).toEqual([error]);
  });

  test('the failure reaches Lambda as a batch item failure, so the record is retried and then sent to the failure destination', async () => {
    const response = await createKinesisHandler(() => undefined, quiet)(eventWithBadData('not base64!'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] });
  });

  test('with checkpoints (the batch decoded up front) too', async () => {
    const checkpoints = new MemoryCheckpoints();
    const seen: string[] = [];
    const outcome = await processKinesisBatch(eventWithBadData('@@@@'), (body) => { seen.push(body.toString()); }, { ...quiet, checkpoints });
    expect(seen).toEqual(['a0', 'a1']);
    expect(outcome.failures[0]).toBeInstanceOf(RecordDecodeError);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
  });

  test('with an async handler and in strict mode', async () => {
    const seen: string[] = [];
    const outcome = await processKinesisBatch(eventWithBadData('@@@@'), async (body) => { seen.push(body.toString()); }, { ...quiet, strict: true });
    // Strict: the shard stops at the bad record.
    expect(seen).toEqual(['a0']);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumber(2) }]);
  });

  test('the handler of a failing record is never called, so a parser never sees leniently decoded bytes', async () => {
    const parsed: string[] = [];
    await processKinesisBatch(eventWithBadData('eyJhIjoxfQ$='), () => undefined, {
      ...quiet,
      parser: (data) => { parsed.push(data.toString()); return data; },
    });
    expect(parsed).toEqual(['a0', 'a1']);
  });
});

describe('decodeBase64', () => {
  test.each([
    ['', ''],
    ['QQ==', 'A'],
    ['QUI=', 'AB'],
    ['QUJD', 'ABC'],
    ['SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==', 'Hello, this is a test.'],
  ])('decodes %p', (text, expected) => {
    expect(decodeBase64(text)?.toString()).toBe(expected);
  });

  test('decodes every byte value, with + and /', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = bytes.toString('base64');
    expect(text).toMatch(/\+/);
    expect(text).toMatch(/\//);
    expect(decodeBase64(text)).toEqual(bytes);
  });

  test.each(['A', 'AB', 'ABC', 'A===', 'AB=C', '=AAA', 'AAAA=', 'AA AA', 'AAA\t', '-AAA', '_AAA', 'AAA.'])('refuses %p', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });
});
