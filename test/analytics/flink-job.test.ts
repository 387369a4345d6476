/**
 * The anomaly-detection example's PyFlink job, run by Flink 1.20 (apache-flink from PyPI) in a local mini-cluster,
 * with its source and sink given through runtime properties in the service's format (`connector` = `filesystem`,
 * which the job supports for local runs), and its alerts checked against the rule recomputed in TypeScript.
 *
 * Needs the venv of .ci/setup.d/50-pyflink.sh; without it the test fails and says so.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DetectionRule, expectedAlerts, scoreTransactions, Transaction } from './support/anomaly-model';
import { propertyGroups, requirePyFlink, runJobScript } from './support/pyflink';
import { edgeCaseCards, inArrivalOrder, randomCards } from './support/transactions';

const RULE: DetectionRule = { threshold: 2.5, minPrior: 4, windowMinutes: 60, minStddev: 0.01 };
const JOB_TIMEOUT_MS = 170_000;

interface Alert {
  transactionId: string;
  cardId: string;
  amount: number;
  currency: string;
  merchant: string;
  eventTime: string;
  mean: number;
  stddev: number;
  zScore: number;
  priorCount: number;
  threshold: number;
  windowStart: string;
  windowEnd: string;
}

/** Committed part files only: the filesystem sink keeps uncommitted ones hidden (`.part-…inprogress`). */
function readJsonLines(dir: string): Alert[] {
  const out: Alert[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.startsWith('.') || name.startsWith('_')) continue;
    if (statSync(file).isDirectory()) { out.push(...readJsonLines(file)); continue; }
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) out.push(JSON.parse(line) as Alert);
  }
  return out;
}

function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

