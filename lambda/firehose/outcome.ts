/**
 * What a per-record function decides about one record. Built with `ok`, `dropped` and `failed`, never by hand, so
 * that the runtime can trust its shape on the hot path.
 */

/** The record was transformed; `data` is what Firehose delivers. */
export interface OkOutcome {
  readonly result: 'Ok';
  /** The transformed payload, not yet base64-encoded. */
  readonly data: Buffer;
  /** Dynamic partition keys (`!{partitionKeyFromLambda:<key>}` in the S3 prefix). */
  readonly partitionKeys?: Readonly<Record<string, string>>;
  /** Iceberg routing: `destinationDatabaseName`, `destinationTableName` and `operation`. */
  readonly otfMetadata?: Readonly<Record<string, string>>;
}

/** The record was removed on purpose (for example by a filter); Firehose counts it as processed. */
export interface DroppedOutcome {
  readonly result: 'Dropped';
}

/** The record could not be transformed; Firehose writes the record it sent to the error output prefix. */
export interface FailedOutcome {
  readonly result: 'ProcessingFailed';
  /** Why, for the function's log: Firehose itself does not keep it. */
  readonly reason: string;
}

/** The decision about one record. */
export type RecordOutcome = OkOutcome | DroppedOutcome | FailedOutcome;

const DROPPED: DroppedOutcome = Object.freeze({ result: 'Dropped' });

/**
 * Deliver `data`: a Buffer as is, a string as UTF-8, anything else as its JSON text.
 *
 * @param data the transformed record
 * @param partitionKeys dynamic partition keys for `!{partitionKeyFromLambda:<key>}` expressions
 */
export function ok(data: Buffer | string | object, partitionKeys?: Readonly<Record<string, string>>): OkOutcome {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');
  return partitionKeys ? { result: 'Ok', data: bytes, partitionKeys } : { result: 'Ok', data: bytes };
}

/** Remove the record on purpose: Firehose counts it as successfully processed and delivers nothing. */
export function dropped(): DroppedOutcome {
  return DROPPED;
}

/**
 * Mark the record as failed: Firehose delivers the record it sent to the error output prefix
 * (`processing-failed`), and the rest of the batch is unaffected.
 *
 * @param reason logged by the runtime, so the failed objects in S3 can be matched with a cause
 */
export function failed(reason: string): FailedOutcome {
  return { result: 'ProcessingFailed', reason };
}
