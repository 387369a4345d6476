/** One PutRecords call with a deadline of its own, so a hung connection costs a timeout, not the function's life. */
import { KinesisClient, PutRecordsCommand, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { Entry } from './entry';
import { ProducerErrorCode } from './errors';
import { StreamTarget, streamParams } from './stream';

/** Thrown when the call outlives its timeout; classified as an ambiguous transient failure. */
export class RequestTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`PutRecords did not answer within ${timeoutMs} ms`);
    this.name = ProducerErrorCode.REQUEST_TIMEOUT;
  }
}

/**
 * Sends the entries and returns the response's per-entry results, in request order.
 * @throws whatever the call throws (the caller classifies it), or {@link RequestTimeoutError}.
 */
export async function putRecords(client: KinesisClient, stream: StreamTarget, entries: readonly Entry[], timeoutMs: number): Promise<PutRecordsResultEntry[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await client.send(new PutRecordsCommand({
      ...streamParams(stream),
      Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
    }), { abortSignal: abort.signal });
    const results = response.Records ?? [];
    if (results.length !== entries.length) {
      throw Object.assign(new Error(`PutRecords answered ${results.length} result(s) for ${entries.length} entries`), { name: 'InvalidResponse' });
    }
    return results;
  } catch (err) {
    if (abort.signal.aborted) throw new RequestTimeoutError(timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
