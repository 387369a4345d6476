import { evaluatePrefix, extractMetadata, formatTimestamp, MissingPartitionKeyError, objectName } from '../../local/prefixes';

const AT = Date.UTC(2026, 11, 1, 7, 5, 9);

describe('Firehose prefix expressions', () => {
  test('timestamp patterns are Java DateTimeFormatter patterns in UTC', () => {
    expect(formatTimestamp('yyyy-MM-dd', AT)).toBe('2026-12-01');
    expect(formatTimestamp("yyyy/MM/dd/HH/mm/ss 'h'", AT)).toBe('2026/12/01/07/05/09 h');
    expect(formatTimestamp('yy', AT)).toBe('26');
  });

  test('evaluates timestamp and partition key namespaces', () => {
    expect(evaluatePrefix('logs/service=!{partitionKeyFromLambda:service}/date=!{timestamp:yyyy-MM-dd}/', { at: AT, partitionKeys: { service: 'checkout' } }))
      .toBe('logs/service=checkout/date=2026-12-01/');
    expect(evaluatePrefix('q/!{partitionKeyFromQuery:region}/', { at: AT, partitionKeys: { region: 'eu' } })).toBe('q/eu/');
  });

  test('a partition key the record lacks is a partitioning failure', () => {
    expect(() => evaluatePrefix('x/!{partitionKeyFromLambda:service}/', { at: AT })).toThrow(MissingPartitionKeyError);
  });

  test('error output type and the default prefix', () => {
    expect(evaluatePrefix('errors/!{firehose:error-output-type}/', { at: AT, errorOutputType: 'processing-failed' })).toBe('errors/processing-failed/');
    expect(evaluatePrefix(undefined, { at: AT })).toBe('2026/12/01/07/');
    expect(evaluatePrefix('r/!{firehose:random-string}/', { at: AT })).toMatch(/^r\/[A-Za-z0-9_-]{11}\/$/);
  });

  test('object names are <stream>-1-<time>-<uuid><extension>', () => {
    expect(objectName('app-logs', AT, 'u-u-i-d', '.jsonl.gz')).toBe('app-logs-1-2026-12-01-07-05-09-u-u-i-d.jsonl.gz');
  });

  test('MetadataExtraction queries of the documented shape', () => {
    expect(extractMetadata('{service: .service, day: .time.day}', { service: 'a', time: { day: 3 } })).toEqual({ service: 'a', day: '3' });
    expect(extractMetadata('{service: .service}', { other: 1 })).toBeUndefined();
  });
});