describe('anomaly-detection PyFlink job (Flink 1.20 mini-cluster)', () => {
  let work: string;
  beforeAll(() => { work = mkdtempSync(path.join(tmpdir(), 'flink-job-')); });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('the venv has the pinned apache-flink and Java runs', () => {
    const { java } = requirePyFlink();
    expect(java).toMatch(/version "(11|17|21)\./);
  });

  test('emits exactly the alerts the rule gives, with their statistics', async () => {
    const random = randomCards(20260301, 40, 30);
    // Delivered up to 4 s out of order, within the job's 5 s watermark delay (its default).
    // (Records later than the watermark are dropped by Flink, but when depends on when periodic watermarks are
    // emitted, so no test data is late.)
    const transactions: Transaction[] = inArrivalOrder([...random, ...edgeCaseCards()], 7, 4_000);
    const expected = expectedAlerts(transactions, RULE);

    // The data must be able to tell a right job from a wrong one: random scores clear of the threshold (only the
    // hand-made tie sits on it), alerts and quiet scored transactions both present.
    const randomIds = new Set(random.map((t) => t.transactionId));
    const nearTies = scoreTransactions(transactions, RULE).filter((s) => randomIds.has(s.transactionId) && Math.abs(s.zScore - RULE.threshold) < 1e-6);
    expect(nearTies).toEqual([]);
    expect(expected.filter((a) => randomIds.has(a.transactionId)).length).toBeGreaterThanOrEqual(10);
    expect(scoreTransactions(transactions, RULE).length - expected.length).toBeGreaterThan(500);
    const outOfOrder = transactions.filter((t, i) => i > 0 && Date.parse(t.eventTime) < Date.parse(transactions[i - 1].eventTime));
    expect(outOfOrder.length).toBeGreaterThan(0);

    const input = path.join(work, 'transactions');
    const output = path.join(work, 'alerts');
    mkdirSync(input);
    writeFileSync(path.join(input, 'transactions.json'), transactions.map((t) => JSON.stringify(t)).join('\n') + '\n');
    const properties = path.join(work, 'application_properties.json');
    writeFileSync(properties, propertyGroups({
      'kinesis.analytics.flink.run.options': { python: 'main.py', jarfile: 'lib/pyflink-dependencies.jar' },
      'source.transactions': { connector: 'filesystem', path: input, format: 'json' },
      'sink.alerts': { connector: 'filesystem', path: output, format: 'json' },
      'application': {
        'zscore.threshold': String(RULE.threshold),
        'min.prior.transactions': String(RULE.minPrior),
        'window.minutes': String(RULE.windowMinutes),
        'min.stddev': String(RULE.minStddev),
      },
    }));

    const run = await runJobScript('main.py', properties, JOB_TIMEOUT_MS);
    if (run.exitCode !== 0) throw new Error(`main.py exited with ${run.exitCode} after ${run.millis} ms:\n${run.output.slice(-6000)}`);
    // The run's figures beside the build, not in the test output.
    const cache = path.join(__dirname, '..', '..', '.cache');
    mkdirSync(cache, { recursive: true });
    writeFileSync(path.join(cache, 'flink-job-timings.json'),
      JSON.stringify({ transactions: transactions.length, alerts: expected.length, millis: run.millis }, null, 2) + '\n');

    const alerts = readJsonLines(output);
    const byId = new Map(alerts.map((a) => [a.transactionId, a]));
    expect(byId.size).toBe(alerts.length);
    expect([...byId.keys()].sort()).toEqual(expected.map((e) => e.transactionId).sort());

    const source = new Map(transactions.map((t) => [t.transactionId, t]));
    for (const want of expected) {
      const got = byId.get(want.transactionId)!;
      const tx = source.get(want.transactionId)!;
      const { cardId, amount, currency, merchant, priorCount, threshold } = got;
      expect({ id: want.transactionId, cardId, amount, currency, merchant, priorCount, threshold }).toEqual({
        id: want.transactionId,
        cardId: tx.cardId,
        amount: tx.amount,
        currency: tx.currency,
        merchant: tx.merchant,
        priorCount: want.priorCount,
        threshold: RULE.threshold,
      });
      const stats = { mean: got.mean, stddev: got.stddev, zScore: got.zScore };
      if (!closeTo(got.mean, want.mean) || !closeTo(got.stddev, want.stddev) || !closeTo(got.zScore, want.zScore)) {
        throw new Error(`${want.transactionId}: job ${JSON.stringify(stats)}, model ${JSON.stringify({ mean: want.mean, stddev: want.stddev, zScore: want.zScore })}`);
      }
      expect([Date.parse(got.eventTime), Date.parse(got.windowStart), Date.parse(got.windowEnd)])
        .toEqual([Date.parse(tx.eventTime), want.windowStart, want.windowEnd]);
    }

    // The edges, by name, so that a failure says which one.
    const flagged = (id: string) => byId.has(id);
    expect({
      tooFewPriors: flagged('card-few-003'),
      tieAtThreshold: flagged('card-tie-004'),
      justAbove: flagged('card-above-004'),
      priorExactlyAtWindowStart: flagged('card-bound-004'),
      priorJustOutsideWindow: flagged('card-expire-004'),
      equalAmountsAgain: flagged('card-flat-004'),
      aboveEqualAmounts: flagged('card-flat-005'),
      peerSpike: flagged('card-peers-004'),
      peerUsual: flagged('card-peers-005'),
    }).toEqual({
      tooFewPriors: false,
      tieAtThreshold: false,
      justAbove: true,
      priorExactlyAtWindowStart: true,
      priorJustOutsideWindow: false,
      equalAmountsAgain: false,
      aboveEqualAmounts: true,
      peerSpike: true,
      peerUsual: false,
    });
    expect(byId.get('card-peers-004')!.priorCount).toBe(5);
    expect(byId.get('card-tie-004')).toBeUndefined();
    expect(byId.get('card-above-004')!.zScore).toBe(2.525);
    expect(byId.get('card-flat-005')!.zScore).toBeCloseTo(100, 6);
  }, JOB_TIMEOUT_MS + 10_000);

  test('a transaction without an event time stops a local run with Flink\'s reason', async () => {
    const input = path.join(work, 'bad-transactions');
    mkdirSync(input);
    const good = edgeCaseCards().slice(0, 3);
    const { eventTime: _dropped, ...noTime } = good[2];
    writeFileSync(path.join(input, 'transactions.json'), [good[0], good[1], noTime].map((t) => JSON.stringify(t)).join('\n') + '\n');
    const properties = path.join(work, 'bad-properties.json');
    writeFileSync(properties, propertyGroups({
      'source.transactions': { connector: 'filesystem', path: input, format: 'json' },
      'sink.alerts': { connector: 'filesystem', path: path.join(work, 'bad-alerts'), format: 'json' },
    }));
    const run = await runJobScript('main.py', properties, JOB_TIMEOUT_MS);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('RowTime field should not be null');
  }, JOB_TIMEOUT_MS + 10_000);
});
