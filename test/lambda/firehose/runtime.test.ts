import { DOCUMENTED_EVENT, DOCUMENTED_KINESIS_RECORD, decode, eventOf, quiet } from './fixtures';
import { createTransformHandler, dropped, failed, ok, transformBatch, type BatchSummary } from '../../../lambda/firehose';

describe('transformBatch on the documented event', () => {
  test('answers the record id with Ok and base64 data', async () => {
    const response = await transformBatch(DOCUMENTED_EVENT, (r) => ok(r.text().toUpperCase()), quiet);
    expect(response.records).toEqual([{ recordId: '49546986683135544286507457936321625675700192471156785154', result: 'Ok', data: Buffer.from('HELLO WORLD').toString('base64') }]);
  });

  test('exposes the Kinesis record metadata of a stream-source event', async () => {
    const seen: string[] = [];
    await transformBatch({ ...DOCUMENTED_EVENT, records: [DOCUMENTED_KINESIS_RECORD] }, (r) => {
      seen.push(`${r.kinesisRecordMetadata?.partitionKey}/${r.kinesisRecordMetadata?.sequenceNumber}/${r.approximateArrivalTimestamp}`);
      return ok(r.data);
    }, quiet);
    expect(seen).toEqual(['partitionKey-03/49545115243490985018280067714973144582180062593244200961/1495072949453']);
  });

  test('returns partition keys as metadata', async () => {
    const response = await transformBatch(DOCUMENTED_EVENT, (r) => ok(r.data, { source: 'docs' }), quiet);
    expect(response.records[0].metadata).toEqual({ partitionKeys: { source: 'docs' } });
  });

  test('ok() of an object delivers its JSON text', async () => {
    const response = await transformBatch(DOCUMENTED_EVENT, () => ok({ a: 1 }), quiet);
    expect(decode(response.records[0].data)).toBe('{"a":1}');
  });
});

