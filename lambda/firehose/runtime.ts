import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { recordIdsOf } from './event-shape';
import { InputRecord } from './input-record';
import { checkOutcome, failed, type RecordOutcome } from './outcome';
import { ResponseBuilder } from './response';
import { FirehoseLimits } from '../../src/validation/limits';

/** A per-record function: decides what Firehose delivers for one record. May be async. */
export type RecordTransformer = (record: InputRecord) => RecordOutcome | Promise<RecordOutcome>;

/** Options of `transformBatch` and `createTransformHandler`. */
export interface TransformBatchOptions {
  /**
   * The largest response, in bytes. Records whose transformed data no longer fits are answered ProcessingFailed
   * (Firehose writes them to the error output prefix) instead of failing the invocation.
   *
   * @default FirehoseLimits.MAX_TRANSFORM_RESPONSE_BYTES (6 MiB)
   */
  readonly maxResponseBytes?: number;
  /**
   * Receives the summary of each batch. `console.log` of one JSON line per batch by default; pass a function that
   * does nothing to silence it.
   */
  readonly log?: (summary: BatchSummary) => void;
  /**
   * Failure reasons kept in the summary, each with its record id.
   *
   * @default 10
   */
  readonly maxLoggedFailures?: number;
}

/** What happened to one batch, for the function's log. */
export interface BatchSummary {
  readonly invocationId: string;
  readonly records: number;
  readonly ok: number;
  readonly dropped: number;
  readonly failed: number;
  /** Records answered ProcessingFailed because the response budget was spent (they are part of `failed`). */
  readonly overflow: number;
  /** The first failures, with the id of their record and the reason. */
  readonly failures: ReadonlyArray<{ readonly recordId: string; readonly reason: string }>;
}

function defaultLog(summary: BatchSummary): void {
  console.log(JSON.stringify({ message: 'firehose transform batch', ...summary }));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

/**
 * Runs `transform` on every record of a Firehose transformation event and builds the response.
 *
 * A record whose function throws, returns a rejected promise, or returns something that is not an outcome Firehose
 * accepts (`undefined`, `null`, an unknown result, `Ok` without bytes, partition keys that are not non-empty strings:
 * see `checkOutcome`), is answered ProcessingFailed, with the reason in the batch summary: one malformed record, or
 * one wrong return, never fails the batch. The response holds every record id exactly once, in order, and stays within
 * `maxResponseBytes`. Records are processed one after the other, so that output order follows input order and a
 * synchronous function pays no promise overhead.
 *
 * @throws InvalidTransformEventError when the event has no `records` array or a record has no `recordId`: such an
 * event cannot be answered record by record.
 */
export async function transformBatch(
  event: FirehoseTransformationEvent,
  transform: RecordTransformer,
  options: TransformBatchOptions = {},
): Promise<FirehoseTransformationResult> {
  const { records, recordIds } = recordIdsOf(event);
  const builder = new ResponseBuilder(recordIds, options.maxResponseBytes ?? FirehoseLimits.MAX_TRANSFORM_RESPONSE_BYTES);
  const maxLogged = options.maxLoggedFailures ?? 10;
  const failures: Array<{ recordId: string; reason: string }> = [];
  let ok = 0;
  let dropped = 0;
  let failedCount = 0;
  let overflow = 0;

  for (let i = 0; i < records.length; i++) {
    if (builder.exhausted) {
      builder.overflow(i);
      overflow++;
      continue;
    }
    let outcome: RecordOutcome;
    try {
      const returned = transform(new InputRecord(records[i]));
      outcome = checkOutcome(isPromise(returned) ? await returned : returned);
    } catch (error) {
      outcome = failed(reasonOf(error));
    }
    if (!builder.add(i, outcome)) {
      overflow++;
      continue;
    }
    if (outcome.result === 'Ok') {ok++;} else if (outcome.result === 'Dropped') {dropped++;} else {
      failedCount++;
      if (failures.length < maxLogged) failures.push({ recordId: recordIds[i], reason: outcome.reason });
    }
  }

  if (overflow > 0 && failures.length < maxLogged) {
    failures.push({
      recordId: recordIds[builder.firstOverflowIndex],
      reason: `response limit: this record and the ${overflow - 1} after it did not fit in ${options.maxResponseBytes ?? FirehoseLimits.MAX_TRANSFORM_RESPONSE_BYTES} bytes and go to the error output prefix; lower the processor's buffer size`,
    });
  }
  (options.log ?? defaultLog)({
    invocationId: event.invocationId,
    records: records.length,
    ok,
    dropped,
    failed: failedCount + overflow,
    overflow,
    failures,
  });
  return builder.build();
}

/**
 * Wraps a per-record function into a Firehose data-transformation Lambda handler.
 *
 * @example
 * import { createTransformHandler, ok, dropped } from 'cdk-kinesis-patterns/firehose';
 * export const handler = createTransformHandler((record) => {
 *   const event = record.json() as { level: string };
 *   return event.level === 'DEBUG' ? dropped() : ok(record.text() + '\n');
 * });
 */
export function createTransformHandler(
  transform: RecordTransformer,
  options: TransformBatchOptions = {},
): (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> {
  return (event) => transformBatch(event, transform, options);
}
