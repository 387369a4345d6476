import { UserRecord } from '../aggregation';
import type { PendingRecord } from './entry';
import { RecordError } from './errors';

/** The outcome of one user record: where it landed, or why it could not be written. */
export interface PutResult {
  /** Position of the record: in the array given to `putAll`, or the submission counter for `put`. */
  readonly index: number;
  readonly record: UserRecord;
  /** Whether the record is in the stream. */
  readonly succeeded: boolean;
  /** The shard that holds the record. */
  readonly shardId?: string;
  /** Sequence number of the Kinesis record holding the user record (shared by all user records of an aggregate). */
  readonly sequenceNumber?: string;
  /** Position of the user record inside its aggregate; undefined when the record was sent on its own. */
  readonly subSequenceNumber?: number;
  /** PutRecords attempts it took (0 for a record that failed validation). */
  readonly attempts: number;
  /**
   * An earlier attempt failed ambiguously (timeout, connection reset, 5xx), so the stream may hold the record twice.
   * Consumers that must be exactly-once deduplicate on a key of their own.
   */
  readonly possibleDuplicate: boolean;
  /** Why the record could not be written; set exactly when `succeeded` is false. */
  readonly error?: RecordError;
}

/** The result of a record that could not be written, with its error naming the record. */
export function failedResult(p: PendingRecord, code: string, message: string, attempts: number, retryable: boolean, possibleDuplicate: boolean): PutResult {
  return {
    index: p.index,
    record: p.record,
    succeeded: false,
    attempts,
    possibleDuplicate,
    error: new RecordError({ code, message, index: p.index, partitionKey: p.record.partitionKey, attempts, retryable }),
  };
}
