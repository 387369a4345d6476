import type { KinesisStreamEvent } from 'aws-lambda';
import { comparePositions } from './position';
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

interface MutableGroup extends RecordGroup {
  sorted: boolean;
}

/**
 * Decodes a batch and splits it into groups, each in position order (sequence number, then sub-sequence number).
 * Lambda delivers a shard's records in order and the KPL numbers user records in order, so the check is one
 * comparison per record and a sort happens only for batches that arrive out of order (hand-built events, replays).
 */
export function planBatch(event: KinesisStreamEvent, strict: boolean): RecordGroup[] {
  const groups = new Map<string, MutableGroup>();
  const decoded: DecodedRecord[] = [];
  for (const record of event.Records) {
    const shardId = shardIdOf(record);
    decoded.length = 0;
    decodeRecord(record, shardId, decoded);
    for (const user of decoded) {
      const id = strict ? shardId : `${shardId}\u0000${user.partitionKey}`;
      let group = groups.get(id);
      if (group === undefined) {
        group = { shardId, records: [], sorted: true };
        groups.set(id, group);
      } else if (group.sorted && comparePositions(group.records[group.records.length - 1], user) > 0) {
        group.sorted = false;
      }
      group.records.push(user);
    }
  }
  const result: RecordGroup[] = [];
  for (const group of groups.values()) {
    if (!group.sorted) group.records.sort(comparePositions);
    result.push(group);
  }
  return result;
}
