import type { Context, KinesisStreamBatchItemFailure, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { checkpointId } from './checkpoint';
import type { CheckpointKey, CheckpointStore } from './checkpoint';
import { RecordError, RecordHandlerError, RecordNotAttemptedError, messageOf } from './errors';
import { partitionKeyOf, planBatch, userRecordOf } from './plan';
import type { RecordGroup } from './plan';
import { comparePositions, compareSequenceNumbers } from './position';
import type { RecordPosition } from './position';
import type { DecodedRecord, KinesisUserRecord } from './records';

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
  /** Partition keys handled at the same time; the records of one key are always handled one after the other. @default 10 */
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

interface RunState<T> {
  readonly handler: RecordHandler<T>;
  readonly parser?: RecordParser<T>;
  readonly checkpoints?: CheckpointStore;
  readonly saved: Map<string, RecordPosition>;
  readonly deadline?: number;
  readonly context?: Context;
  handled: number;
  skipped: number;
}

/**
 * Handles a Lambda Kinesis batch with `handler`, one record at a time per partition key, and says where Lambda must
 * resume. Never throws for a record's failure: a failure stops its partition key (or, in strict mode, its shard)
 * and is reported in `batchItemFailures` by the sequence number of the Kinesis record that carried it.
 *
 * Lambda checkpoints just before the lowest reported sequence number and retries everything from there, including
 * records of other keys handled after it and, for an aggregate, the user records before the failing one; with
 * `checkpoints` those are skipped on the retry.
 */
export async function processKinesisBatch<T = Buffer>(
  event: KinesisStreamEvent,
  handler: RecordHandler<T>,
  options: ConsumerOptions<T> = {},
  context?: Context,
): Promise<BatchOutcome> {
  const concurrency = options.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`keyConcurrency must be a whole number of at least 1, got ${concurrency}`);
  const groups = planBatch(event, options.strict ?? false);
  const saved = options.checkpoints ? await options.checkpoints.load(checkpointKeysOf(groups)) : new Map<string, RecordPosition>();
  const state: RunState<T> = {
    handler,
    parser: options.parser,
    checkpoints: options.checkpoints,
    saved,
    deadline: context ? Date.now() + context.getRemainingTimeInMillis() - (options.timeoutMarginMillis ?? DEFAULT_TIMEOUT_MARGIN_MILLIS) : undefined,
    context,
    handled: 0,
    skipped: 0,
  };

  const stops: RecordError[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const stop = await runGroup(groups[next++], state);
      if (stop) stops.push(stop);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));

  stops.sort((a, b) => comparePositions(a.record, b.record));
  const onFailure = options.onFailure ?? logFailure;
  const batchItemFailures: KinesisStreamBatchItemFailure[] = [];
  for (const stop of stops) {
    onFailure(stop);
    const last = batchItemFailures[batchItemFailures.length - 1];
    if (last === undefined || compareSequenceNumbers(last.itemIdentifier, stop.record.sequenceNumber) !== 0) {
      batchItemFailures.push({ itemIdentifier: stop.record.sequenceNumber });
    }
  }
  return { batchItemFailures, failures: stops, handled: state.handled, skipped: state.skipped };
}

function checkpointKeysOf(groups: readonly RecordGroup[]): CheckpointKey[] {
  const keys = new Map<string, CheckpointKey>();
  for (const group of groups) {
    for (let i = 0; i < group.records.length; i++) {
      const key = { shardId: group.shardId, partitionKey: partitionKeyOf(group, i) };
      keys.set(checkpointId(key), key);
    }
  }
  return [...keys.values()];
}

/** Runs one group in order; returns the record it stopped at, if it stopped. */
async function runGroup<T>(group: RecordGroup, state: RunState<T>): Promise<RecordError | undefined> {
  const lastHandled = state.checkpoints ? new Map<string, DecodedRecord>() : undefined;
  let stop: RecordError | undefined;
  for (let i = 0; i < group.records.length; i++) {
    const record = userRecordOf(group, i);
    if (record.decodeError) {
      stop = record.decodeError;
      break;
    }
    if (state.checkpoints) {
      const saved = state.saved.get(checkpointId(record));
      if (saved !== undefined && comparePositions(record, saved) <= 0) {
        state.skipped++;
        continue;
      }
    }
    // Once something was handled: an invocation that stops before its first record would be retried identically until
    // its attempts ran out, sending a healthy batch to the failure destination.
    if (state.deadline !== undefined && state.handled > 0 && Date.now() >= state.deadline) {
      stop = new RecordNotAttemptedError(record, state.context!.getRemainingTimeInMillis());
      break;
    }
    try {
      const data = record.data;
      const body = state.parser ? state.parser(data, record) : data as unknown as T;
      const result = state.handler(body, record) as { then?: unknown } | undefined;
      // Awaiting only real promises keeps synchronous handlers free of a microtask per record.
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') await result;
    } catch (error) {
      stop = new RecordHandlerError(record, error);
      break;
    }
    state.handled++;
    lastHandled?.set(record.partitionKey, record);
  }
  if (lastHandled && lastHandled.size > 0) await saveCheckpoints(group.shardId, lastHandled, state.checkpoints!);
  return stop;
}

async function saveCheckpoints(shardId: string, lastHandled: Map<string, DecodedRecord>, store: CheckpointStore): Promise<void> {
  await Promise.all([...lastHandled].map(async ([partitionKey, record]) => {
    try {
      await store.save({ shardId, partitionKey }, record);
    } catch (error) {
      // The records were handled; failing them now would repeat their effects. A lost checkpoint only means that a
      // later retry of this batch may handle them again, which is what happens without idempotency.
      console.error(JSON.stringify({ level: 'WARN', message: 'checkpoint not saved', shardId, partitionKey, sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber, cause: messageOf(error) }));
    }
  }));
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
