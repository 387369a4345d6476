import type { KinesisStreamEvent } from 'aws-lambda';
import { comparePositions, compareSequenceNumbers } from './position';
import { Aggregate, decodeRecord, isDecoded, mayBeAggregated, plainUserRecord, shardIdOf } from './records';
import type { DecodedRecord, PlannedRecord } from './records';
import { LAYOUT_STRIDE } from '../aggregation/record-format';

/**
 * The records that must be handled one after the other: those of one partition key in one shard, or (in strict
 * mode) all records of one shard. Groups are independent and may run concurrently.
 */
export interface RecordGroup {
  readonly shardId: string;
  /**
   * In position order. Plain records stay as the event gave them and aggregated user records as their aggregate
   * until handled: see `userRecordOf`.
   */
  readonly records: PlannedRecord[];
  /** For each entry of `records` that is an `Aggregate`, the sub-sequence number of the user record; 0 otherwise. */
  readonly subSequenceNumbers: number[];
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

/** The user record of a group's `index`-th record, created now for a plain or aggregated record. */
export function userRecordOf(group: RecordGroup, index: number): DecodedRecord {
  const record = group.records[index];
  if (record instanceof Aggregate) return record.userRecord(group.subSequenceNumbers[index]);
  return isDecoded(record) ? record : plainUserRecord(record, group.shardId);
}

/** The partition key of a group's `index`-th record, without creating its user record. */
export function partitionKeyOf(group: RecordGroup, index: number): string {
  const record = group.records[index];
  if (record instanceof Aggregate) return record.partitionKeyOf(group.subSequenceNumbers[index]);
  return isDecoded(record) ? record.partitionKey : record.kinesis.partitionKey;
}

function groupOf(plan: ShardPlan, key: string): RecordGroup {
  let group = plan.groups.get(key);
  if (group === undefined) {
    group = { shardId: plan.shardId, records: [], subSequenceNumbers: [] };
    plan.groups.set(key, group);
  }
  return group;
}

function addTo(plan: ShardPlan, key: string, record: PlannedRecord): void {
  const group = groupOf(plan, key);
  group.records.push(record);
  group.subSequenceNumbers.push(0);
}

/** Adds an aggregate's user records, looking each group up once per key of the aggregate's table, not per record. */
function addAggregate(plan: ShardPlan, strict: boolean, aggregate: Aggregate): void {
  const { partitionKeys, records } = aggregate.layout;
  const groups: (RecordGroup | undefined)[] = strict ? [] : new Array(partitionKeys.length);
  const strictGroup = strict ? groupOf(plan, '') : undefined;
  for (let sub = 0, r = 0; r < records.length; sub++, r += LAYOUT_STRIDE) {
    let group = strictGroup;
    if (group === undefined) {
      const k = records[r];
      group = groups[k] ??= groupOf(plan, partitionKeys[k]);
    }
    group.records.push(aggregate);
    group.subSequenceNumbers.push(sub);
  }
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
    const decoded = decodeRecord(record, plan.shardId);
    if (decoded instanceof Aggregate) addAggregate(plan, strict, decoded);
    else addTo(plan, strict ? '' : decoded.partitionKey, decoded);
  }
  const result: RecordGroup[] = [];
  for (const shard of shards.values()) {
    for (const group of shard.groups.values()) {
      if (!shard.inOrder) {
        const users = group.records.map((_, i) => userRecordOf(group, i)).sort(comparePositions);
        group.records.length = 0;
        group.records.push(...users);
        group.subSequenceNumbers.fill(0);
      }
      result.push(group);
    }
  }
  return result;
}
