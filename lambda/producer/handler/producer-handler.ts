/** The producer handler's logic, apart from the module-level clients, so tests can give it their own. */
import { randomUUID } from 'crypto';
import type { Context } from 'aws-lambda';
import { ProducerErrorCode, RecordError } from '../errors';
import { KinesisProducer } from '../producer';
import { PutResult } from '../result';
import { HandlerConfig } from './config';
import { BadRequestError, httpResponse, httpStatusOf, parseInvocation, ProducerResponse, RecordOutcome, toRecord } from './events';
import { FailureQueue } from './failure-queue';

export interface ProducerHandlerDeps {
  readonly config: HandlerConfig;
  readonly producer: KinesisProducer;
  readonly failureQueue?: FailureQueue;
}

/**
 * Time kept back from the function's timeout to send failures to the queue and answer: past it, records still
 * buffered or retried are given up (code `FunctionTimeout`) and queued rather than lost with a killed invocation.
 */
export const TIMEOUT_RESERVE_MS = 2000;

export function createProducerHandler(deps: ProducerHandlerDeps) {
  const stream = deps.config.streamArn ?? deps.config.streamName!;

  return async (event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<unknown> => {
    let parsed;
    try {
      parsed = parseInvocation(event, deps.config.maxPayloadBytes);
    } catch (err) {
      if (err instanceof BadRequestError && isHttp(event)) return httpResponse(err.status, { message: err.message });
      throw err;
    }

    const pending: Array<Promise<PutResult>> = parsed.events.map((e, index) => {
      const record = toRecord(e, deps.config.partitionKeyPath, randomUUID);
      if (typeof record === 'string') {
        return Promise.resolve(invalid(index, record, e));
      }
      return deps.producer.put(record, index);
    });

    const budget = context.getRemainingTimeInMillis() - TIMEOUT_RESERVE_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, budget));
    });
    if ((await Promise.race([deps.producer.flush(), deadline])) === 'timeout') {
      deps.producer.abandon('FunctionTimeout', 'the function was about to time out before the record was written');
    }
    clearTimeout(timer);
    const results = await Promise.all(pending);

    const failed = results.filter((r) => !r.succeeded);
    const queued = failed.length > 0 && deps.failureQueue ? await deps.failureQueue.send(stream, failed) : new Set<number>();
    const response: ProducerResponse = {
      total: results.length,
      succeeded: results.length - failed.length,
      failed: failed.length,
      failureQueued: queued.size,
      results: results.map((r) => outcome(r, queued)),
    };
    console.log(JSON.stringify({
      message: 'producer invocation',
      stream,
      total: response.total,
      failed: response.failed,
      failureQueued: response.failureQueued,
      metrics: deps.producer.metrics,
    }));
    return parsed.http ? httpResponse(httpStatusOf(response), response) : response;
  };
}

function isHttp(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'requestContext' in event;
}

function invalid(index: number, message: string, event: unknown): PutResult {
  const data = Buffer.from(JSON.stringify(event) ?? 'null', 'utf8');
  return {
    index,
    record: { partitionKey: '', data },
    succeeded: false,
    attempts: 0,
    possibleDuplicate: false,
    error: new RecordError({ code: ProducerErrorCode.VALIDATION, message, index, partitionKey: '', attempts: 0, retryable: false }),
  };
}

function outcome(r: PutResult, queued: ReadonlySet<number>): RecordOutcome {
  if (r.succeeded) {
    return { index: r.index, status: 'ok', shardId: r.shardId, sequenceNumber: r.sequenceNumber, subSequenceNumber: r.subSequenceNumber, possibleDuplicate: r.possibleDuplicate };
  }
  return {
    index: r.index,
    status: 'failed',
    errorCode: r.error?.code,
    errorMessage: r.error?.message,
    retryable: r.error?.retryable,
    possibleDuplicate: r.possibleDuplicate,
    failureQueued: queued.has(r.index),
  };
}
