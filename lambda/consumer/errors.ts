import type { RecordPosition } from './position';

/** Identifies the user record an error belongs to, so a partial-failure response is built without guessing. */
export interface RecordIdentity extends RecordPosition {
  /** The shard the record was read from, e.g. `shardId-000000000000`. */
  readonly shardId: string;
  /** The user record's partition key (for an aggregated record, the key of the user record inside it). */
  readonly partitionKey: string;
}

function describe(record: RecordIdentity): string {
  return `${record.shardId} sequence ${record.sequenceNumber}/${record.subSequenceNumber} (partition key '${record.partitionKey}')`;
}

/** Base class of every error the consumer runtime reports about one record. */
export class RecordError extends Error {
  /** The record the error belongs to. */
  public readonly record: RecordIdentity;

  constructor(record: RecordIdentity, message: string, options?: { cause?: unknown }) {
    super(`${describe(record)}: ${message}`, options);
    this.name = 'RecordError';
    // A copy of the identity only: the record's data stays out of logs and serialized errors.
    const { shardId, partitionKey, sequenceNumber, subSequenceNumber } = record;
    this.record = { shardId, partitionKey, sequenceNumber, subSequenceNumber };
  }
}

/**
 * The Kinesis record could not be turned into user records: a corrupt KPL aggregate (bad MD5 or protobuf) or data
 * that is not base64. Retrying does not help; the record ends in the event source mapping's failure destination once
 * its retry attempts are spent.
 */
export class RecordDecodeError extends RecordError {
  constructor(record: RecordIdentity, cause: unknown) {
    super(record, `cannot be decoded: ${messageOf(cause)}`, { cause });
    this.name = 'RecordDecodeError';
  }
}

/** The user's parser or record handler threw (or rejected) for this record. */
export class RecordHandlerError extends RecordError {
  constructor(record: RecordIdentity, cause: unknown) {
    super(record, `handler failed: ${messageOf(cause)}`, { cause });
    this.name = 'RecordHandlerError';
  }
}

/**
 * The record was not attempted because the invocation was about to time out. It is reported as a batch item
 * failure so that Lambda hands it (and what follows) to the next invocation instead of losing the whole batch.
 */
export class RecordNotAttemptedError extends RecordError {
  constructor(record: RecordIdentity, remainingMillis: number) {
    super(record, `not attempted: ${remainingMillis} ms of the invocation were left`);
    this.name = 'RecordNotAttemptedError';
  }
}

/**
 * The event is not a Kinesis stream event as Lambda delivers it: `Records` is not an array, or a record lacks a field
 * the runtime needs to handle it or to report it (`kinesis`, `kinesis.data`, `kinesis.sequenceNumber`,
 * `kinesis.partitionKey`, `eventID`). It is thrown before any record is handled, so the invocation fails as a whole and
 * Lambda retries the batch: nothing is handled twice and nothing is lost. A Kinesis event source mapping never delivers
 * such an event; a hand-built event or a test does.
 */
export class InvalidEventError extends Error {
  /** Where the wrong value is, e.g. `Records[3].kinesis.sequenceNumber`. */
  public readonly field: string;

  constructor(field: string, problem: string) {
    super(`not a Kinesis stream event: ${field} ${problem}`);
    this.name = 'InvalidEventError';
    this.field = field;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
