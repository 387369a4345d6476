/**
 * Card transactions for the anomaly-detection job: seeded random cards with occasional spikes, plus hand-made cards
 * for the rule's edges (too few priors, a tie at the threshold, the window's lower bound, equal amounts, two
 * transactions at the same instant).
 */
import type { Transaction } from './anomaly-model';
import { seededRandom } from '../../support/random';

export const START = Date.parse('2026-03-01T08:00:00.000Z');
const MINUTE = 60_000;

function tx(cardId: string, n: number, amount: number, at: number, merchant = 'corner-shop'): Transaction {
  return { transactionId: `${cardId}-${String(n).padStart(3, '0')}`, cardId, amount, currency: 'EUR', merchant, eventTime: new Date(at).toISOString() };
}

function card(cardId: string, amountsAtMinutes: Array<[number, number]>): Transaction[] {
  return amountsAtMinutes.map(([minute, amount], i) => tx(cardId, i, amount, START + Math.round(minute * MINUTE)));
}

/**
 * Edge cases for threshold 2.5, at least 4 priors, a 60-minute window and a 0.01 stddev floor. Amounts are exact in
 * binary, so the job's running sums and the model's two passes agree to the last bit on them.
 */
export function edgeCaseCards(): Transaction[] {
  return [
    // 3 priors, then a huge amount: too few priors, no alert.
    ...card('card-few', [[0, 10], [5, 12], [10, 11], [15, 10_000]]),
    // priors 10, 30, 10, 30: mean 20, stddev 10; 45 is z = 2.5 exactly, a tie, no alert.
    ...card('card-tie', [[0, 10], [5, 30], [10, 10], [15, 30], [20, 45]]),
    // the same priors, 45.25 is z = 2.525: an alert.
    ...card('card-above', [[0, 10], [5, 30], [10, 10], [15, 30], [20, 45.25]]),
    // the first prior is exactly 60 minutes before the spike: inside the window, so 4 priors and an alert.
    ...card('card-bound', [[0, 10], [10, 12], [20, 11], [30, 13], [60, 500]]),
    // the first prior is 60 minutes and 1 second before: outside, 3 priors, no alert.
    ...card('card-expire', [[0, 10], [10.5, 12], [20.5, 11], [30.5, 13], [60 + 1 / 60, 500]]),
    // five equal amounts: stddev 0, the floor applies; 20 again is z = 0, then 21 is z = 100.
    ...card('card-flat', [[0, 20], [5, 20], [10, 20], [15, 20], [20, 20], [25, 21]]),
    // two transactions at the same instant see each other as priors (RANGE window): 100 has 5 priors.
    ...card('card-peers', [[0, 10], [5, 12], [10, 11], [15, 13], [20, 100], [20, 11]]),
  ];
}

/**
 * Random cards: each has a usual amount and spread; about 1 in 25 payments is 4 to 10 times the usual amount.
 * @param seed the generator's seed
 * @param cards how many cards
 * @param perCard transactions per card
 */
export function randomCards(seed: number, cards: number, perCard: number): Transaction[] {
  const random = seededRandom(seed);
  const out: Transaction[] = [];
  for (let c = 0; c < cards; c++) {
    const cardId = `card-${String(c).padStart(3, '0')}`;
    const usual = 15 + Math.round(random() * 200);
    const spread = usual * (0.05 + random() * 0.25);
    let at = START + Math.floor(random() * 10 * MINUTE);
    for (let i = 0; i < perCard; i++) {
      const spike = random() < 0.04;
      const noise = (random() + random() + random() - 1.5) * 2 * spread;
      const amount = Math.round(Math.max(1, spike ? usual * (4 + random() * 6) : usual + noise) * 100) / 100;
      out.push(tx(cardId, i, amount, at, `merchant-${Math.floor(random() * 20)}`));
      // Gaps of 30 s to 12 min, in whole milliseconds.
      at += 30_000 + Math.floor(random() * 11.5 * MINUTE);
    }
  }
  return out;
}

/**
 * In the order a stream would deliver them: by event time, each delayed by up to `maxDelayMs`, so that some arrive
 * after later ones (within the job's watermark delay, none may be lost).
 * @param transactions the transactions
 * @param seed the generator's seed
 * @param maxDelayMs the largest delivery delay
 */
export function inArrivalOrder(transactions: Transaction[], seed: number, maxDelayMs: number): Transaction[] {
  const random = seededRandom(seed);
  const arrival = new Map(transactions.map((t) => [t, Date.parse(t.eventTime) + Math.floor(random() * maxDelayMs)]));
  return [...transactions].sort((a, b) => arrival.get(a)! - arrival.get(b)! || a.transactionId.localeCompare(b.transactionId));
}

