/**
 * How long a PutRecords call may stay unanswered before it is abandoned and its entries sent again.
 *
 * A key has one entry on the wire at a time (that is what keeps its order), so an unanswered call holds every key
 * in it for as long as the producer waits. A fixed deadline must be long enough for the slowest legitimate answer
 * (seconds), and then a few hung calls hold many keys for seconds. So the deadline follows the latency the calls
 * actually see: a multiple of a high percentile of the recent answered calls, bounded below (a premature timeout
 * costs a duplicate, so the floor stays far above any ordinary answer) and above (the configured request timeout).
 * Until 20 calls were answered, the ceiling. A call in flight is held to the deadline as it is now, not as it was when
 * the call was sent (see `InFlightCalls`): a call sent with the ceiling is abandoned as soon as the answers of the
 * calls after it say it is overdue.
 *
 * A deadline learnt from answered calls cannot see calls slower than itself (they time out and leave no sample), so
 * a call that carries entries that already timed out gets twice the deadline per earlier timeout, as TCP backs off
 * its retransmission timer: if the service really slowed down, the retries outlast it, are answered, and their
 * latencies lift the learnt deadline.
 */

/** Answered calls remembered. */
const WINDOW = 200;
/** Answered calls needed before the deadline is learnt; until then the ceiling applies. */
const MIN_SAMPLES = 20;
/** Percentile of the remembered latencies the deadline is a multiple of. */
const PERCENTILE = 0.99;
/** The deadline is this many times that percentile. */
const MULTIPLIER = 4;

export interface RequestDeadlineOptions {
  /** Shortest deadline, in milliseconds. */
  readonly minMs: number;
  /** Longest deadline, in milliseconds (the configured request timeout). */
  readonly maxMs: number;
}

export class RequestDeadline {
  private readonly latencies = new Float64Array(WINDOW);
  private count = 0;
  private next = 0;
  private learnt: number | undefined;

  constructor(private readonly options: RequestDeadlineOptions) {}

  /** An answered call took `latencyMs`. */
  public observe(latencyMs: number): void {
    this.latencies[this.next] = latencyMs;
    this.next = (this.next + 1) % WINDOW;
    this.count = Math.min(WINDOW, this.count + 1);
    this.learnt = undefined;
  }

  /**
   * The deadline for a call whose entries timed out `earlierTimeouts` times at most.
   * @param earlierTimeouts the largest number of timed-out attempts among the call's entries
   */
  public deadlineMs(earlierTimeouts = 0): number {
    return Math.min(this.options.maxMs, this.baseMs() * 2 ** Math.min(earlierTimeouts, 20));
  }

  /** The deadline learnt from the answered calls, before any back-off. */
  public baseMs(): number {
    const { minMs, maxMs } = this.options;
    // Until enough calls were answered, the ceiling: a fresh producer's first calls are its slowest (a new connection,
    // a cold process), and a deadline learnt from a few of them abandoned, and duplicated, calls that were being
    // answered on a loaded machine.
    if (this.count < MIN_SAMPLES) return maxMs;
    if (this.learnt === undefined) {
      const sorted = Array.from(this.latencies.subarray(0, this.count)).sort((a, b) => a - b);
      const p = sorted[Math.min(sorted.length - 1, Math.ceil(PERCENTILE * sorted.length) - 1)];
      this.learnt = Math.min(maxMs, Math.max(minMs, Math.ceil(MULTIPLIER * p)));
    }
    return this.learnt;
  }

  /** The given percentile (0 to 1) of the remembered latencies, or undefined before any call was answered. */
  public latencyPercentileMs(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const sorted = Array.from(this.latencies.subarray(0, this.count)).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }
}
