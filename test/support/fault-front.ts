/**
 * A fault-injecting front for kinesalite: an HTTP proxy on a free loopback port that behaves like the real
 * service where kinesalite does not.
 *
 * - It enforces the per-shard write limits (1000 records/s and 1 MiB/s, from `KinesisLimits`), measured in
 *   one-second windows, by failing the excess entries with `ProvisionedThroughputExceededException`; kinesalite
 *   has no throttling at all.
 * - It injects failed entries (`ProvisionedThroughputExceededException`, `InternalFailure`), whole-request 5xx
 *   responses and connection resets, at rates or by a deterministic decision function.
 * - It injects the ambiguous failures a client can only time out on or retry blindly: a PutRecords call that is
 *   written (forwarded to kinesalite) but never answered (`hung`: the connection stays open and silent), and one
 *   that is written and then has its connection dropped (`dropAfterWrite`). Retrying either writes duplicates.
 *
 * The SDK speaks the awsJson1_1 protocol to Kinesis (`Content-Type: application/x-amz-json-1.1`, the operation in
 * `X-Amz-Target: Kinesis_20131202.<Operation>`, blobs base64 in JSON), so the front parses PutRecords and PutRecord
 * bodies, computes each entry's shard from its explicit hash key or the MD5 of its partition key, forwards only the
 * accepted entries, and merges kinesalite's answer with its own verdicts in request order. Injected 5xx and resets
 * happen before anything is forwarded, so they are never ambiguous in fact: a test can demand exactly-once delivery.
 * Hung calls and drops after the write are ambiguous in fact: a test of them counts duplicates instead.
 */
import { createHash } from 'crypto';
import * as http from 'http';
import { KinesisClient, ListShardsCommand, ListShardsCommandInput, Shard } from '@aws-sdk/client-kinesis';
import { localClientConfig } from './kinesalite';
import { relay, replyJson, serveFront, upstream } from '../../local/json-front';
import { KinesisLimits } from '../../src/validation/limits';

export type EntryVerdict = 'accept' | 'ProvisionedThroughputExceededException' | 'InternalFailure';

/** A fault of a whole call: before the write (`reset`, `serverError`) or after it (`hung`, `dropAfterWrite`). */
export type RequestFault = 'reset' | 'serverError' | 'hung' | 'dropAfterWrite';

/** One PutRecords entry as the front sees it. */
export interface FrontEntry {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Buffer;
  /** Data plus partition key bytes. */
  readonly sizeBytes: number;
  /** The open shard the entry maps to, by the front's shard map. */
  readonly shardId: string | undefined;
  /** Position in its request. */
  readonly position: number;
}

export interface FaultPlan {
  /** Probability that an entry fails with ProvisionedThroughputExceededException regardless of the rate. */
  readonly throttleRate?: number;
  /** Probability that an entry fails with InternalFailure. */
  readonly internalFailureRate?: number;
  /** Probability that a PutRecords/PutRecord call gets a 500 or 503 without being forwarded. */
  readonly serverErrorRate?: number;
  /** Probability that a PutRecords/PutRecord call has its connection destroyed without being forwarded. */
  readonly resetRate?: number;
  /** Probability that a PutRecords call is written but never answered (the connection stays open, silent). */
  readonly hungRate?: number;
  /** Probability that a PutRecords call is written and then has its connection destroyed instead of an answer. */
  readonly dropAfterWriteRate?: number;
  /**
   * Whole-request faults at fixed positions: the n-th PutRecords/PutRecord call since the stats were reset (1-based)
   * gets that fault, whatever the rates draw (`hung` and `dropAfterWrite` apply to PutRecords only). Tests that
   * must see such faults use it, because how many calls a producer makes depends on timing.
   */
  readonly requestFaults?: ReadonlyMap<number, RequestFault>;
  /** Decides an entry's fate before the rate check; return undefined to let rates and limits decide. */
  readonly decide?: (entry: FrontEntry, requestNumber: number) => EntryVerdict | undefined;
  readonly random?: () => number;
}

export interface ShardStats {
  records: number;
  bytes: number;
  throttled: number;
  injectedInternal: number;
  /** Accepted records and bytes per one-second window (key: epoch second). */
  readonly windows: Map<number, { records: number; bytes: number }>;
}

export interface FrontStats {
  readonly shards: Map<string, ShardStats>;
  readonly calls: Map<string, number>;
  serverErrors: number;
  resets: number;
  /** PutRecords calls written and left unanswered. */
  hung: number;
  /** PutRecords calls written and then dropped. */
  droppedAfterWrite: number;
}

