/** The producer's settings, their defaults, and their resolution against the stream's limits. */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { StreamTarget } from './stream';
import { BYTES, KinesisLimits } from '../../src/validation/limits';

/**
 * Defaults of the producer. They are settings, not service limits: the limits they must respect come from
 * `KinesisLimits` and the stream's maximum record size.
 */
export class ProducerDefaults {
  /** Longest a record waits for companions before it is sent, like the KPL's `RecordMaxBufferedTime`. */
  public static readonly BUFFER_TIME_MS = 100;
  /** PutRecords calls in flight at once. */
  public static readonly MAX_IN_FLIGHT_REQUESTS = 16;
  /**
   * Longest a PutRecords call may stay unanswered before it is abandoned and retried (the KPL's `RequestTimeout`):
   * the ceiling of the deadline learnt from observed latencies, and the deadline of a fresh producer's calls until
   * 20 were answered (a call in flight then gets the learnt one, counted from its send time).
   */
  public static readonly REQUEST_TIMEOUT_MS = 6000;
  /**
   * Shortest deadline of a PutRecords call, however fast the calls are answered: a premature timeout costs a
   * duplicate, so it stays far above an ordinary answer of the service (tens of milliseconds), as TCP keeps its
   * retransmission timer at 1 s or more (RFC 6298).
   */
  public static readonly MIN_REQUEST_TIMEOUT_MS = 1000;
  /** PutRecords attempts per record, the first included. */
  public static readonly MAX_ATTEMPTS = 10;
  /** Milliseconds after its first attempt past which a record is not retried (the KPL's `RecordTtl`). */
  public static readonly RETRY_TIMEOUT_MS = 30_000;
  /** First backoff after throttling; a shard's rate window is one second, so less only earns another rejection. */
  public static readonly THROTTLED_BASE_DELAY_MS = 100;
  /** First backoff after an internal failure or a broken connection. */
  public static readonly TRANSIENT_BASE_DELAY_MS = 25;
  /** Longest backoff. */
  public static readonly MAX_DELAY_MS = 2000;
  /** Largest aggregate, as the KPL's `AggregationMaxSize`: small enough to spread evenly over a second of a shard's bytes. */
  public static readonly AGGREGATION_MAX_BYTES = 50 * BYTES.KiB;
  /** Share of each shard's write limits the rate limiter allows, in percent. */
  public static readonly PERCENT_OF_SHARD_LIMIT = 100;
  /** Seconds of a shard's rate the limiter lets through at once after an idle period. */
  public static readonly RATE_LIMIT_BURST_SECONDS = 0.1;
  /** Milliseconds between shard map refreshes when nothing signals a reshard. */
  public static readonly SHARD_MAP_REFRESH_INTERVAL_MS = 60_000;
  /** Shortest gap between two shard map refreshes. */
  public static readonly SHARD_MAP_MIN_REFRESH_GAP_MS = 1000;

  private constructor() {}
}

