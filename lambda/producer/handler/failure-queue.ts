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
  /**
   * Why SQS refused the message with its data, when it did (e.g. the queue accepts smaller messages than the SQS
   * limit); absent when the data was left out because it could never fit.
   */
  readonly dataRefusedCode?: string;
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
    const byId = new Map(failed.map((r) => [String(r.index), r]));
    await Promise.all(batches.map(async (entries) => {
      // Entries SQS refuses for its own reasons (throttling, a busy queue) are tried again. An entry refused as the
      // sender's fault with its data (a queue that accepts smaller messages than SQS does) is tried again without its
      // data, so that the failure is kept with its keys and error. What is still refused stays unqueued and is
      // reported as such, never silently dropped.
      let remaining = entries;
      const stripped = new Set<string>();
      for (let attempt = 0; attempt < 3 && remaining.length > 0; attempt++) {
        try {
          const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: remaining }));
          (out.Successful ?? []).forEach((s) => queued.add(Number(s.Id)));
          const next: SendMessageBatchRequestEntry[] = [];
          for (const f of out.Failed ?? []) {
            const entry = remaining.find((e) => e.Id === f.Id);
            const result = f.Id === undefined ? undefined : byId.get(f.Id);
            if (entry === undefined || result === undefined) continue;
            if (!f.SenderFault) {
              next.push(entry);
            } else if (!stripped.has(entry.Id!) && result.record.data.length > 0) {
              stripped.add(entry.Id!);
              next.push({ Id: entry.Id, MessageBody: messageOf(stream, result, f.Code ?? 'SenderFault') });
            } else {
              console.error(JSON.stringify({ message: 'failure queue refused a message', queueUrl: this.queueUrl, index: result.index, code: f.Code, detail: f.Message }));
            }
          }
          remaining = next;
        } catch (err) {
          console.error(JSON.stringify({ message: 'failure queue send failed', queueUrl: this.queueUrl, error: String(err) }));
        }
      }
    }));
    return queued;
  }
}

/** The message of a failed result; without its data when it would not fit, or when SQS refused it (`refusedCode`). */
function messageOf(stream: string, r: PutResult, refusedCode?: string): string {
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
  if (refusedCode !== undefined) return JSON.stringify({ ...base, dataOmittedBytes: r.record.data.length, dataRefusedCode: refusedCode });
  const withData = JSON.stringify({ ...base, data: Buffer.from(r.record.data).toString('base64') });
  if (Buffer.byteLength(withData, 'utf8') <= SqsLimits.MAX_MESSAGE_BYTES) return withData;
  return JSON.stringify({ ...base, dataOmittedBytes: r.record.data.length });
}
