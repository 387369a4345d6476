import type { RequestDeadline } from './request-deadline';

/** What a producer did so far: to log at the end of an invocation, or to compare runs in a benchmark. */
export interface ProducerMetricsSnapshot {
  /** PutRecords calls made. */
  readonly requests: number;
  /** Entries (Kinesis records, aggregates counting once) sent, retries included. */
  readonly entries: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Entries scheduled for another attempt. */
  readonly retries: number;
  /** Entry attempts rejected for throughput (ProvisionedThroughputExceeded, KMS throttling). */
  readonly throttled: number;
  /** Entry attempts that failed transiently (InternalFailure, 5xx, timeouts, resets). */
  readonly transientFailures: number;
  /** PutRecords calls that failed as a whole. */
  readonly requestErrors: number;
  /** PutRecords calls abandoned because they were not answered within their deadline (counted in `requestErrors` too). */
  readonly requestTimeouts: number;
  /** The deadline a call without earlier timeouts gets now, learnt from the answered calls' latencies. */
  readonly requestDeadlineMs: number;
  /** Median latency of the recent answered calls (undefined before the first answer): a key's round trip. */
  readonly requestLatencyP50Ms?: number;
  /** 99th percentile latency of the recent answered calls. */
  readonly requestLatencyP99Ms?: number;
  /** Entries that landed on a shard the map did not predict (a sign of resharding). */
  readonly wrongShard: number;
  /** User records sent again because their aggregate landed on a shard whose range does not hold them. */
  readonly resentAfterReshard: number;
  readonly shardMapRefreshes: number;
  /** Records buffered, not yet in a request. */
  readonly waiting: number;
  /** PutRecords calls in flight. */
  readonly inFlight: number;
}

export class ProducerMetrics {
  public requests = 0;
  public entries = 0;
  public succeeded = 0;
  public failed = 0;
  public retries = 0;
  public throttled = 0;
  public transientFailures = 0;
  public requestErrors = 0;
  public requestTimeouts = 0;
  public wrongShard = 0;
  public resentAfterReshard = 0;
  public shardMapRefreshes = 0;

  public snapshot(waiting: number, inFlight: number, deadline: RequestDeadline): ProducerMetricsSnapshot {
    return {
      requests: this.requests,
      entries: this.entries,
      succeeded: this.succeeded,
      failed: this.failed,
      retries: this.retries,
      throttled: this.throttled,
      transientFailures: this.transientFailures,
      requestErrors: this.requestErrors,
      requestTimeouts: this.requestTimeouts,
      requestDeadlineMs: deadline.baseMs(),
      requestLatencyP50Ms: deadline.latencyPercentileMs(0.5),
      requestLatencyP99Ms: deadline.latencyPercentileMs(0.99),
      wrongShard: this.wrongShard,
      resentAfterReshard: this.resentAfterReshard,
      shardMapRefreshes: this.shardMapRefreshes,
      waiting,
      inFlight,
    };
  }
}
