import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord } from 'aws-lambda';

/**
 * The event is not a Firehose transformation event: `records` is not an array, or a record has no `recordId`. Such an
 * event cannot be answered (Firehose requires every record id back, and a record without one cannot be named), so
 * the invocation fails as a whole, before any record is transformed. Firehose itself never sends one.
 */
export class InvalidTransformEventError extends Error {
  /** Where the wrong value is, e.g. `records[3].recordId`. */
  public readonly field: string;

  constructor(field: string, problem: string) {
    super(`not a Firehose transformation event: ${field} ${problem}`);
    this.name = 'InvalidTransformEventError';
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'is missing';
  if (value === null) return 'is null';
  if (Array.isArray(value)) return 'is an array';
  return typeof value === 'object' ? 'is an object' : `is ${typeof value === 'string' ? `'${value.slice(0, 60)}'` : String(value)} (${typeof value})`;
}

/** The records of an event and their ids, in order. */
export interface EventRecords {
  readonly records: readonly FirehoseTransformationEventRecord[];
  readonly recordIds: string[];
}

/**
 * The records of `event` and their ids, in order.
 *
 * @throws InvalidTransformEventError when the event has no `records` array, or a record is not an object with a
 * non-empty string `recordId`.
 */
export function recordIdsOf(event: FirehoseTransformationEvent): EventRecords {
  if (event === null || typeof event !== 'object') throw new InvalidTransformEventError('the event', `${describe(event)}: expected an object with records`);
  const records = (event as { records?: unknown }).records;
  if (!Array.isArray(records)) throw new InvalidTransformEventError('records', `${describe(records)}: expected an array of records`);
  const recordIds = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as FirehoseTransformationEventRecord | null;
    if (record === null || typeof record !== 'object') throw new InvalidTransformEventError(`records[${i}]`, `${describe(record)}: expected a record with recordId and data`);
    const recordId = record.recordId;
    if (typeof recordId !== 'string' || recordId.length === 0) {
      throw new InvalidTransformEventError(`records[${i}].recordId`, `${describe(recordId)}: expected the non-empty id Firehose gave the record`);
    }
    recordIds[i] = recordId;
  }
  return { records: records as FirehoseTransformationEventRecord[], recordIds };
}
