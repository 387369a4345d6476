/**
 * Reads a whole stream back, every shard from TRIM_HORIZON, de-aggregating as the KCL does: a user record whose
 * hash key lies outside the range of the shard it was read from is dropped (and counted), because a range-checking
 * consumer never sees it. Shards come back in shard-id order, so a parent is read before its children.
 */
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, Shard } from '@aws-sdk/client-kinesis';
import { deaggregate } from '../../../lambda/aggregation';
import { partitionKeyHash } from '../../../lambda/producer/hash-key';

export interface ReadRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  readonly data: Buffer;
}

export interface StreamContents {
  readonly shards: readonly Shard[];
  /** What a range-checking consumer delivers, shard by shard in shard-id order, each shard in sequence order. */
  readonly records: readonly ReadRecord[];
  /** User records a range-checking consumer drops (outside the range of the shard they were written to). */
  readonly droppedOutOfRange: number;
  /** Kinesis records read (an aggregate counts once). */
  readonly kinesisRecords: number;
}

export async function readStream(client: KinesisClient, streamName: string): Promise<StreamContents> {
  const shards: Shard[] = [];
  let next: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(next ? { NextToken: next } : { StreamName: streamName }));
    shards.push(...(page.Shards ?? []));
    next = page.NextToken;
  } while (next);
  shards.sort((a, b) => a.ShardId!.localeCompare(b.ShardId!));
  const records: ReadRecord[] = [];
  let dropped = 0;
  let kinesisRecords = 0;
  for (const shard of shards) {
    const start = BigInt(shard.HashKeyRange!.StartingHashKey!);
    const end = BigInt(shard.HashKeyRange!.EndingHashKey!);
    const fromStart = new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' });
    let iterator = (await client.send(fromStart)).ShardIterator;
    while (iterator) {
      const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of out.Records ?? []) {
        kinesisRecords++;
        for (const u of deaggregate(r.Data!, r.PartitionKey!)) {
          const hash = u.explicitHashKey !== undefined ? BigInt(u.explicitHashKey) : partitionKeyHash(u.partitionKey);
          if (u.aggregated && (hash < start || hash > end)) {
            dropped++;
            continue;
          }
          records.push({
            shardId: shard.ShardId!,
            sequenceNumber: r.SequenceNumber!,
            subSequenceNumber: u.subSequenceNumber,
            partitionKey: u.partitionKey,
            data: Buffer.from(u.data),
          });
        }
      }
      // An open shard's iterator never ends; stop once it has caught up.
      if ((out.Records ?? []).length === 0 && (out.MillisBehindLatest ?? 0) === 0) break;
      iterator = out.NextShardIterator;
    }
  }
  return { shards, records, droppedOutOfRange: dropped, kinesisRecords };
}

/**
 * Checks a read-back against what was sent, for payloads of the form `<key>:<n>:...` with n counting from 0 per key:
 * every record exactly once, and each key's records in submission order. Returns the problems found.
 */
export function verifyDelivery(sent: ReadonlyMap<string, number>, records: readonly ReadRecord[]): string[] {
  const problems: string[] = [];
  const next = new Map<string, number>();
  for (const r of records) {
    const [key, n] = r.data.toString('utf8').split(':');
    const expected = next.get(key) ?? 0;
    if (Number(n) !== expected) {
      if (problems.length < 20) problems.push(`${key}: read #${n} where #${expected} was due (${Number(n) < expected ? 'duplicate or reordered' : 'gap or reordered'})`);
    }
    next.set(key, Math.max(expected, Number(n) + 1));
  }
  for (const [key, count] of sent) {
    if ((next.get(key) ?? 0) !== count) problems.push(`${key}: read up to #${(next.get(key) ?? 0) - 1}, sent ${count}`);
  }
  const total = [...sent.values()].reduce((a, b) => a + b, 0);
  if (records.length !== total) problems.push(`read ${records.length} records, sent ${total}`);
  return problems;
}

/** Records of the form `<key>:<n>:<padding>` over `keys` keys, and how many each key got. */
export function numberedRecords(count: number, keys: number, dataBytes: number, keyPrefix = 'device') {
  const sent = new Map<string, number>();
  const records = Array.from({ length: count }, (_, i) => {
    const key = `${keyPrefix}-${(i * 7919) % keys}`;
    const n = sent.get(key) ?? 0;
    sent.set(key, n + 1);
    const head = `${key}:${n}:`;
    return { partitionKey: key, data: Buffer.from(head.padEnd(Math.max(dataBytes, head.length), '.'), 'utf8') };
  });
  return { records, sent };
}

/**
 * Like {@link verifyDelivery}, for runs with ambiguous failures (a call written but not answered, then retried):
 * copies are allowed, but only of records whose result said `possibleDuplicate` (`flagged`, as `<key>:<n>`), and
 * the first copies of each key must be complete and in submission order. Returns the problems and the copies found.
 */
export function verifyFirstOccurrences(sent: ReadonlyMap<string, number>, records: readonly ReadRecord[], flagged: ReadonlySet<string>) {
  const problems: string[] = [];
  const next = new Map<string, number>();
  let duplicates = 0;
  for (const r of records) {
    const [key, raw] = r.data.toString('utf8').split(':');
    const n = Number(raw);
    const due = next.get(key) ?? 0;
    if (n < due) {
      duplicates++;
      if (!flagged.has(`${key}:${n}`) && problems.length < 20) problems.push(`${key}: #${n} read again, and its result did not say possibleDuplicate`);
      continue;
    }
    if (n > due && problems.length < 20) problems.push(`${key}: read #${n} before #${due}`);
    next.set(key, n + 1);
  }
  for (const [key, count] of sent) {
    if ((next.get(key) ?? 0) !== count) problems.push(`${key}: first copies up to #${(next.get(key) ?? 0) - 1}, sent ${count}`);
  }
  return { problems, duplicates };
}
