/**
 * Interoperability with `aws-kinesis-agg`, the de-aggregator AWS publishes for Node.js consumers (it embeds the
 * KPL's own .proto through protobufjs, so it is an independent implementation of the format).
 */
import { randomBytes } from 'crypto';
import { deaggregate, encodeAggregate, RecordAggregator, UserRecord } from '../../../lambda/aggregation';

// aws-kinesis-agg's declarations import the v2 SDK, which is not installed; its JavaScript needs nothing of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const agg = require('aws-kinesis-agg') as {
  RecordAggregator: new () => { addUserRecord(r: object): void; build(): { partitionKey: string; data: Buffer } };
  deaggregateSync(record: object, computeChecksums: boolean, cb: (err: Error | null, records?: TheirUserRecord[]) => void): void;
};
interface TheirUserRecord { partitionKey: string; explicitPartitionKey?: string; subSequenceNumber: number; data: string }

function theirDeaggregate(data: Uint8Array, partitionKey: string): TheirUserRecord[] {
  let out: TheirUserRecord[] | undefined;
  let error: Error | null = null;
  agg.deaggregateSync({ partitionKey, sequenceNumber: '1', data: Buffer.from(data).toString('base64') }, true, (err, records) => {
    error = err;
    out = records;
  });
  if (error) throw error;
  return out!;
}

const sample = (n: number): UserRecord[] => Array.from({ length: n }, (_, i) => ({
  partitionKey: `device-${i % 17}`,
  explicitHashKey: i % 4 === 0 ? String(BigInt(i) ** 5n) : undefined,
  data: randomBytes(1 + ((i * 131) % 700)),
}));

describe('interop with aws-kinesis-agg', () => {
  test('what we encode, aws-kinesis-agg de-aggregates (MD5 checked)', () => {
    const records = sample(200);
    const theirs = theirDeaggregate(encodeAggregate(records), 'device-0');
    expect(theirs).toHaveLength(records.length);
    theirs.forEach((t, i) => {
      expect(t.partitionKey).toBe(records[i].partitionKey);
      // aws-kinesis-agg reads an absent optional index as protobufjs's default 0, so it only agrees where one is set.
      if (records[i].explicitHashKey !== undefined) expect(t.explicitPartitionKey).toBe(records[i].explicitHashKey);
      expect(t.subSequenceNumber).toBe(i);
      expect(Buffer.from(t.data, 'base64').equals(Buffer.from(records[i].data))).toBe(true);
    });
  });

  test('what RecordAggregator drains, aws-kinesis-agg de-aggregates', () => {
    const a = new RecordAggregator({ maxBytes: 50 * 1024 });
    const records = sample(500);
    const accepted: UserRecord[] = [];
    for (const r of records) if (a.add(r)) accepted.push(r); else break;
    const encoded = a.drain()!;
    expect(encoded.aggregated).toBe(true);
    const theirs = theirDeaggregate(encoded.data, encoded.partitionKey);
    expect(theirs.map((t) => Buffer.from(t.data, 'base64').toString('hex'))).toEqual(accepted.map((r) => Buffer.from(r.data).toString('hex')));
  });

  test('what aws-kinesis-agg aggregates, our deaggregate reads', () => {
    const theirAggregator = new agg.RecordAggregator();
    const records = sample(150).map((r) => ({ ...r, explicitHashKey: undefined }));
    for (const r of records) theirAggregator.addUserRecord({ partitionKey: r.partitionKey, data: Buffer.from(r.data) });
    const built = theirAggregator.build();
    const ours = deaggregate(built.data, built.partitionKey);
    expect(ours).toHaveLength(records.length);
    ours.forEach((o, i) => {
      expect(o.aggregated).toBe(true);
      expect(o.partitionKey).toBe(records[i].partitionKey);
      expect(Buffer.from(o.data).equals(Buffer.from(records[i].data))).toBe(true);
    });
  });

  test('aws-kinesis-agg aggregates with explicit hash keys, our deaggregate restores them', () => {
    const theirAggregator = new agg.RecordAggregator();
    theirAggregator.addUserRecord({ partitionKey: 'a', explicitHashKey: '1000', data: Buffer.from('x') });
    theirAggregator.addUserRecord({ partitionKey: 'b', data: Buffer.from('y') });
    const built = theirAggregator.build();
    const ours = deaggregate(built.data, built.partitionKey);
    expect(ours.map((o) => [o.partitionKey, o.explicitHashKey, Buffer.from(o.data).toString()])).toEqual([['a', '1000', 'x'], ['b', undefined, 'y']]);
  });
});
