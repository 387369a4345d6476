/**
 * The hung-requests scenario on a scripted stream instead of kinesalite: the same shard limits (1000 records/s per
 * shard in one-second windows, excess entries throttled), the same workload and caller, calls answered after 3 ms,
 * and hung calls written but never answered. Without the emulator's CPU cost the figures show the producer's own
 * behaviour on a loaded machine, where the emulator's calls take up to seconds and bound every run.
 *
 * The scenario forces a hang on the third call, among a fresh producer's first 20 (sent before any latency was
 * learnt), besides 2% of calls drawn at random: that is where a deadline fixed at send time held its keys, and the
 * caller, for the 6 s ceiling.
 */
import { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { audit, Audit, NumberedWorkload, recordId } from './producer-workload';
import { KinesisProducer, PutResult } from '../lambda/producer';
import { KinesisLimits } from '../src/validation/limits';
import { evenShards, MockKinesis } from '../test/lambda/producer/mock-kinesis';
import { seededRandom } from '../test/support/random';

export interface ScriptedSpec {
  readonly seconds: number;
  readonly shards: number;
  readonly keys: number;
  readonly recordBytes: number;
  /** Share of calls written and never answered. */
  readonly hungRate: number;
  /** Calls (0-based) that hang whatever the draw. */
  readonly hangCalls?: readonly number[];
  readonly seed: number;
}

export interface ScriptedFigures {
  readonly seconds: number;
  readonly userRecordsPerSecondPerShard: number;
  readonly percentOfShardRecordLimit: number;
  readonly hungCalls: number;
  readonly requestTimeouts: number;
  readonly requestDeadlineMs: number;
  readonly throttledEntries: number;
  readonly audit: Audit;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function scriptedHungRun(spec: ScriptedSpec): Promise<ScriptedFigures> {
  const random = seededRandom(spec.seed);
  const mock = new MockKinesis(evenShards(spec.shards));
  const windows = new Map<string, number>();
  let throttled = 0;
  let hungCalls = 0;
  mock.script = async (entries: readonly PutRecordsRequestEntry[], call: number, signal?: AbortSignal) => {
    await sleep(3);
    const second = Math.floor(Date.now() / 1000);
    const records = entries.map((e) => {
      const window = `${mock.shardOf(e).id}@${second}`;
      const n = windows.get(window) ?? 0;
      if (n >= KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND) {
        throttled++;
        return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' };
      }
      windows.set(window, n + 1);
      return mock.accept(e);
    });
    const drawn = random() < spec.hungRate;
    if (spec.hangCalls?.includes(call) || drawn) {
      // Written (the accepted entries count in their windows and are in the stream), never answered.
      hungCalls++;
      return new Promise<never>((_, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
    }
    return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
  };
  const written: PutRecordsRequestEntry[] = [];
  const accepted = mock.accept.bind(mock);
  mock.accept = (e) => {
    written.push(e);
    return accepted(e);
  };

  const producer = new KinesisProducer({ client: mock.client, streamName: 'scripted' });
  const workload = new NumberedWorkload(spec.keys, spec.recordBytes, 'device-');
  const flagged = new Set<string>();
  const take = (results: PutResult[]) => results.forEach((r) => r.possibleDuplicate && flagged.add(recordId(r.record.data)));
  // The benchmark's caller: 1000-record batches, about two seconds of the shards' rate outstanding, waited in order.
  const window: Array<Promise<PutResult[]>> = [];
  const started = Date.now();
  while (Date.now() - started < spec.seconds * 1000) {
    window.push(producer.putAll(workload.next(1000)));
    if (window.length * 1000 > 2 * spec.shards * KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND) take(await window.shift()!);
  }
  for (const w of window) take(await w);
  const seconds = (Date.now() - started) / 1000;
  const records = written.map((e) => ({ shardId: '', sequenceNumber: '', subSequenceNumber: 0, partitionKey: e.PartitionKey!, data: Buffer.from(e.Data!) }));
  const checked = audit(workload.sent, records, flagged);
  const perShard = (records.length - checked.duplicates) / seconds / spec.shards;
  const m = producer.metrics;
  return {
    seconds: Math.round(seconds * 100) / 100,
    userRecordsPerSecondPerShard: Math.round(perShard * 10) / 10,
    percentOfShardRecordLimit: Math.round((1000 * perShard) / KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND) / 10,
    hungCalls,
    requestTimeouts: m.requestTimeouts,
    requestDeadlineMs: m.requestDeadlineMs,
    throttledEntries: throttled,
    audit: checked,
  };
}
