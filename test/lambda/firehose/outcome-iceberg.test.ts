import { checkOutcome } from '../../../lambda/firehose/outcome';

describe('checkOutcome and Iceberg routing', () => {
  const routing = { destinationDatabaseName: 'clicks', destinationTableName: 'purchases', operation: 'insert' };

  test('keeps otfMetadata when the outcome is rebuilt (data as a Uint8Array, empty partition keys dropped)', () => {
    const out = checkOutcome({ result: 'Ok', data: new Uint8Array([0x7b, 0x7d]), partitionKeys: {}, otfMetadata: routing });
    expect(out).toEqual({ result: 'Ok', data: Buffer.from('{}'), otfMetadata: routing });
  });

  test('keeps an Ok outcome with Buffer data and routing as it is', () => {
    const outcome = { result: 'Ok', data: Buffer.from('{}'), otfMetadata: routing };
    expect(checkOutcome(outcome)).toBe(outcome);
  });

  test.each([
    ['a string', 'clicks', /otfMetadata\) that Firehose cannot use: expected an object of strings, got a string/],
    ['an empty table name', { ...routing, destinationTableName: '' }, /otfMetadata\) that Firehose cannot use: 'destinationTableName' is empty/],
    ['a number', { ...routing, operation: 1 }, /otfMetadata\) that Firehose cannot use: 'operation' is a number/],
  ])('fails the record for routing that is %s', (_name, otfMetadata, reason) => {
    const out = checkOutcome({ result: 'Ok', data: Buffer.from('{}'), otfMetadata });
    expect(out.result).toBe('ProcessingFailed');
    expect((out as { reason: string }).reason).toMatch(reason);
  });
});
