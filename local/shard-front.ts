/**
 * The per-shard write limits of Kinesis Data Streams in front of kinesalite, which has none: an HTTP proxy on a free
 * loopback port that passes every call through, except that PutRecords and PutRecord entries over a shard's limits
 * (1,000 records/s and 1 MiB/s, from `KinesisLimits`, in one-second windows) are refused with
 * `ProvisionedThroughputExceededException`, entry by entry and in request order, as the service answers them.
 * It counts accepted and refused records and bytes per shard and second: the throughput figures of the summary.
 */
import { createHash } from 'crypto';
import * as http from 'http';
import { relay, replyJson, serveFront, upstream } from './json-front';
import { KinesisLimits } from '../src/validation/limits';

export interface ShardSecond { records: number; bytes: number; throttled: number }

export interface ShardWrites {
  /** Per epoch second. */
  readonly seconds: Map<number, ShardSecond>;
  records: number;
  bytes: number;
  throttled: number;
}

interface FrontShard { readonly id: string; readonly start: bigint; readonly end: bigint }

export interface ShardFront {
  readonly endpoint: string;
  /** Per stream name, per shard id. */
  readonly writes: Map<string, Map<string, ShardWrites>>;
  /** Tells the front the shards of a stream (created by the runner, so known up front). */
  setShards(stream: string, shards: ReadonlyArray<{ id: string; start: string; end: string }>): void;
  stop(): Promise<void>;
}

const TARGET = 'Kinesis_20131202.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export async function startShardFront(target: string): Promise<ShardFront> {
  const kinesalite = upstream(target);
  const shardMaps = new Map<string, FrontShard[]>();
  const writes = new Map<string, Map<string, ShardWrites>>();

  const streamKey = (input: { StreamName?: string; StreamARN?: string }) => input.StreamName ?? String(input.StreamARN).split('/').pop()!;

  const judge = (stream: string, partitionKey: string, explicitHashKey: string | undefined, dataB64: string): { shardId?: string; ok: boolean } => {
    const shards = shardMaps.get(stream);
    if (!shards) return { ok: true };
    const hash = explicitHashKey !== undefined ? BigInt(explicitHashKey) : BigInt('0x' + createHash('md5').update(partitionKey, 'utf8').digest('hex'));
    const shard = shards.find((s) => hash >= s.start && hash <= s.end);
    if (!shard) return { ok: true };
    const size = Buffer.byteLength(dataB64, 'base64') + Buffer.byteLength(partitionKey, 'utf8');
    let perShard = writes.get(stream);
    if (!perShard) writes.set(stream, perShard = new Map());
    let w = perShard.get(shard.id);
    if (!w) perShard.set(shard.id, w = { seconds: new Map(), records: 0, bytes: 0, throttled: 0 });
    const second = Math.floor(Date.now() / 1000);
    let s = w.seconds.get(second);
    if (!s) w.seconds.set(second, s = { records: 0, bytes: 0, throttled: 0 });
    if (s.records + 1 > KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND || s.bytes + size > KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND) {
      s.throttled++;
      w.throttled++;
      return { shardId: shard.id, ok: false };
    }
    s.records++;
    s.bytes += size;
    w.records++;
    w.bytes += size;
    return { shardId: shard.id, ok: true };
  };

  const reply = (res: http.ServerResponse, status: number, payload: unknown) => replyJson(res, status, payload, CONTENT_TYPE);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
    const body = withStreamName(raw);
    const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET, '');
    if (operation === 'PutRecords') {
      const input = JSON.parse(body.toString('utf8'));
      const stream = streamKey(input);
      const verdicts = (input.Records as Array<{ PartitionKey: string; ExplicitHashKey?: string; Data: string }>).map((r) => judge(stream, r.PartitionKey, r.ExplicitHashKey, r.Data ?? ''));
      const accepted = input.Records.filter((_: unknown, i: number) => verdicts[i].ok);
      let forwarded: unknown[] = [];
      if (accepted.length > 0) {
        const answer = await kinesalite.forward(req, Buffer.from(JSON.stringify({ ...input, Records: accepted })));
        if (answer.status !== 200) {
          relay(res, answer);
          return;
        }
        forwarded = JSON.parse(answer.body.toString('utf8')).Records;
      }
      let next = 0;
      const records = verdicts.map((v) => v.ok ? forwarded[next++] : {
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: `Rate exceeded for shard ${v.shardId} in stream ${stream} under account 000000000000.`,
      });
      reply(res, 200, { FailedRecordCount: verdicts.filter((v) => !v.ok).length, Records: records });
      return;
    }
    if (operation === 'PutRecord') {
      const input = JSON.parse(body.toString('utf8'));
      const v = judge(streamKey(input), input.PartitionKey, input.ExplicitHashKey, input.Data ?? '');
      if (!v.ok) {
        reply(res, 400, { __type: 'ProvisionedThroughputExceededException', message: `Rate exceeded for shard ${v.shardId}.` });
        return;
      }
    }
    relay(res, await kinesalite.forward(req, body));
  };

  const front = await serveFront('shard front', CONTENT_TYPE, handle);
  return {
    endpoint: front.endpoint,
    writes,
    setShards(stream, shards) {
      shardMaps.set(stream, shards.map((s) => ({ id: s.id, start: BigInt(s.start), end: BigInt(s.end) })));
    },
    async stop() {
      kinesalite.destroy();
      await front.close();
    },
  };
}

/** kinesalite predates `StreamARN` parameters: name the stream by its name, which ends the ARN. */
function withStreamName(body: Buffer): Buffer {
  if (!body.includes('"StreamARN"')) return body;
  try {
    const input = JSON.parse(body.toString('utf8'));
    if (typeof input.StreamARN !== 'string' || input.StreamName !== undefined) return body;
    const { StreamARN: arn, ...rest } = input;
    // ListShards with a NextToken must not name the stream.
    if (rest.NextToken !== undefined) return Buffer.from(JSON.stringify(rest));
    return Buffer.from(JSON.stringify({ ...rest, StreamName: String(arn).split('/').pop() }));
  } catch {
    return body;
  }
}
