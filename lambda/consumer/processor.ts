import type { Context, KinesisStreamBatchItemFailure, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { checkpointId } from './checkpoint';
import type { CheckpointKey, CheckpointStore } from './checkpoint';
import { ArrayCursor, decodeBatch, EventCursor, surveyBatch } from './cursor';
import type { UserRecordCursor } from './cursor';
import { RecordError, RecordNotAttemptedError, messageOf } from './errors';
import { comparePositions, compareSequenceNumbers } from './position';
import type { RecordPosition } from './position';
import type { DecodedRecord, KinesisUserRecord } from './records';
import { BatchRun } from './scheduler';

/** Handles one user record. Throw (or reject) to fail it; the return value is ignored. */
export type RecordHandler<T> = (body: T, record: KinesisUserRecord) => unknown;

/** Turns a record's bytes into the body the handler receives. Throw to fail the record. */
export type RecordParser<T> = (data: Buffer, record: KinesisUserRecord) => T;

/** Options of `processKinesisBatch` and `createKinesisHandler`. */
export interface ConsumerOptions<T> {
  /** Turns bytes into the handler's body, e.g. `jsonParser()`. @default the bytes (`Buffer`) */
  readonly parser?: RecordParser<T>;
  /**
   * Stop the whole shard at the first failure instead of only the failing partition key. Use it when records of
   * different keys depend on each other; it gives up concurrency between keys. @default false
   */
  readonly strict?: boolean;
  /**
   * Partition keys that may have a record in flight at the same time, when the handler returns promises; the records of
   * one key are always handled one after the other. @default 10
   */
  readonly keyConcurrency?: number;
  /** Where to remember what was handled, so that retried records are skipped. @default no idempotency */
  readonly checkpoints?: CheckpointStore;
  /**
   * Records are no longer started when less than this is left of the invocation; they are reported as failures so
   * that Lambda retries them instead of the invocation timing out (which would retry the whole batch).
   * Only applies when a Lambda context is given. @default 2000
   */
  readonly timeoutMarginMillis?: number;
  /** Called once per failed record, e.g. to log it. @default one JSON line on stderr per failure */
  readonly onFailure?: (error: RecordError) => void;
}

/** What happened to a batch. */
export interface BatchOutcome extends KinesisStreamBatchResponse {
  /** The records at which a group stopped, in position order: failed, or not attempted for lack of time. */
  readonly failures: RecordError[];
  /** User records handled successfully in this invocation. */
  readonly handled: number;
  /** User records skipped because a checkpoint showed an earlier attempt had handled them. */
  readonly skipped: number;
}

const DEFAULT_KEY_CONCURRENCY = 10;
const DEFAULT_TIMEOUT_MARGIN_MILLIS = 2000;

function logFailure(error: RecordError): void {
  // A record left for lack of time did not fail: a warning keeps alerts on logged errors meaningful.
  const level = error instanceof RecordNotAttemptedError ? 'WARN' : 'ERROR';
  console.error(JSON.stringify({ level, message: level === 'WARN' ? 'record not attempted' : 'record failed', error: error.name, detail: error.message, cause: messageOf(error.cause), ...error.record }));
}

/**
 * Handles a Lambda Kinesis batch with `handler`, one record at a time per partition key, and says where Lambda must
 * resume. Never throws for a record's failure: a failure stops its partition key (or, in strict mode, its shard)
 * and is reported in `batchItemFailures` by the sequence number of the Kinesis record that carried it.
 *
 * Lambda checkpoints just before the lowest reported sequence number and retries everything from there, including
 * records of other keys handled after it and, for an aggregate, the user records before the failing one; with
 * `checkpoints` those are skipped on the retry.
 *
 * Records are decoded as they are reached, in event order, so a batch costs little more than a hand-written loop over
 * it. Only a batch that must be seen whole is decoded up front: with `checkpoints` (to load every key's checkpoint in
 * one request), or when a shard's records are not in sequence order (a hand-built event or replay; they are sorted).
 *
 * A record whose data is not base64 fails alone, as a `RecordDecodeError`, like a corrupt aggregate.
 *
 * @throws InvalidEventError when the event is not a Kinesis stream event (no `Records` array, a record without
 * `kinesis`, `data`, `sequenceNumber`, `partitionKey` or `eventID`), before any record is handled: the invocation
 * fails and Lambda retries the batch.
 */
export async function processKinesisBatch<T = Buffer>(
  event: KinesisStreamEvent,
  handler: RecordHandler<T>,
  options: ConsumerOptions<T> = {},
  context?: Context,
): Promise<BatchOutcome> {
  const keyConcurrency = options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY;
  if (!Number.isInteger(keyConcurrency) || keyConcurrency < 1) throw new Error(`keyConcurrency must be a whole number of at least 1, got ${keyConcurrency}`);
  const checkpoints = options.checkpoints;
  const survey = surveyBatch(event);
  let cursor: UserRecordCursor = new EventCursor(event.Records, survey.shardId);
  let saved: Map<string, RecordPosition> | undefined;
  if (checkpoints !== undefined || !survey.inOrder) {
    const records = decodeBatch(event, survey);
    if (checkpoints !== undefined) saved = await checkpoints.load(checkpointKeysOf(records));
    cursor = new ArrayCursor(records);
  }
  const run = new BatchRun<T>({
    handler,
    parser: options.parser,
    strict: options.strict ?? false,
    keyConcurrency,
    shardId: survey.shardId,
    checkpoints,
    saved,
    deadline: context ? Date.now() + context.getRemainingTimeInMillis() - (options.timeoutMarginMillis ?? DEFAULT_TIMEOUT_MARGIN_MILLIS) : undefined,
    context,
  });
  latest.batch = { run, cursor };
  await run.run(cursor);
  await run.saveCheckpoints();

  const stops = run.stops.sort((a, b) => comparePositions(a.record, b.record));
  const onFailure = options.onFailure ?? logFailure;
  const batchItemFailures: KinesisStreamBatchItemFailure[] = [];
  for (const stop of stops) {
    onFailure(stop);
    const last = batchItemFailures[batchItemFailures.length - 1];
    if (last === undefined || compareSequenceNumbers(last.itemIdentifier, stop.record.sequenceNumber) !== 0) {
      batchItemFailures.push({ itemIdentifier: stop.record.sequenceNumber });
    }
  }
  return { batchItemFailures, failures: stops, handled: run.handled, skipped: run.skipped };
}

/**
 * The objects of the latest batch, kept until the next one: the run (with its settings, lanes, shard states and first
 * record) and the cursor (with its last aggregate and layout), not the event. V8 keeps the hidden classes that
 * optimized code is specialised for alive only through live objects: a full garbage collection between two
 * invocations that found none of them would collect those classes, and every optimized function of the hot path
 * that checks them would be thrown away, so that the next batch ran in the interpreter while it re-optimized.
 */
const latest: { batch?: { readonly run: object; readonly cursor: UserRecordCursor } } = {};

function checkpointKeysOf(records: readonly DecodedRecord[]): CheckpointKey[] {
  const keys = new Map<string, CheckpointKey>();
  for (const { shardId, partitionKey } of records) {
    const key = { shardId, partitionKey };
    keys.set(checkpointId(key), key);
  }
  return [...keys.values()];
}

/**
 * Wraps a record handler into a Lambda handler for a Kinesis event source mapping with `ReportBatchItemFailures`.
 * Create it once, at module level, so that clients in `options` live as long as the container.
 */
export function createKinesisHandler<T = Buffer>(
  handler: RecordHandler<T>,
  options: ConsumerOptions<T> = {},
): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  return async (event, context) => {
    const outcome = await processKinesisBatch(event, handler, options, context);
    return { batchItemFailures: outcome.batchItemFailures };
  };
}

/**
 * A parser for JSON records. Give `validate` to check the shape and narrow the type; it throws to reject a record.
 */
export function jsonParser<T = unknown>(validate?: (value: unknown, record: KinesisUserRecord) => T): RecordParser<T> {
  return (data, record) => {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return validate ? validate(value, record) : value as T;
  };
}
