import type { KinesisStreamEvent } from 'aws-lambda';
import { comparePositions, compareSequenceNumbers } from './position';
import { decodeRecord, isDecoded, mayBeAggregated, plainUserRecord, shardIdOf } from './records';
import type { DecodedRecord, PlannedRecord } from './records';

/**
 * The records that must be handled one after the other: those of one partition key in one shard, or (in strict
 * mode) all records of one shard. Groups are independent and may run concurrently.
 */
export interface RecordGroup {
  readonly shardId: string;
  /** In position order. Plain records stay as the event gave them until handled: see `userRecordOf`. */
  readonly records: PlannedRecord[];
}

interface ShardPlan {
  readonly shardId: string;
  readonly groups: Map<string, RecordGroup>;
  /** Sequence number of the shard's last Kinesis record so far. */
  lastSequenceNumber: string;
  /** Whether the shard's Kinesis records arrived in sequence order. */
  inOrder: boolean;
}

const COLON = 58;

/** The user record of a planned record. */
export function userRecordOf(record: PlannedRecord, shardId: string): DecodedRecord {
  return isDecoded(record) ? record : plainUserRecord(record, shardId);
}

function addTo(plan: ShardPlan, key: string, record: PlannedRecord): void {
  let group = plan.groups.get(key);
  if (group === undefined) {
    group = { shardId: plan.shardId, records: [] };
    plan.groups.set(key, group);
  }
  group.records.push(record);
}

/**
 * Splits a batch into groups, each in position order (sequence number, then sub-sequence number).
 *
 * Lambda delivers a shard's records in sequence order and the KPL numbers the user records of an aggregate in order,
 * so order is checked once per Kinesis record, and groups are sorted only for a shard whose records arrived out of
 * order (hand-built events, replays). Only records that may be aggregates are decoded here, to learn their user
 * records' keys; plain records are decoded when handled. No string is built per record: groups are found by shard,
 * then by partition key, and a record's shard is recognised by the prefix of its event id.
 */
export function planBatch(event: KinesisStreamEvent, strict: boolean): RecordGroup[] {
  const shards = new Map<string, ShardPlan>();
  const decoded: DecodedRecord[] = [];
  let plan: ShardPlan | undefined;
  for (const record of event.Records) {
    const eventId = record.eventID;
    if (plan === undefined || eventId.charCodeAt(plan.shardId.length) !== COLON || !eventId.startsWith(plan.shardId)) {
      const shardId = shardIdOf(record);
      plan = shards.get(shardId);
      if (plan === undefined) {
        plan = { shardId, groups: new Map(), lastSequenceNumber: '', inOrder: true };
        shards.set(shardId, plan);
      }
    }
    const sequenceNumber = record.kinesis.sequenceNumber;
    if (plan.inOrder && plan.lastSequenceNumber !== '' && compareSequenceNumbers(plan.lastSequenceNumber, sequenceNumber) >= 0) plan.inOrder = false;
    plan.lastSequenceNumber = sequenceNumber;
    if (!mayBeAggregated(record)) {
      addTo(plan, strict ? '' : record.kinesis.partitionKey, record);
      continue;
    }
    decoded.length = 0;
    decodeRecord(record, plan.shardId, decoded);
    for (let i = 0; i < decoded.length; i++) addTo(plan, strict ? '' : decoded[i].partitionKey, decoded[i]);
  }
  const result: RecordGroup[] = [];
  for (const shard of shards.values()) {
    for (const group of shard.groups.values()) {
      if (!shard.inOrder) {
        const users = group.records.map((r) => userRecordOf(r, shard.shardId)).sort(comparePositions);
        group.records.length = 0;
        group.records.push(...users);
      }
      result.push(group);
    }
  }
  return result;
}
