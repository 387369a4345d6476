import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { checkRecord, recordsOf } from './event-shape';
import { comparePositions, compareSequenceNumbers } from './position';
import { Aggregate, decodeRecord, mayBeAggregated, plainUserRecord, shardIdOf } from './records';
import type { DecodedRecord } from './records';

/** The user records of a batch, one at a time, in the order they must be handled within their shard. */
export interface UserRecordCursor {
  /**
   * Whether the aggregates read from now on should give their user records the scheduler's key buckets (see
   * key-bucket.ts). The scheduler asks once a key is in flight: a synchronous handler never needs them.
   */
  keyBuckets: boolean;
  /** The next user record, or `undefined` at the end of the batch. */
  next(): DecodedRecord | undefined;
}

const COLON = 58;
const NO_RECORDS: readonly never[] = [];

/** The shard of a record, reusing `last` when the event id starts with it (records of a batch share their shard). */
function shardOf(record: KinesisStreamRecord, last: string): string {
  const eventId = record.eventID;
  // `lastIndexOf(last, 0)` is `startsWith(last)` at half the cost on the strings of a parsed event (Node.js 20).
  return last !== '' && eventId.charCodeAt(last.length) === COLON && eventId.lastIndexOf(last, 0) === 0 ? last : shardIdOf(record);
}

/** What a batch is like, as far as handling it goes. */
export interface BatchSurvey {
  /** Whether every shard's records come in ascending sequence order. */
  readonly inOrder: boolean;
  /** The shard of every record, when they all share one (as in any batch Lambda delivers); `undefined` otherwise. */
  readonly shardId: string | undefined;
}

/**
 * Surveys a batch in one pass, and checks that each record has the fields the runtime reads (see event-shape.ts).
 * Lambda delivers the records of one shard, in sequence order; only hand-built events and replays may mix shards or
 * disorder them, and only those pay for telling records' shards apart while handling them, or for decoding and sorting
 * the batch up front.
 *
 * @throws InvalidEventError when the event is not a Kinesis stream event, before anything is handled.
 */
export function surveyBatch(event: KinesisStreamEvent): BatchSurvey {
  const records = recordsOf(event);
  const last = new Map<string, string>();
  let shardId = '';
  let single = true;
  let previous = '';
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    checkRecord(record, i);
    const shard = shardOf(record, shardId);
    if (shard !== shardId) {
      if (shardId !== '') {
        single = false;
        last.set(shardId, previous);
      }
      shardId = shard;
      previous = last.get(shard) ?? '';
    }
    const sequenceNumber = record.kinesis.sequenceNumber;
    if (previous !== '' && compareSequenceNumbers(previous, sequenceNumber) >= 0) {
      // Out of order, the batch is decoded and sorted up front, which tells shards apart anyway.
      for (let j = i + 1; j < records.length; j++) checkRecord(records[j], j);
      return { inOrder: false, shardId: undefined };
    }
    previous = sequenceNumber;
  }
  return { inOrder: true, shardId: single && shardId !== '' ? shardId : undefined };
}

/**
 * Walks a batch's user records in event order, decoding each Kinesis record only when it is reached: a plain record
 * becomes one user record, an aggregate one user record per sub-sequence number. Nothing of the batch is decoded
 * ahead, so each record's buffers and objects die young, as they would in a hand-written loop.
 */
export class EventCursor implements UserRecordCursor {
  public keyBuckets = false;
  /** The last aggregate read; it outlives the batch with the cursor (see `latest` in processor.ts). */
  public lastAggregate: Aggregate | undefined;
  private index = 0;
  private aggregate: Aggregate | undefined;
  private subSequenceNumber = 0;
  private shardId: string;

  /** @param shardId the shard of every record, when known to be one; records are told apart by event id otherwise. */
  constructor(private records: readonly KinesisStreamRecord[], private readonly onlyShard?: string) {
    this.shardId = onlyShard ?? '';
  }

  public next(): DecodedRecord | undefined {
    const aggregate = this.aggregate;
    if (aggregate !== undefined) {
      const user = aggregate.userRecord(this.subSequenceNumber);
      if (++this.subSequenceNumber === aggregate.size) this.aggregate = undefined;
      return user;
    }
    while (this.index < this.records.length) {
      const record = this.records[this.index++];
      const shardId = this.onlyShard ?? (this.shardId = shardOf(record, this.shardId));
      if (!mayBeAggregated(record)) return plainUserRecord(record, shardId);
      const decoded = decodeRecord(record, shardId, this.keyBuckets);
      if (!(decoded instanceof Aggregate)) return decoded;
      // An aggregate without user records has nothing to handle.
      if (decoded.size === 0) continue;
      this.lastAggregate = decoded;
      if (decoded.size > 1) {
        this.aggregate = decoded;
        this.subSequenceNumber = 1;
      }
      return decoded.userRecord(0);
    }
    // The cursor may outlive the batch; the event must not.
    this.records = NO_RECORDS;
    this.index = 0;
    return undefined;
  }
}

/** Walks user records already decoded into an array. */
export class ArrayCursor implements UserRecordCursor {
  /** Decoded already: its aggregates were read with key buckets. */
  public keyBuckets = true;
  private index = 0;

  constructor(private records: readonly DecodedRecord[]) {}

  public next(): DecodedRecord | undefined {
    if (this.index < this.records.length) return this.records[this.index++];
    this.records = NO_RECORDS;
    this.index = 0;
    return undefined;
  }
}

/**
 * Every user record of the batch, decoded, each shard's in position order (sequence number, then sub-sequence
 * number), shards in the order they first appear. For batches that must be seen whole before anything is handled:
 * to load checkpoints of every key, or to sort a shard that came out of order.
 */
export function decodeBatch(event: KinesisStreamEvent, survey: BatchSurvey): DecodedRecord[] {
  const sort = !survey.inOrder;
  const cursor = new EventCursor(event.Records, survey.shardId);
  // The handler is not known to be synchronous yet, and these records may wait behind a key in flight.
  cursor.keyBuckets = true;
  const shards = new Map<string, DecodedRecord[]>();
  for (let record = cursor.next(); record !== undefined; record = cursor.next()) {
    let shard = shards.get(record.shardId);
    if (shard === undefined) shards.set(record.shardId, shard = []);
    shard.push(record);
  }
  const all: DecodedRecord[] = [];
  for (const shard of shards.values()) {
    // Array.prototype.sort is stable: records with equal positions keep their event order.
    if (sort) shard.sort(comparePositions);
    for (const record of shard) all.push(record);
  }
  return all;
}
