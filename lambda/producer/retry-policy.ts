/**
 * Which failures are worth another attempt, and how long to wait before it.
 *
 * Throttling and internal failures are different problems: a throttled shard needs its per-second window to roll
 * over, so retrying sooner than ~100 ms only burns another rejection; an internal failure is a transient fault on
 * one host, which a quick retry usually clears. Both back off exponentially with jitter so that many producers do
 * not retry in lockstep.
 */

/** How a failure is retried. */
export const FailureKind = {
  /** The shard (or the KMS key) is over its rate: retry after the window rolls over. */
  THROTTLED: 'throttled',
  /** A transient service or network fault: retry soon. */
  TRANSIENT: 'transient',
  /** Retrying cannot help (bad request, missing stream, denied access). */
  FATAL: 'fatal',
} as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

export interface ClassifiedFailure {
  readonly kind: FailureKind;
  readonly code: string;
  readonly message: string;
  /** The request may have been applied although it failed (timeout, reset, 5xx): a retry may write a duplicate. */
  readonly ambiguous: boolean;
}

export interface RetryPolicyOptions {
  /** PutRecords attempts per record, the first included. */
  readonly maxAttempts: number;
  /** Milliseconds after a record's first attempt past which it is not retried any more. */
  readonly retryTimeoutMs: number;
  /** First backoff after a throttled attempt, in milliseconds; doubles per attempt. */
  readonly throttledBaseDelayMs: number;
  /** First backoff after a transient failure, in milliseconds; doubles per attempt. */
  readonly transientBaseDelayMs: number;
  /** Longest backoff, in milliseconds. */
  readonly maxDelayMs: number;
  /** Random number source in [0, 1), for jitter; injectable so tests are deterministic. */
  readonly random?: () => number;
}

const THROTTLING_CODES = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
]);

const FATAL_CODES = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'SerializationException',
]);

/** Node and SDK names of failures below HTTP: the connection broke or never answered. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

/** Classifies the error code of one failed entry in a PutRecords response. */
export function classifyEntryError(code: string, message: string): ClassifiedFailure {
  if (THROTTLING_CODES.has(code)) return { kind: FailureKind.THROTTLED, code, message, ambiguous: false };
  if (FATAL_CODES.has(code)) return { kind: FailureKind.FATAL, code, message, ambiguous: false };
  // InternalFailure, and codes Kinesis may add later: bounded retries are the safe default for the unknown.
  return { kind: FailureKind.TRANSIENT, code, message, ambiguous: false };
}

/** Classifies an error thrown by the PutRecords call as a whole. */
export function classifyRequestError(err: unknown): ClassifiedFailure {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
  const message = e.message ?? String(err);
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (THROTTLING_CODES.has(code) || status === 429) return { kind: FailureKind.THROTTLED, code, message, ambiguous: false };
  if (FATAL_CODES.has(code)) return { kind: FailureKind.FATAL, code, message, ambiguous: false };
  if (TIMEOUT_NAMES.has(code) || NETWORK_CODES.has(code) || NETWORK_CODES.has(e.code ?? '') || /socket hang up/i.test(message)) {
    // ECONNREFUSED means the request never left; everything else may have reached the service.
    return { kind: FailureKind.TRANSIENT, code, message, ambiguous: code !== 'ECONNREFUSED' && e.code !== 'ECONNREFUSED' };
  }
  if (status !== undefined && status >= 500) return { kind: FailureKind.TRANSIENT, code, message, ambiguous: true };
  if (status !== undefined && status >= 400) return { kind: FailureKind.FATAL, code, message, ambiguous: false };
  // No HTTP status at all: the failure happened on the way (parsing a truncated response, a dropped socket).
  return { kind: FailureKind.TRANSIENT, code, message, ambiguous: true };
}

export class RetryPolicy {
  private readonly random: () => number;

  constructor(public readonly options: RetryPolicyOptions) {
    this.random = options.random ?? Math.random;
  }

  /**
   * Milliseconds to wait before attempt `attempts + 1`, or undefined when the record must not be retried: the
   * failure is fatal, attempts are used up, or the wait would end past the retry timeout.
   */
  public nextDelay(failure: ClassifiedFailure, attempts: number, firstAttemptAt: number, now: number): number | undefined {
    if (failure.kind === FailureKind.FATAL || attempts >= this.options.maxAttempts) return undefined;
    const throttled = failure.kind === FailureKind.THROTTLED;
    const base = throttled ? this.options.throttledBaseDelayMs : this.options.transientBaseDelayMs;
    const ceiling = Math.min(this.options.maxDelayMs, base * 2 ** Math.min(attempts - 1, 30));
    // Throttled: "equal jitter" keeps at least half the wait, so the retry lands in a later rate window.
    // Transient: "full jitter" spreads retries widest. See the AWS Architecture Blog, "Exponential Backoff And Jitter".
    const delay = Math.round(throttled ? ceiling / 2 + this.random() * (ceiling / 2) : this.random() * ceiling);
    if (now + delay - firstAttemptAt > this.options.retryTimeoutMs) return undefined;
    return delay;
  }
}
