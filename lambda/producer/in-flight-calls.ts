/**
 * The PutRecords calls in flight, and when each is abandoned.
 *
 * A call's deadline is not fixed when it is sent: it is its send time plus the deadline the producer would give it
 * now ({@link RequestDeadline.deadlineMs} for its entries' earlier timeouts), checked again whenever a call is sent or
 * answered. That matters most for a fresh producer: its first calls are sent before any latency was learnt, with the
 * ceiling (6 s by default), and a hung one among them would hold its keys for all of it. Measured in the producer
 * benchmark (2% of calls hung, a caller that keeps two seconds of records outstanding and waits for them in order):
 * one hung call among the first twenty stalled the caller, and both shards, for about four seconds. Re-checked, such
 * a call is abandoned as soon as enough answered calls say it is overdue: an answer that has taken longer than the
 * learnt deadline (several times the slowest recent answers) is an outlier whenever it was sent.
 */
import { Entry } from './entry';
import { RequestDeadline } from './request-deadline';
import { RequestTimeoutError } from './sender';

interface Call {
  readonly sentAt: number;
  /** The largest number of earlier timed-out attempts among the call's entries. */
  readonly timeouts: number;
  readonly abort: AbortController;
}

export class InFlightCalls {
  private readonly calls = new Map<readonly Entry[], Call>();
  private timer: { readonly at: number; readonly handle: NodeJS.Timeout } | undefined;

  /**
   * @param deadline the deadlines learnt from the answered calls
   * @param now the clock, injectable for tests
   */
  constructor(private readonly deadline: RequestDeadline, private readonly now: () => number = Date.now) {}

  public get size(): number {
    return this.calls.size;
  }

  /** The entries of each call in flight. */
  public batches(): IterableIterator<readonly Entry[]> {
    return this.calls.keys();
  }

  /**
   * A call carrying `entries` is being sent now.
   * @param entries the call's entries (identifies the call)
   * @param timeouts the largest number of earlier timed-out attempts among them
   * @returns the signal that aborts the call, with a {@link RequestTimeoutError} as its reason, at its deadline
   */
  public start(entries: readonly Entry[], timeouts: number): AbortSignal {
    const call: Call = { sentAt: this.now(), timeouts, abort: new AbortController() };
    this.calls.set(entries, call);
    this.check();
    return call.abort.signal;
  }

  /** The call carrying `entries` is over (answered, failed or abandoned); the deadlines learnt may have changed. */
  public finish(entries: readonly Entry[]): void {
    this.calls.delete(entries);
    this.check();
  }

  /** Aborts the calls past their deadline as it is now, and sets the timer for the next one. */
  public check(): void {
    const now = this.now();
    let next = Infinity;
    const overdue: Array<{ call: Call; deadlineMs: number }> = [];
    for (const call of this.calls.values()) {
      if (call.abort.signal.aborted) continue;
      const deadlineMs = this.deadline.deadlineMs(call.timeouts);
      const due = call.sentAt + deadlineMs;
      if (due <= now) overdue.push({ call, deadlineMs });
      else next = Math.min(next, due);
    }
    // Aborted after the scan: an abort may settle its call, and finish() would change the map under the loop.
    for (const { call, deadlineMs } of overdue) call.abort.abort(new RequestTimeoutError(deadlineMs));
    if (this.timer && this.timer.at === next) return;
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = undefined;
    if (next === Infinity) return;
    const handle = setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, next - now);
    // The calls' own sockets keep a process alive while they are in flight; this timer alone must not (a caller that
    // has given up on a call that will never answer, as a handler does before its function's timeout, can exit).
    handle.unref?.();
    this.timer = { at: next, handle };
  }
}
