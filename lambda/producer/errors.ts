/**
 * Errors the producer reports per record. Each carries the record it belongs to (its index and partition key), so
 * a caller can build a partial-failure response or a redrive message without guessing.
 */

/** Error codes a {@link RecordError} may carry besides the ones Kinesis returns (`ProvisionedThroughputExceededException`, `InternalFailure`, ...). */
export const ProducerErrorCode = {
  /** The record breaks a Kinesis rule (partition key length, record size, explicit hash key); it was never sent. */
  VALIDATION: 'ValidationError',
  /** An earlier record of the same partition key failed, so this one was not written, to keep the key's order. */
  PRECEDING_RECORD_FAILED: 'PrecedingRecordFailed',
  /** The producer was closed before the record could be written. */
  PRODUCER_CLOSED: 'ProducerClosed',
  /** The PutRecords call did not answer within the request timeout. */
  REQUEST_TIMEOUT: 'RequestTimeout',
} as const;

export interface RecordErrorProps {
  readonly code: string;
  readonly message: string;
  /** Position of the record: in the array given to `putAll`, or the submission counter for `put`. */
  readonly index: number;
  readonly partitionKey: string;
  /** PutRecords attempts made for the record before giving up (0 when it was never sent). */
  readonly attempts: number;
  /** Whether another attempt later might succeed (throttling, internal failures, timeouts). */
  readonly retryable: boolean;
}

/** Why one record could not be written. */
export class RecordError extends Error {
  public readonly code: string;
  public readonly index: number;
  public readonly partitionKey: string;
  public readonly attempts: number;
  public readonly retryable: boolean;

  constructor(props: RecordErrorProps) {
    super(`record ${props.index} (partition key '${truncate(props.partitionKey)}'): ${props.code}: ${props.message}`);
    this.name = 'RecordError';
    this.code = props.code;
    this.index = props.index;
    this.partitionKey = props.partitionKey;
    this.attempts = props.attempts;
    this.retryable = props.retryable;
  }
}

function truncate(key: string): string {
  return key.length > 64 ? `${key.slice(0, 61)}...` : key;
}
