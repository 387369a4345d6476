import type { FirehoseTransformationResult } from 'aws-lambda';
import { config, eventOf, quiet } from './fixtures';
import { compileJsonTransform, transformBatch } from '../../../lambda/firehose';
import type { IcebergRoutingFieldsConfig, TransformConfig } from '../../../src/contracts/transform-config';

function routed(icebergRouting: IcebergRoutingFieldsConfig, extra: Partial<TransformConfig> = {}): TransformConfig {
  return { ...config(extra), icebergRouting };
}

async function run(cfg: TransformConfig, payloads: object[]): Promise<FirehoseTransformationResult> {
  return transformBatch(eventOf(payloads), compileJsonTransform(cfg), quiet);
}

async function reasons(cfg: TransformConfig, payloads: object[]): Promise<string[]> {
  const out: string[] = [];
  await transformBatch(eventOf(payloads), compileJsonTransform(cfg), { log: (s) => out.push(...s.failures.map((f) => f.reason)) });
  return out;
}

const metadataOf = (r: FirehoseTransformationResult['records'][number]) => (r as { metadata?: unknown }).metadata;

describe('Iceberg routing metadata from the bundled transform', () => {
  test('a fixed database and the table from a field; every record is an insert', async () => {
    const response = await run(routed({ database: 'clickstream', tableField: 'event_type' }), [{ event_type: 'page_view' }, { event_type: 'purchase' }]);
    expect(response.records.map(metadataOf)).toEqual([
      { otfMetadata: { destinationDatabaseName: 'clickstream', destinationTableName: 'page_view', operation: 'insert' } },
      { otfMetadata: { destinationDatabaseName: 'clickstream', destinationTableName: 'purchase', operation: 'insert' } },
    ]);
  });

  test('database, table and operation from nested fields; the operation in any case', async () => {
    const response = await run(routed({ databaseField: 'meta.db', tableField: 'meta.table', operationField: 'op' }),
      [{ meta: { db: 'shop', table: 'orders' }, op: 'UPDATE' }, { meta: { db: 'shop', table: 'orders' }, op: 'delete' }]);
    expect(response.records.map(metadataOf)).toEqual([
      { otfMetadata: { destinationDatabaseName: 'shop', destinationTableName: 'orders', operation: 'update' } },
      { otfMetadata: { destinationDatabaseName: 'shop', destinationTableName: 'orders', operation: 'delete' } },
    ]);
  });

  test('routing and partition keys come back side by side', async () => {
    const response = await run(routed({ database: 'd', tableField: 't' }, { partitionKeys: [['day', 'day']] }), [{ t: 'x', day: '2026-12-01' }]);
    expect(metadataOf(response.records[0])).toEqual({
      partitionKeys: { day: '2026-12-01' },
      otfMetadata: { destinationDatabaseName: 'd', destinationTableName: 'x', operation: 'insert' },
    });
  });

  test('a record that cannot be routed is ProcessingFailed, with the reason, and the others go on', async () => {
    const cfg = routed({ databaseField: 'db', tableField: 't', operationField: 'op' });
    const payloads = [{ db: 'd', t: 'ok', op: 'insert' }, { db: 'd' }, { db: 'd', t: '' }, { db: 7, t: 'x' }, { db: 'd', t: 'x', op: 'upsert' }, { db: 'd', t: 'x', op: null }];
    const response = await run(cfg, payloads);
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed']);
    expect(await reasons(cfg, payloads)).toEqual([
      'Iceberg table: field \'t\' is missing',
      'Iceberg table: field \'t\' is empty',
      'Iceberg database: field \'db\' is not a string (number)',
      'Iceberg operation: field \'op\' is \'upsert\', not insert, update or delete',
      'Iceberg operation: field \'op\' is not a string (null)',
    ]);
  });

  test('the response budget counts the routing metadata to the byte', async () => {
    const cfg = routed({ database: 'clickstream', tableField: 't' }, { partitionKeys: [['k', 'k']] });
    const payloads = Array.from({ length: 4 }, (_, i) => ({ t: `tàble${i}`, k: 'välue', pad: 'x'.repeat(2000) }));
    const full = await run(cfg, payloads);
    const size = Buffer.byteLength(JSON.stringify(full), 'utf8');
    const fits = await transformBatch(eventOf(payloads), compileJsonTransform(cfg), { ...quiet, maxResponseBytes: size });
    expect(fits.records.every((r) => r.result === 'Ok')).toBe(true);
    const tight = await transformBatch(eventOf(payloads), compileJsonTransform(cfg), { ...quiet, maxResponseBytes: size - 1 });
    expect(tight.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok', 'ProcessingFailed']);
  });

  test('without routing, no metadata is returned (other destinations are unchanged)', async () => {
    const response = await run(config(), [{ t: 'x' }]);
    expect(metadataOf(response.records[0])).toBeUndefined();
  });
});
