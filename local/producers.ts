/**
 * Feeds a producer at the chosen rate: every 100 ms, the events due are generated and handed to the real bundled
 * producer handler as one direct invocation (`{ "records": [...] }`, at most 500 events), several invocations in
 * flight as concurrent Lambda instances would be. The handler's per-record results tell which events reached the
 * stream (and on which shard) and which went to its failure queue. For a direct-PUT delivery stream there is no
 * handler: events are put into it as PutRecordBatch calls would.
 */
import type { EventGenerator, GeneratedEvent } from './events';
import type { LambdaHandler } from './handlers';
import { lambdaContext } from './handlers';
import { PartStats, RunTracker, sleep } from './metrics';
import type { LocalFunction } from './model';

const TICK_MS = 100;
const MAX_EVENTS_PER_INVOCATION = 500;
const MAX_IN_FLIGHT = 8;

export class RateDriver {
  private timer?: NodeJS.Timeout;
  private emitted = 0;
  private startedAt = 0;
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * @param send hands a batch of events over; resolves when they are accounted for
   */
  constructor(private readonly generator: EventGenerator, private readonly rate: number, private readonly tracker: RunTracker,
    private readonly send: (events: GeneratedEvent[]) => Promise<void>) {}

  public start(): void {
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  public async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private tick(): void {
    const due = Math.floor(((Date.now() - this.startedAt) / 1000) * this.rate) - this.emitted;
    if (due <= 0 || this.inFlight.size >= MAX_IN_FLIGHT) return;
    for (let left = due; left > 0; left -= MAX_EVENTS_PER_INVOCATION) {
      const now = Date.now();
      const events = Array.from({ length: Math.min(left, MAX_EVENTS_PER_INVOCATION) }, () => this.generator.next(now));
      for (const e of events) this.tracker.produced(e.eventId, e.key, Number(e.eventId.split('#').pop()), e.malformed, now);
      this.emitted += events.length;
      const p = this.send(events).catch((err) => {
        process.stderr.write(`producer invocation failed: ${String(err)}\n`);
      }).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }
}

/** The send function of a producer handler: one invocation, its results counted. */
export function producerSender(
  fn: LocalFunction, handler: LambdaHandler, tracker: RunTracker, stats: PartStats, failureTarget: string, streamName: string,
): (events: GeneratedEvent[]) => Promise<void> {
  let invocation = 0;
  return async (events) => {
    stats.invocations++;
    stats.received += events.length;
    const started = Date.now();
    let response: any;
    try {
      response = await handler({ records: events.map((e) => e.event) }, lambdaContext(fn, `local-producer-${++invocation}`));
    } catch (err) {
      // A thrown invocation: the caller (API Gateway, an SDK) would see an error and could retry; nothing is written.
      stats.functionErrors++;
      stats.countFailure(`invocation errors (${String((err as Error).message ?? err).slice(0, 80)})`, events.length);
      return;
    }
    const done = Date.now();
    stats.latenciesMs.push(done - started);
    let ok = 0;
    for (const r of response?.results ?? []) {
      const e = events[r.index];
      if (!e) continue;
      if (r.status === 'ok') {
        ok++;
        const p = tracker.events.get(e.eventId);
        if (p) {
          p.shardId = r.shardId;
          p.stream = streamName;
        }
      } else {
        stats.countFailure(r.failureQueued ? failureTarget : `returned to the caller (${r.errorCode})`);
      }
    }
    stats.countOut(ok, done);
  };
}

export { sleep };