export interface FaultFrontOptions {
  /** kinesalite's endpoint. */
  readonly target: string;
  /** Enforce the per-shard write limits. @default true */
  readonly enforceShardLimits?: boolean;
  readonly faults?: FaultPlan;
}

export interface FaultFront {
  readonly endpoint: string;
  readonly stats: FrontStats;
  setFaults(plan: FaultPlan): void;
  resetStats(): void;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'Kinesis_20131202.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

interface RawEntry { readonly PartitionKey: string; readonly ExplicitHashKey?: string; readonly Data: string }
interface FrontShard { readonly id: string; readonly start: bigint; readonly end: bigint }

export async function startFaultFront(options: FaultFrontOptions): Promise<FaultFront> {
  const kinesalite = upstream(options.target);
  const lister = new KinesisClient(localClientConfig(options.target));
  const enforce = options.enforceShardLimits ?? true;
  let faults: FaultPlan = options.faults ?? {};
  let stats = newStats();
  let requestNumber = 0;
  const maps = new Map<string, { at: number; shards: FrontShard[] }>();

  const shardMap = async (stream: string, arn: boolean) => {
    const cached = maps.get(stream);
    if (cached && Date.now() - cached.at < 500) return cached.shards;
    const all: Shard[] = [];
    let input: ListShardsCommandInput = arn ? { StreamARN: stream } : { StreamName: stream };
    for (;;) {
      const page = await lister.send(new ListShardsCommand(input));
      all.push(...(page.Shards ?? []));
      if (!page.NextToken) break;
      input = { NextToken: page.NextToken };
    }
    const shards = all.filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber).map((s): FrontShard => ({
      id: s.ShardId!, start: BigInt(s.HashKeyRange!.StartingHashKey!), end: BigInt(s.HashKeyRange!.EndingHashKey!),
    }));
    maps.set(stream, { at: Date.now(), shards });
    return shards;
  };

  const shardStats = (id: string): ShardStats => {
    let s = stats.shards.get(id);
    if (!s) {
      s = { records: 0, bytes: 0, throttled: 0, injectedInternal: 0, windows: new Map() };
      stats.shards.set(id, s);
    }
    return s;
  };

  /** Applies the rate limit and the fault plan to one entry; counts it when accepted. */
  const judge = (entry: FrontEntry, n: number): EntryVerdict => {
    const random = faults.random ?? Math.random;
    const stat = entry.shardId ? shardStats(entry.shardId) : undefined;
    let verdict = faults.decide?.(entry, n);
    if (verdict === undefined) {
      if (faults.throttleRate && random() < faults.throttleRate) verdict = 'ProvisionedThroughputExceededException';
      else if (faults.internalFailureRate && random() < faults.internalFailureRate) verdict = 'InternalFailure';
    }
    if (verdict === undefined && stat && enforce) {
      const second = Math.floor(Date.now() / 1000);
      const w = stat.windows.get(second) ?? { records: 0, bytes: 0 };
      if (w.records + 1 > KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND || w.bytes + entry.sizeBytes > KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND) {
        verdict = 'ProvisionedThroughputExceededException';
      }
    }
    verdict ??= 'accept';
    if (stat) {
      if (verdict === 'accept') {
        const second = Math.floor(Date.now() / 1000);
        const w = stat.windows.get(second) ?? { records: 0, bytes: 0 };
        w.records++;
        w.bytes += entry.sizeBytes;
        stat.windows.set(second, w);
        stat.records++;
        stat.bytes += entry.sizeBytes;
      } else if (verdict === 'InternalFailure') {
        stat.injectedInternal++;
      } else {
        stat.throttled++;
      }
    }
    return verdict;
  };

  const toEntry = (raw: RawEntry, position: number, shards: readonly FrontShard[]): FrontEntry => {
    const data = Buffer.from(raw.Data ?? '', 'base64');
    const hash = raw.ExplicitHashKey !== undefined
      ? BigInt(raw.ExplicitHashKey)
      : BigInt(`0x${createHash('md5').update(raw.PartitionKey, 'utf8').digest('hex')}`);
    const shardId = shards.find((s) => hash >= s.start && hash <= s.end)?.id;
    const sizeBytes = data.length + Buffer.byteLength(raw.PartitionKey, 'utf8');
    return { partitionKey: raw.PartitionKey, explicitHashKey: raw.ExplicitHashKey, data, sizeBytes, shardId, position };
  };

