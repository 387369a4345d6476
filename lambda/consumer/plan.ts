import type { KinesisStreamEvent } from 'aws-lambda';
import { comparePositions, compareSequenceNumbers } from './position';
import { decodeRecord, shardIdOf } from './records';
import type { DecodedRecord } from './records';

/**
 * The records that must be handled one after the other: those of one partition key in one shard, or (in strict
 * mode) all records of one shard. Groups are independent and may run concurrently.
 */
export interface RecordGroup {
  readonly shardId: string;
  readonly records: DecodedRecord[];
}

interface ShardPlan {
  readonly groups: Map<string, RecordGroup>;
  /** Sequence number of the shard's last Kinesis record so far. */
  lastSequenceNumber: string;
  /** Whether the shard's Kinesis records arrived in sequence order. */
  inOrder: boolean;
}

/**
 * Decodes a batch and splits it into groups, each in position order (sequence number, then sub-sequence number).
 *
 * Lambda delivers a shard's records in sequence order and the KPL numbers the user records of an aggregate in order,
 * so order is checked once per Kinesis record, not per user record, and groups are sorted only for a shard whose
 * records arrived out of order (hand-built events, replays). Groups are found by shard, then by partition key, so
 * that no key string is built per record.
 */
export function planBatch(event: KinesisStreamEvent, strict: boolean): RecordGroup[] {
  const shards = new Map<string, ShardPlan>();
  const decoded: DecodedRecord[] = [];
  let lastShardId: string | undefined;
  let shard: ShardPlan | undefined;
  for (const record of event.Records) {
    const shardId = shardIdOf(record);
    if (shardId !== lastShardId) {
      shard = shards.get(shardId);
      if (shard === undefined) {
        shard = { groups: new Map(), lastSequenceNumber: '', inOrder: true };
        shards.set(shardId, shard);
      }
      lastShardId = shardId;
    }
    const plan = shard!;
    const sequenceNumber = record.kinesis.sequenceNumber;
    if (plan.inOrder && plan.lastSequenceNumber !== '' && compareSequenceNumbers(plan.lastSequenceNumber, sequenceNumber) >= 0) plan.inOrder = false;
    plan.lastSequenceNumber = sequenceNumber;
    decoded.length = 0;
    decodeRecord(record, shardId, decoded);
    for (let i = 0; i < decoded.length; i++) {
      const user = decoded[i];
      const key = strict ? '' : user.partitionKey;
      let group = plan.groups.get(key);
      if (group === undefined) {
        group = { shardId, records: [] };
        plan.groups.set(key, group);
      }
      group.records.push(user);
    }
  }
  const result: RecordGroup[] = [];
  for (const plan of shards.values()) {
    for (const group of plan.groups.values()) {
      if (!plan.inOrder) group.records.sort(comparePositions);
      result.push(group);
    }
  }
  return result;
}