describe('failures stay per record', () => {
  test('a throwing function marks only its record ProcessingFailed, with the reason in the summary', async () => {
    const summaries: BatchSummary[] = [];
    const event = eventOf(['a', 'boom', 'c']);
    const response = await transformBatch(event, (r) => {
      if (r.text() === 'boom') throw new TypeError('bad record');
      return ok(r.data);
    }, { log: (s) => summaries.push(s) });
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'Ok']);
    expect(response.records[1]).toEqual({ recordId: event.records[1].recordId, result: 'ProcessingFailed', data: '' });
    expect(summaries).toEqual([{
      invocationId: 'invocationIdExample',
      records: 3,
      ok: 2,
      dropped: 0,
      failed: 1,
      overflow: 0,
      failures: [{ recordId: event.records[1].recordId, reason: 'TypeError: bad record' }],
    }]);
  });

  test('a rejected promise is a ProcessingFailed record, an async result is awaited', async () => {
    const response = await transformBatch(eventOf(['x', 'y', 'z']), async (r) => {
      if (r.text() === 'y') throw new Error('async failure');
      return r.text() === 'z' ? dropped() : ok(r.data);
    }, quiet);
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'Dropped']);
  });

  test('failed() carries its reason and keeps order; the summary keeps at most maxLoggedFailures', async () => {
    const summaries: BatchSummary[] = [];
    const event = eventOf(['1', '2', '3', '4']);
    const response = await transformBatch(event, (r) => failed(`no ${r.text()}`), { log: (s) => summaries.push(s), maxLoggedFailures: 2 });
    expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(summaries[0].failed).toBe(4);
    expect(summaries[0].failures.map((f) => f.reason)).toEqual(['no 1', 'no 2']);
  });

  test('createTransformHandler logs one JSON line per batch by default', async () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await createTransformHandler((r) => ok(r.data))(DOCUMENTED_EVENT);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(spy.mock.calls[0][0] as string)).toMatchObject({ message: 'firehose transform batch', records: 1, ok: 1 });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the response size limit', () => {
  const payload = 'x'.repeat(3000);

  function exactSize(response: unknown): number {
    return Buffer.byteLength(JSON.stringify(response), 'utf8');
  }

  test('a response that fits exactly is delivered whole; one byte less overflows the last record', async () => {
    const event = eventOf(Array.from({ length: 5 }, () => payload));
    const transform = (r: { data: Buffer }) => ok(r.data, { key: 'välue' });
    const full = await transformBatch(event, transform, quiet);
    const size = exactSize(full);
    const fits = await transformBatch(event, transform, { ...quiet, maxResponseBytes: size });
    expect(fits.records.every((r) => r.result === 'Ok')).toBe(true);
    const tight = await transformBatch(event, transform, { ...quiet, maxResponseBytes: size - 1 });
    expect(tight.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok', 'Ok', 'ProcessingFailed']);
    expect(exactSize(tight)).toBeLessThanOrEqual(size - 1);
  });

  test('records after the budget runs out are answered ProcessingFailed, in order, without being transformed', async () => {
    const summaries: BatchSummary[] = [];
    const event = eventOf(Array.from({ length: 20 }, () => payload));
    let calls = 0;
    const limit = 20_000;
    const response = await transformBatch(event, (r) => {
      calls++;
      return ok(r.data);
    }, { log: (s) => summaries.push(s), maxResponseBytes: limit });
    expect(exactSize(response)).toBeLessThanOrEqual(limit);
    expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    const firstFailed = response.records.findIndex((r) => r.result === 'ProcessingFailed');
    expect(firstFailed).toBeGreaterThan(0);
    expect(response.records.slice(firstFailed).every((r) => r.result === 'ProcessingFailed' && r.data === '')).toBe(true);
    expect(calls).toBe(firstFailed + 1);
    expect(summaries[0]).toMatchObject({ ok: firstFailed, overflow: 20 - firstFailed, failed: 20 - firstFailed });
    expect(summaries[0].failures[0].reason).toMatch(/^response limit: this record and the \d+ after it did not fit in 20000 bytes/);
  });

  test('a request near the 6 MiB limit whose response grows with partition keys stays within the limit', async () => {
    // Firehose keeps each invocation's request within Lambda's 6 MiB payload limit; partition-key metadata makes
    // the response of small records larger than the request.
    const small = JSON.stringify({ e: 'click', u: 1 });
    const perRecord = exactSize(eventOf([small]).records[0]) + 1;
    const count = Math.floor((6 * 1024 * 1024 - 200) / perRecord);
    const event = eventOf(Array.from({ length: count }, () => small));
    expect(exactSize(event)).toBeLessThanOrEqual(6 * 1024 * 1024);
    const response = await transformBatch(event, (r) => ok(r.data, { event: 'click', user: '1', day: '2024-05-01' }), quiet);
    expect(response.records).toHaveLength(count);
    expect(exactSize(response)).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(response.records[0].result).toBe('Ok');
    expect(response.records[count - 1].result).toBe('ProcessingFailed');
  });

  test('Dropped records give their reserved bytes back to the budget', async () => {
    const event = eventOf([...Array.from({ length: 10 }, () => 'drop'), payload]);
    const oneOk = await transformBatch(eventOf([payload]), (r) => ok(r.data), quiet);
    // Budget: everything dropped except one record that needs more than its own reserved stub.
    const allDropped = await transformBatch(event, () => dropped(), quiet);
    const limit = exactSize(allDropped) + exactSize(oneOk) - exactSize(await transformBatch(eventOf(['drop']), () => dropped(), quiet)) + 40;
    const response = await transformBatch(event, (r) => (r.text() === 'drop' ? dropped() : ok(r.data)), { ...quiet, maxResponseBytes: limit });
    expect(response.records[10].result).toBe('Ok');
    expect(exactSize(response)).toBeLessThanOrEqual(limit);
  });
});

describe('InputRecord', () => {
  test('json() parses the record and throws on anything else', async () => {
    const parsed: unknown[] = [];
    const response = await transformBatch(eventOf([{ a: [1, 2] }, 'not json']), (r) => {
      parsed.push(r.json());
      return ok(r.data);
    }, quiet);
    expect(parsed).toEqual([{ a: [1, 2] }]);
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
  });
});