  const reply = (res: http.ServerResponse, status: number, payload: unknown) => replyJson(res, status, payload, JSON_CONTENT_TYPE, `front-${requestNumber}`);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
    stats.calls.set(operation, (stats.calls.get(operation) ?? 0) + 1);
    const n = ++requestNumber;
    let afterWrite: 'hung' | 'dropAfterWrite' | undefined;
    if (operation === 'PutRecords' || operation === 'PutRecord') {
      // The front reads JSON bodies only; if an SDK release moves Kinesis to another protocol (CBOR), fail loudly
      // rather than forward unthrottled traffic and report figures that were never enforced.
      const contentType = String(req.headers['content-type'] ?? '');
      if (!contentType.startsWith(JSON_CONTENT_TYPE)) {
        reply(res, 500, { __type: 'InternalFailure', message: `fault front: expected ${JSON_CONTENT_TYPE}, got '${contentType}'` });
        return;
      }
      const random = faults.random ?? Math.random;
      const forced = faults.requestFaults?.get((stats.calls.get('PutRecords') ?? 0) + (stats.calls.get('PutRecord') ?? 0));
      if (forced === 'reset' || (faults.resetRate && random() < faults.resetRate)) {
        stats.resets++;
        req.socket.destroy();
        return;
      }
      if (forced === 'serverError' || (faults.serverErrorRate && random() < faults.serverErrorRate)) {
        stats.serverErrors++;
        const unavailable = random() < 0.5;
        reply(res, unavailable ? 503 : 500, { __type: unavailable ? 'ServiceUnavailable' : 'InternalFailure', message: 'injected by the fault front' });
        return;
      }
      if (operation === 'PutRecords') {
        if (forced === 'hung' || (faults.hungRate && random() < faults.hungRate)) afterWrite = 'hung';
        else if (forced === 'dropAfterWrite' || (faults.dropAfterWriteRate && random() < faults.dropAfterWriteRate)) afterWrite = 'dropAfterWrite';
      }
    }
    if (operation === 'PutRecords') {
      const input = JSON.parse(body.toString('utf8'));
      const stream = input.StreamARN ?? input.StreamName;
      const shards = await shardMap(stream, input.StreamARN !== undefined);
      const entries = (input.Records as RawEntry[]).map((r, i) => toEntry(r, i, shards));
      const verdicts = entries.map((e) => judge(e, n));
      const accepted = input.Records.filter((_: unknown, i: number) => verdicts[i] === 'accept');
      let forwarded: Array<{ SequenceNumber: string; ShardId: string }> = [];
      if (accepted.length > 0) {
        const answer = await kinesalite.forward(req, Buffer.from(JSON.stringify({ ...input, Records: accepted })));
        if (answer.status !== 200) {
          relay(res, answer);
          return;
        }
        forwarded = JSON.parse(answer.body.toString('utf8')).Records;
        if (forwarded.some((r, i) => r.ShardId !== entries.filter((_, j) => verdicts[j] === 'accept')[i].shardId)) maps.delete(stream);
      }
      if (afterWrite === 'hung') {
        // Written, and never answered: the client's deadline is the only way out. stop() closes the connection.
        stats.hung++;
        return;
      }
      if (afterWrite === 'dropAfterWrite') {
        stats.droppedAfterWrite++;
        req.socket.destroy();
        return;
      }
      let next = 0;
      const records = verdicts.map((v) => v === 'accept'
        ? forwarded[next++]
        : { ErrorCode: v, ErrorMessage: v === 'InternalFailure' ? 'Internal service failure.' : 'Rate exceeded for shard in stream under account 000000000000.' });
      reply(res, 200, { FailedRecordCount: verdicts.filter((v) => v !== 'accept').length, Records: records });
      return;
    }
    if (operation === 'PutRecord') {
      const input = JSON.parse(body.toString('utf8'));
      const stream = input.StreamARN ?? input.StreamName;
      const entry = toEntry(input, 0, await shardMap(stream, input.StreamARN !== undefined));
      const verdict = judge(entry, n);
      if (verdict !== 'accept') {
        reply(res, verdict === 'InternalFailure' ? 500 : 400, { __type: verdict, message: 'injected or over the shard limit' });
        return;
      }
    }
    if (['SplitShard', 'MergeShards', 'UpdateShardCount'].includes(operation)) maps.clear();
    relay(res, await kinesalite.forward(req, body));
  };

  const front = await serveFront('fault front', JSON_CONTENT_TYPE, handle);
  return {
    endpoint: front.endpoint,
    get stats() {
      return stats;
    },
    setFaults(plan: FaultPlan) {
      faults = plan;
    },
    resetStats() {
      stats = newStats();
    },
    async stop() {
      lister.destroy();
      kinesalite.destroy();
      await front.close();
    },
  };
}

function newStats(): FrontStats {
  return { shards: new Map(), calls: new Map(), serverErrors: 0, resets: 0, hung: 0, droppedAfterWrite: 0 };
}
