/**
 * What a per-record function decides about one record. Build it with `ok`, `dropped` and `failed`; the runtime checks
 * whatever a function returns (`checkOutcome`), so that a wrong one fails its record instead of the batch or the
 * response Firehose reads.
 */
import type { EntryMetadata } from './entry-metadata';

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
 * An Ok outcome whose data is already base64 text, derived from the record's own, and whose metadata is already
 * checked and sized: the response carries both as they are, instead of decoding bytes only to encode them again and
 * sizing the same partition keys for every record. Only the bundled JSON transform builds it (the runtime trusts it:
 * `checkOutcome` passes it through); `data` decodes when asked.
 */
export class EncodedOkOutcome implements OkOutcome {
  public readonly result = 'Ok' as const;

  /**
   * @param base64 the delivered bytes as padded standard base64 (it goes on the wire as it is)
   * @param metadata partition keys and Iceberg routing, checked (non-empty strings), or undefined for none
   */
  constructor(public readonly base64: string, public readonly metadata: EntryMetadata | undefined) {}

  public get data(): Buffer {
    return Buffer.from(this.base64, 'base64');
  }

  public get partitionKeys(): Readonly<Record<string, string>> | undefined {
    return this.metadata?.json.partitionKeys;
  }

  public get otfMetadata(): Readonly<Record<string, string>> | undefined {
    return this.metadata?.json.otfMetadata;
  }
}

/**
 * Deliver `data`: a Buffer as is, a string as UTF-8, anything else as its JSON text.
 *
 * @param data the transformed record
 * @param partitionKeys dynamic partition keys for `!{partitionKeyFromLambda:<key>}` expressions
 */
export function ok(data: Buffer | string | object, partitionKeys?: Readonly<Record<string, string>>): OkOutcome {
  if (data === undefined || data === null) throw new TypeError(`ok() needs the record's data, got ${data}; return dropped() to deliver nothing`);
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

const RESULTS = 'expected ok(data), dropped() or failed(reason)';

/**
 * What the response may carry for a record, whatever the per-record function returned: its outcome when that is one
 * Firehose accepts, otherwise a `ProcessingFailed` outcome saying what was wrong. Firehose's contract for each entry
 * is a `result` of `Ok`, `Dropped` or `ProcessingFailed`, base64 `data`, and for dynamic partitioning
 * `metadata.partitionKeys`, an object of strings; an entry outside it would fail the whole invocation, and with it
 * every record of the batch.
 *
 * - `undefined`, `null` or anything but an object: failed;
 * - a `result` other than the three: failed;
 * - `Ok` without data, or with data that is not bytes (a `Buffer` or `Uint8Array`; a string is ambiguous, text or
 *   base64, and goes through `ok()`): failed;
 * - partition keys that are not an object whose keys and values are non-empty strings: failed (an empty object is
 *   no partition keys);
 * - Iceberg routing (`otfMetadata`) that is not such an object either: failed;
 * - `ProcessingFailed` without a reason keeps its result, with a reason that says so.
 *
 * @param outcome what the function returned (or its promise fulfilled with)
 */
export function checkOutcome(outcome: unknown): RecordOutcome {
  if (outcome instanceof EncodedOkOutcome) return outcome;
  if (outcome === null || typeof outcome !== 'object') return failed(`the transform returned ${outcome === null ? 'null' : typeof outcome === 'undefined' ? 'undefined' : `a ${typeof outcome}`}: ${RESULTS}`);
  const result = (outcome as { result?: unknown }).result;
  if (result === 'Ok') {
    const { data, partitionKeys, otfMetadata } = outcome as { data?: unknown; partitionKeys?: unknown; otfMetadata?: unknown };
    if (!(data instanceof Uint8Array)) {
      return failed(`the transform returned an Ok outcome ${data === undefined ? 'without data' : `whose data is ${data === null ? 'null' : `a ${typeof data}`}, not bytes`}: ${RESULTS}`);
    }
    let keys = partitionKeys as Record<string, string> | undefined;
    if (keys !== undefined) {
      const count = countPartitionKeys(keys);
      if (typeof count === 'string') return failed(`the transform returned partition keys that Firehose cannot use: ${count}`);
      if (count === 0) keys = undefined;
    }
    // Iceberg routing is checked like partition keys (non-empty strings), and kept whenever the outcome is rebuilt.
    let routing = otfMetadata as Record<string, string> | undefined;
    if (routing !== undefined) {
      const count = countPartitionKeys(routing);
      if (typeof count === 'string') return failed(`the transform returned Iceberg routing (otfMetadata) that Firehose cannot use: ${count}`);
      if (count === 0) routing = undefined;
    }
    if (Buffer.isBuffer(data) && keys === partitionKeys && routing === otfMetadata) return outcome as OkOutcome;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return {
      result: 'Ok',
      data: bytes,
      ...(keys !== undefined ? { partitionKeys: keys } : {}),
      ...(routing !== undefined ? { otfMetadata: routing } : {}),
    };
  }
  if (result === 'Dropped') return outcome as DroppedOutcome;
  if (result === 'ProcessingFailed') {
    const reason = (outcome as { reason?: unknown }).reason;
    return typeof reason === 'string' && reason.length > 0 ? outcome as FailedOutcome : failed(`the transform failed the record without a reason (${reason === undefined ? 'none' : typeof reason})`);
  }
  return failed(`the transform returned an unknown result ${result === undefined ? '(none)' : `'${String(result).slice(0, 40)}'`}: ${RESULTS}`);
}

/** How many partition keys `keys` holds, or why it cannot be `metadata.partitionKeys`. */
function countPartitionKeys(keys: unknown): number | string {
  if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) return `expected an object of strings, got ${keys === null ? 'null' : Array.isArray(keys) ? 'an array' : `a ${typeof keys}`}`;
  let count = 0;
  for (const key in keys) {
    // A key without a name cannot be named in a !{partitionKeyFromLambda:...} expression.
    if (key.length === 0) return 'a key has an empty name';
    const value = (keys as Record<string, unknown>)[key];
    if (typeof value !== 'string' || value.length === 0) {
      return `'${key}' is ${value === undefined ? 'undefined' : value === null ? 'null' : typeof value === 'string' ? 'empty' : `a ${typeof value} (${String(value).slice(0, 40)})`}, expected a non-empty string`;
    }
    count++;
  }
  return count;
}
