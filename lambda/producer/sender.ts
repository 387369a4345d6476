/**
 * One PutRecords call that the producer can abandon: a hung connection costs a timeout, not the function's life. The
 * producer, not the call, decides when: a call's deadline follows what the producer learns while it is in flight.
 */
import { KinesisClient, PutRecordsCommand, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { Entry } from './entry';
import { ProducerErrorCode } from './errors';
import { StreamTarget, streamParams } from './stream';

/** Thrown when the call outlives its deadline; classified as an ambiguous transient failure. */
export class RequestTimeoutError extends Error {
  /** @param timeoutMs the deadline the call outlived */
  constructor(public readonly timeoutMs: number) {
    super(`PutRecords did not answer within ${timeoutMs} ms`);
    this.name = ProducerErrorCode.REQUEST_TIMEOUT;
  }
}

/**
 * Sends the entries and returns the response's per-entry results, in request order.
 * @param signal aborts the call; aborted with a {@link RequestTimeoutError} as its reason, the call throws that error
 * @throws whatever the call throws (the caller classifies it), or {@link RequestTimeoutError}.
 */
export async function putRecords(
  client: KinesisClient, stream: StreamTarget, entries: readonly Entry[], signal: AbortSignal,
): Promise<PutRecordsResultEntry[]> {
  try {
    const response = await client.send(new PutRecordsCommand({
      ...streamParams(stream),
      Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
    }), { abortSignal: signal });
    const results = response.Records ?? [];
    if (results.length !== entries.length) {
      throw Object.assign(new Error(`PutRecords answered ${results.length} result(s) for ${entries.length} entries`), { name: 'InvalidResponse' });
    }
    return results;
  } catch (err) {
    if (signal.aborted && signal.reason instanceof RequestTimeoutError) throw signal.reason;
    throw err;
  }
}
