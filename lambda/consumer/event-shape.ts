import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { InvalidEventError } from './errors';

/**
 * What the runtime needs of a Kinesis event before it handles anything: the fields it reads to decode, order and report
 * every record. A JavaScript caller or a hand-built event gets an `InvalidEventError` naming the field, instead of a
 * `TypeError` from deep inside the run (or, worse, records compared by a sequence number that is not one).
 */

/** Kinesis sequence numbers are unsigned decimal integers; the runtime compares them as such (see position.ts). */
const DECIMAL = /^[0-9]+$/;

function describe(value: unknown): string {
  if (value === undefined) return 'is missing';
  const shown = typeof value === 'string' ? `'${value.length > 60 ? `${value.slice(0, 60)}...` : value}'` : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : String(value);
  return `is ${shown} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

/** The records of `event`; throws `InvalidEventError` when it has none to give. */
export function recordsOf(event: KinesisStreamEvent): readonly KinesisStreamRecord[] {
  if (event === null || typeof event !== 'object') throw new InvalidEventError('the event', `${describe(event)}: expected an object with Records`);
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records)) throw new InvalidEventError('Records', `${describe(records)}: expected an array of Kinesis records`);
  return records as KinesisStreamRecord[];
}

/**
 * Checks record `index` of an event. Only typeof checks and one short regular expression on the happy path: this runs
 * once per Kinesis record of every batch. The record's data is checked when it is decoded (it is per record: a
 * record whose data is not base64 fails alone, as a `RecordDecodeError`).
 */
export function checkRecord(record: KinesisStreamRecord, index: number): void {
  if (record === null || typeof record !== 'object') throw invalid(index, '', record, 'expected a Kinesis stream record');
  const kinesis = record.kinesis;
  if (kinesis === null || typeof kinesis !== 'object') throw invalid(index, '.kinesis', kinesis, 'expected an object with data, sequenceNumber and partitionKey');
  if (typeof kinesis.data !== 'string') throw invalid(index, '.kinesis.data', kinesis.data, 'expected the record\'s data as base64 text');
  const sequenceNumber = kinesis.sequenceNumber;
  if (typeof sequenceNumber !== 'string' || !DECIMAL.test(sequenceNumber)) {
    throw invalid(index, '.kinesis.sequenceNumber', sequenceNumber, 'expected a decimal string (a Kinesis sequence number)');
  }
  const partitionKey = kinesis.partitionKey;
  if (typeof partitionKey !== 'string' || partitionKey.length === 0) throw invalid(index, '.kinesis.partitionKey', partitionKey, 'expected a non-empty string');
  const eventId = record.eventID;
  if (typeof eventId !== 'string' || eventId.length === 0) throw invalid(index, '.eventID', eventId, "expected '<shardId>:<sequenceNumber>'");
}

function invalid(index: number, path: string, value: unknown, expected: string): InvalidEventError {
  return new InvalidEventError(`Records[${index}]${path}`, `${describe(value)}: ${expected}`);
}
