/**
 * Realistic events for the use case of an app (clickstream, telemetry, transactions, logs), keyed so that each key's
 * events have an order to keep: every event carries `eventId` (`<key>#<n>`, n counting up per key), which is how the
 * run checks, at the consumer, that a key's events arrived in the order they were produced.
 *
 * The use case is read from the names of the app's parts (stack, streams, delivery streams) and the fields its
 * transforms require, which are also filled in, so that a transform's `requiredFields` check passes for well-formed
 * events. A small share of events is malformed on purpose (`badRate`), as in production, so the failure paths of
 * consumers and transforms run too.
 */

export type UseCase = 'clickstream' | 'telemetry' | 'transactions' | 'logs';

const USE_CASE_WORDS: ReadonlyArray<[UseCase, RegExp]> = [
  ['logs', /\blogs?\b|log[A-Z-]|logs|service.*level/i],
  ['transactions', /transaction|payment|ledger|order|booking/i],
  ['telemetry', /telemetry|iot|device|sensor|reading/i],
  ['clickstream', /click|session|page|visit/i],
];

export function inferUseCase(names: string, requiredFields: readonly string[] = []): UseCase {
  const text = `${names} ${requiredFields.join(' ')}`;
  for (const [useCase, words] of USE_CASE_WORDS) if (words.test(text)) return useCase;
  return 'clickstream';
}

/** The field each use case keys its events by (the partition key of the stand-in producer). */
export const KEY_FIELD: Record<UseCase, string> = { clickstream: 'user', telemetry: 'deviceId', transactions: 'account_id', logs: 'service' };

export interface GeneratedEvent {
  readonly event: Record<string, unknown>;
  readonly key: string;
  readonly eventId: string;
  /** Deliberately malformed (a required field missing or of the wrong type). */
  readonly malformed: boolean;
}

export interface EventGeneratorOptions {
  readonly useCase: UseCase;
  /** Dot path of the field holding the partition key; defaults to the use case's key field. */
  readonly keyPath?: string;
  /** Fields transforms require: filled in when the use case's event does not have them. */
  readonly requiredFields?: readonly string[];
  /** Distinct keys. @default 200 */
  readonly keys?: number;
  /** Share of malformed events. @default 0.001 */
  readonly badRate?: number;
  /** @default 42 */
  readonly seed?: number;
}

const PAGES = ['/', '/search', '/products/17', '/products/42', '/cart', '/checkout', '/account', '/help'];
const SERVICES = ['checkout', 'catalog', 'payments', 'search', 'accounts', 'shipping'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG', 'DEBUG'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];
const CHANNELS = ['card', 'transfer', 'wallet'];

export class EventGenerator {
  private readonly counters = new Map<string, number>();
  private readonly random: () => number;
  private readonly keys: readonly string[];
  private readonly keyPath: string[];
  private readonly badRate: number;
  private total = 0;

  constructor(private readonly options: EventGeneratorOptions) {
    this.random = parkMiller(options.seed ?? 42);
    const n = options.keys ?? 200;
    const stem = { clickstream: 'user', telemetry: 'device', transactions: 'acct', logs: '' }[options.useCase];
    this.keys = options.useCase === 'logs'
      ? SERVICES
      : Array.from({ length: n }, (_, i) => `${stem}-${String(i).padStart(5, '0')}`);
    this.keyPath = (options.keyPath ?? KEY_FIELD[options.useCase]).split('.');
    this.badRate = options.badRate ?? 0.001;
  }

  public next(now = Date.now()): GeneratedEvent {
    // Skewed keys, as real traffic is: a few keys are much busier than the rest.
    const key = this.keys[Math.floor(this.keys.length * this.random() ** 2)];
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    this.total++;
    const eventId = `${key}#${n}`;
    const event: Record<string, unknown> = { eventId, ...this.body(key, now) };
    setPath(event, this.keyPath, key);
    for (const field of this.options.requiredFields ?? []) {
      if (getPath(event, field.split('.')) === undefined) setPath(event, field.split('.'), this.fill(field, key, now));
    }
    const malformed = this.random() < this.badRate;
    if (malformed) this.spoil(event);
    return { event, key, eventId, malformed };
  }

  private body(key: string, now: number): Record<string, unknown> {
    const r = this.random;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    switch (this.options.useCase) {
      case 'clickstream': return {
        user: key,
        page: pick(PAGES),
        at: now,
        event_time: new Date(now).toISOString(),
        user_id: key,
        action: r() < 0.7 ? 'page_view' : 'click',
        referrer: r() < 0.3 ? 'https://www.example.com/' : null,
        device: pick(['desktop', 'mobile', 'tablet']),
        ip: `203.0.113.${Math.floor(r() * 254) + 1}`,
      };
      case 'telemetry': return {
        deviceId: key,
        at: now,
        timestamp: new Date(now).toISOString(),
        temperature: Math.round((18 + r() * 10) * 10) / 10,
        humidity: Math.round(30 + r() * 40),
        battery: Math.round(20 + r() * 80),
        firmware: '2.4.1',
      };
      case 'transactions': return {
        transaction_id: `tx-${this.total.toString(36)}-${Math.floor(r() * 1e9).toString(36)}`,
        account_id: key,
        amount: Math.round(r() * 50000) / 100,
        currency: pick(CURRENCIES),
        booked_at: new Date(now).toISOString(),
        channel: pick(CHANNELS),
      };
      case 'logs': {
        const level = pick(LEVELS);
        return {
          timestamp: new Date(now).toISOString(),
          service: key,
          level,
          message: level === 'ERROR' ? 'upstream timed out after 3000 ms' : `handled request in ${Math.floor(r() * 300)} ms`,
          requestId: Math.floor(r() * 2 ** 48).toString(16),
          ...(r() < 0.05 ? { authorization: 'Bearer secret-token' } : {}),
        };
      }
    }
  }

  private fill(field: string, key: string, now: number): unknown {
    const last = field.split('.').pop()!.toLowerCase();
    if (/(^|_)(id|key)$|id$/.test(last)) return `${last}-${key}`;
    if (/time|date|_at$|^at$|timestamp/.test(last)) return new Date(now).toISOString();
    if (/amount|count|value|price|total/.test(last)) return Math.round(this.random() * 10000) / 100;
    return `${last}-value`;
  }

  /** Breaks the event the way producers break them: an essential field missing, a number sent as text. */
  private spoil(event: Record<string, unknown>): void {
    const required = this.options.requiredFields ?? [];
    if (required.length > 0) {
      setPath(event, required[required.length - 1].split('.'), undefined);
      return;
    }
    delete event.page;
    delete event.message;
    if (typeof event.at === 'number') event.at = String(event.at);
    if (typeof event.temperature === 'number') event.temperature = 'n/a';
  }
}

function getPath(obj: Record<string, unknown>, steps: readonly string[]): unknown {
  let v: unknown = obj;
  for (const s of steps) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[s] : undefined;
  return v;
}

function setPath(obj: Record<string, unknown>, steps: readonly string[], value: unknown): void {
  let o = obj;
  for (const s of steps.slice(0, -1)) {
    if (typeof o[s] !== 'object' || o[s] === null) o[s] = {};
    o = o[s] as Record<string, unknown>;
  }
  if (value === undefined) delete o[steps[steps.length - 1]];
  else o[steps[steps.length - 1]] = value;
}

/** A seeded generator (Park-Miller), so a run's events are the same every time. */
export function parkMiller(seed: number): () => number {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}
