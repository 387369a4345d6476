/**
 * Sends records that could not be written to an SQS queue, so they are kept (up to 14 days) for inspection and
 * redrive instead of being lost with the invocation. A message holds one record: its data, keys and error.
 */
import { SendMessageBatchCommand, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { SqsLimits } from '../../../src/validation/limits';
import { PutResult } from '../result';

/** The body of a failure message. */
export interface FailureMessage {
  readonly stream: string;
  readonly index: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly possibleDuplicate: boolean;
  readonly failedAt: string;
  /** The record's data, base64; absent when the message would exceed the SQS size limit. */
  readonly data?: string;
  /** Size of the data when it was left out. */
  readonly dataOmittedBytes?: number;
}

export class FailureQueue {
  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string) {}

  /** Sends one message per failed result; returns the indexes of the results now safely in the queue. */
  public async send(stream: string, failed: readonly PutResult[]): Promise<Set<number>> {
    const queued = new Set<number>();
    const batches: SendMessageBatchRequestEntry[][] = [];
    let batch: SendMessageBatchRequestEntry[] = [];
    let batchBytes = 0;
    for (const r of failed) {
      const body = messageOf(stream, r);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (batch.length === SqsLimits.MAX_MESSAGES_PER_SEND_BATCH || batchBytes + bytes > SqsLimits.MAX_SEND_BATCH_BYTES) {
        batches.push(batch);
        batch = [];
        batchBytes = 0;
      }
      batch.push({ Id: String(r.index), MessageBody: body });
      batchBytes += bytes;
    }
    if (batch.length > 0) batches.push(batch);
    await Promise.all(batches.map(async (entries) => {
      // Entries SQS refuses on the first try (throttling, a busy queue) get one more; the rest stay unqueued and
      // are reported as such, never silently dropped.
      let remaining = entries;
      for (let attempt = 0; attempt < 2 && remaining.length > 0; attempt++) {
        try {
          const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: remaining }));
          (out.Successful ?? []).forEach((s) => queued.add(Number(s.Id)));
          const failedIds = new Set((out.Failed ?? []).filter((f) => !f.SenderFault).map((f) => f.Id));
          remaining = remaining.filter((e) => failedIds.has(e.Id));
        } catch (err) {
          console.error(JSON.stringify({ message: 'failure queue send failed', queueUrl: this.queueUrl, error: String(err) }));
        }
      }
    }));
    return queued;
  }
}

function messageOf(stream: string, r: PutResult): string {
  const base: FailureMessage = {
    stream,
    index: r.index,
    partitionKey: r.record.partitionKey,
    explicitHashKey: r.record.explicitHashKey,
    errorCode: r.error?.code ?? 'Unknown',
    errorMessage: r.error?.message ?? '',
    attempts: r.attempts,
    possibleDuplicate: r.possibleDuplicate,
    failedAt: new Date().toISOString(),
  };
  const withData = JSON.stringify({ ...base, data: Buffer.from(r.record.data).toString('base64') });
  if (Buffer.byteLength(withData, 'utf8') <= SqsLimits.MAX_MESSAGE_BYTES) return withData;
  return JSON.stringify({ ...base, dataOmittedBytes: r.record.data.length });
}
