/**
 * The bundled transform shares one frozen `metadata` object per partition-key (and routing) combination, and sizes it
 * once: the response must carry the same keys as before, stay exactly within its budget, and never mix combinations up.
 */
import { config, eventOf, quiet } from './fixtures';
import { compileJsonTransform, transformBatch } from '../../../lambda/firehose';
import { EntryMetadata, EntryMetadataCache } from '../../../lambda/firehose/entry-metadata';

const keyed = config({ partitionKeys: [['service', 'service'], ['status', 'http.status']] });

describe('shared entry metadata', () => {
  test('records with the same keys share one frozen metadata object; other keys get their own', async () => {
    const response = await transformBatch(eventOf([
      { service: 'api', http: { status: 200 } },
      { service: 'web', http: { status: 200 } },
      { service: 'api', http: { status: 200 } },
      { service: 'api', http: { status: '200' } },
    ]), compileJsonTransform(keyed), quiet);
    const [a, b, c, d] = response.records.map((r) => r.metadata);
    expect(a).toEqual({ partitionKeys: { service: 'api', status: '200' } });
    expect(b).toEqual({ partitionKeys: { service: 'web', status: '200' } });
    expect(c).toBe(a);
    // 200 and '200' are the same partition: Firehose sees strings.
    expect(d).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a!.partitionKeys)).toBe(true);
  });

  test('a combination is shared across invocations of the same compiled transform', async () => {
    const transform = compileJsonTransform(keyed);
    const first = await transformBatch(eventOf([{ service: 'api', http: { status: 503 } }]), transform, quiet);
    const second = await transformBatch(eventOf([{ service: 'api', http: { status: 503 } }]), transform, quiet);
    expect(second.records[0].metadata).toBe(first.records[0].metadata);
  });

  test('Iceberg routing takes part in the combination', async () => {
    const transform = compileJsonTransform(config({ partitionKeys: [['service', 'service']], icebergRouting: { database: 'db', tableField: 't' } }));
    const response = await transformBatch(eventOf([{ service: 'api', t: 'one' }, { service: 'api', t: 'two' }, { service: 'api', t: 'one' }]), transform, quiet);
    const [a, b, c] = response.records.map((r) => r.metadata as unknown as Record<string, Record<string, string>>);
    expect(a.otfMetadata).toEqual({ destinationDatabaseName: 'db', destinationTableName: 'one', operation: 'insert' });
    expect(b.otfMetadata.destinationTableName).toBe('two');
    expect(c).toBe(a);
  });

  test('a response that fits exactly is delivered whole; one byte less overflows the last record', async () => {
    // Values that JSON escapes or encodes in several bytes, so the sizing of shared metadata is checked byte for byte.
    const event = eventOf(Array.from({ length: 6 }, (_, i) => ({ service: i % 2 ? 'välue "q"' : 'a\\b', http: { status: 200 + (i % 3) }, pad: 'x'.repeat(100) })));
    const transform = compileJsonTransform(keyed);
    const size = (r: unknown) => Buffer.byteLength(JSON.stringify(r), 'utf8');
    const full = await transformBatch(event, transform, quiet);
    const exact = size(full);
    const fits = await transformBatch(event, transform, { ...quiet, maxResponseBytes: exact });
    expect(fits.records.every((r) => r.result === 'Ok')).toBe(true);
    const tight = await transformBatch(event, transform, { ...quiet, maxResponseBytes: exact - 1 });
    expect(tight.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok', 'Ok', 'Ok', 'ProcessingFailed']);
    expect(size(tight)).toBeLessThanOrEqual(exact - 1);
  });
});

describe('EntryMetadata', () => {
  test.each([
    [{ k: 'v' }, undefined],
    [{ 'k"1': 'välue', 'k2': 'a\\b\u0001' }, undefined],
    [undefined, { destinationDatabaseName: 'db', destinationTableName: 't', operation: 'update' }],
    [{ k: 'v' }, { destinationDatabaseName: 'd', destinationTableName: 'ü', operation: 'insert' }],
  ])('bytes is the size of ,"metadata": and its JSON (%j, %j)', (partitionKeys, otfMetadata) => {
    for (const shared of [false, true]) {
      const metadata = new EntryMetadata(partitionKeys, otfMetadata, shared);
      expect(metadata.bytes).toBe(Buffer.byteLength(`,"metadata":${JSON.stringify(metadata.json)}`, 'utf8'));
      expect(Object.isFrozen(metadata.json)).toBe(shared);
    }
  });
});

describe('EntryMetadataCache', () => {
  test('value lists that would collide once joined stay apart', () => {
    const cache = new EntryMetadataCache(2);
    const one = new EntryMetadata({ a: 'a\u0000', b: 'b' }, undefined, true);
    const two = new EntryMetadata({ a: 'a', b: '\u0000b' }, undefined, true);
    cache.set(['a\u0000', 'b'], one);
    cache.set(['a', '\u0000b'], two);
    expect(cache.get(['a\u0000', 'b'])).toBe(one);
    expect(cache.get(['a', '\u0000b'])).toBe(two);
    expect(cache.get(['a', 'b'])).toBeUndefined();
  });

  test('keeps at most maxEntries combinations; the transform still answers every record past them', async () => {
    const cache = new EntryMetadataCache(1, 2);
    const m = new EntryMetadata({ k: 'v' }, undefined, true);
    expect([cache.set(['a'], m), cache.set(['b'], m), cache.set(['c'], m)]).toEqual([true, true, false]);
    expect(cache.get(['a'])).toBe(m);
    expect(cache.get(['c'])).toBeUndefined();

    const services = Array.from({ length: 6000 }, (_, i) => `s${i}`);
    const response = await transformBatch(eventOf(services.map((service) => ({ service }))), compileJsonTransform(config({ partitionKeys: [['service', 'service']] })), quiet);
    expect(response.records.map((r) => r.metadata?.partitionKeys.service)).toEqual(services);
  });
});