/** Settings of a {@link KinesisProducer}. */
export interface KinesisProducerOptions extends StreamTarget {
  /**
   * The Kinesis client. Create it once per process, outside any handler, with keep-alive connections; give it
   * `maxAttempts: 1`, because the producer retries failed entries itself and SDK retries would multiply its attempts.
   */
  readonly client: KinesisClient;
  /**
   * The stream's maximum record size (data plus partition key), in bytes: its `MaxRecordSizeInKiB` times 1024.
   * It also sets the PutRecords request size (`KinesisLimits.putRecordsRequestBytes`).
   * @default KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES (1 MiB)
   */
  readonly maxRecordSizeBytes?: number;
  /**
   * Longest a record waits in the buffer for others to share its PutRecords call, in milliseconds.
   * @default ProducerDefaults.BUFFER_TIME_MS (100)
   */
  readonly bufferTimeMs?: number;
  /**
   * Buffered records that trigger a send before `bufferTimeMs` is up.
   * @default 500 (one full PutRecords call) without aggregation; without limit with aggregation (bytes decide)
   */
  readonly maxBufferedRecords?: number;
  /** @default ProducerDefaults.MAX_IN_FLIGHT_REQUESTS (16) */
  readonly maxInFlightRequests?: number;
  /**
   * Longest a PutRecords call may stay unanswered, in milliseconds. The deadline of a call is learnt from the
   * latencies of the calls answered so far (4 times the 99th percentile of the last 200; this ceiling until 20 were
   * answered), between `minRequestTimeoutMs` and this; it doubles for a call that carries entries that timed out
   * before. A call in flight is held to the deadline as it is now, counted from its send time: a call sent before
   * anything was learnt is abandoned as soon as the calls answered after it say it is overdue. A call past its
   * deadline is abandoned and its entries retried (their results then say `possibleDuplicate`); its rate-limiter
   * tokens stay spent, since it was most likely written.
   * @default ProducerDefaults.REQUEST_TIMEOUT_MS (6000)
   */
  readonly requestTimeoutMs?: number;
  /**
   * Shortest deadline of a PutRecords call, in milliseconds. Set it equal to `requestTimeoutMs` for a fixed deadline.
   * @default ProducerDefaults.MIN_REQUEST_TIMEOUT_MS (1000), or `requestTimeoutMs` when that is smaller
   */
  readonly minRequestTimeoutMs?: number;
  /** @default ProducerDefaults.MAX_ATTEMPTS (10) */
  readonly maxAttempts?: number;
  /** @default ProducerDefaults.RETRY_TIMEOUT_MS (30000) */
  readonly retryTimeoutMs?: number;
  /**
   * Pack records bound for the same shard into KPL aggregated records. Consumers must de-aggregate (the KCL, the
   * `aws-kinesis-agg` package, this library's consumer runtime). Needs `kinesis:ListShards`.
   * @default false
   */
  readonly aggregate?: boolean;
  /** @default ProducerDefaults.AGGREGATION_MAX_BYTES (50 KiB), and never more than `maxRecordSizeBytes` */
  readonly aggregationMaxBytes?: number;
  /**
   * Pace each shard at its write limits with token buckets. Needs `kinesis:ListShards`.
   * @default true
   */
  readonly rateLimit?: boolean;
  /** @default ProducerDefaults.PERCENT_OF_SHARD_LIMIT (100) */
  readonly percentOfShardLimit?: number;
  /** @default ProducerDefaults.SHARD_MAP_REFRESH_INTERVAL_MS (60000) */
  readonly shardMapRefreshIntervalMs?: number;
  /**
   * When a record fails for good, also fail the records of the same partition key that wait behind it (code
   * `PrecedingRecordFailed`), so that nothing of the key is written after a gap. Turn off to write them anyway.
   * @default true
   */
  readonly haltKeyOnFailure?: boolean;
  /** Random source for backoff jitter, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

export type ResolvedOptions = Required<Omit<KinesisProducerOptions, 'streamName' | 'streamArn' | 'random'>> & {
  readonly random: () => number;
  readonly maxRequestBytes: number;
};

export function resolveOptions(options: KinesisProducerOptions): ResolvedOptions {
  const maxRecordSizeBytes = options.maxRecordSizeBytes ?? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES;
  const minRecord = KinesisLimits.MIN_MAX_RECORD_SIZE_KIB * BYTES.KiB;
  const maxRecord = KinesisLimits.MAX_MAX_RECORD_SIZE_KIB * BYTES.KiB;
  if (!(maxRecordSizeBytes >= minRecord && maxRecordSizeBytes <= maxRecord)) {
    throw new RangeError(`maxRecordSizeBytes is ${maxRecordSizeBytes}; a stream's maximum record size is ${minRecord} to ${maxRecord} bytes`);
  }
  const aggregate = options.aggregate ?? false;
  const requestTimeoutMs = options.requestTimeoutMs ?? ProducerDefaults.REQUEST_TIMEOUT_MS;
  const resolved: ResolvedOptions = {
    client: options.client,
    maxRecordSizeBytes,
    maxRequestBytes: KinesisLimits.putRecordsRequestBytes(maxRecordSizeBytes),
    bufferTimeMs: options.bufferTimeMs ?? ProducerDefaults.BUFFER_TIME_MS,
    maxBufferedRecords: options.maxBufferedRecords ?? (aggregate ? Number.MAX_SAFE_INTEGER : KinesisLimits.MAX_RECORDS_PER_PUT_RECORDS),
    maxInFlightRequests: options.maxInFlightRequests ?? ProducerDefaults.MAX_IN_FLIGHT_REQUESTS,
    requestTimeoutMs,
    minRequestTimeoutMs: options.minRequestTimeoutMs ?? Math.min(ProducerDefaults.MIN_REQUEST_TIMEOUT_MS, requestTimeoutMs),
    maxAttempts: options.maxAttempts ?? ProducerDefaults.MAX_ATTEMPTS,
    retryTimeoutMs: options.retryTimeoutMs ?? ProducerDefaults.RETRY_TIMEOUT_MS,
    aggregate,
    aggregationMaxBytes: Math.min(options.aggregationMaxBytes ?? ProducerDefaults.AGGREGATION_MAX_BYTES, maxRecordSizeBytes),
    rateLimit: options.rateLimit ?? true,
    percentOfShardLimit: options.percentOfShardLimit ?? ProducerDefaults.PERCENT_OF_SHARD_LIMIT,
    shardMapRefreshIntervalMs: options.shardMapRefreshIntervalMs ?? ProducerDefaults.SHARD_MAP_REFRESH_INTERVAL_MS,
    haltKeyOnFailure: options.haltKeyOnFailure ?? true,
    random: options.random ?? Math.random,
  };
  const positive: Array<keyof ResolvedOptions> = ['maxBufferedRecords', 'maxInFlightRequests', 'requestTimeoutMs', 'minRequestTimeoutMs', 'maxAttempts', 'aggregationMaxBytes', 'percentOfShardLimit'];
  for (const name of positive) {
    const value = resolved[name] as number;
    if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  }
  if (!(resolved.minRequestTimeoutMs <= resolved.requestTimeoutMs)) {
    throw new RangeError(`minRequestTimeoutMs (${resolved.minRequestTimeoutMs}) must not exceed requestTimeoutMs (${resolved.requestTimeoutMs})`);
  }
  if (!(resolved.bufferTimeMs >= 0) || !(resolved.retryTimeoutMs >= 0)) {
    throw new RangeError(`bufferTimeMs and retryTimeoutMs must not be negative, got ${resolved.bufferTimeMs} and ${resolved.retryTimeoutMs}`);
  }
  return resolved;
}
