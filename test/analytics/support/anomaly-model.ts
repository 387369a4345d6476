/**
 * The anomaly-detection example's rule, written again in TypeScript from its README (not from its SQL), to check
 * the alerts the PyFlink job emits: for each transaction, the other transactions of its card whose event time lies in
 * [eventTime - window, eventTime] are its priors; with n priors, mean m and population standard deviation s,
 * zScore = (amount - m) / max(s, minStddev), and it is an alert when n >= minPrior and zScore > threshold.
 *
 * The statistics here are computed in two passes (mean, then squared deviations), not from running sums as the job
 * does, so that agreement means more than the same arithmetic done twice.
 */
export interface Transaction {
  readonly transactionId: string;
  readonly cardId: string;
  readonly amount: number;
  readonly currency: string;
  readonly merchant: string;
  /** ISO-8601, UTC, milliseconds: `2026-01-01T00:00:00.000Z` */
  readonly eventTime: string;
}

export interface DetectionRule {
  readonly threshold: number;
  readonly minPrior: number;
  readonly windowMinutes: number;
  readonly minStddev: number;
}

export interface ScoredTransaction {
  readonly transactionId: string;
  readonly cardId: string;
  readonly amount: number;
  readonly priorCount: number;
  readonly mean: number;
  readonly stddev: number;
  readonly zScore: number;
  /** epoch millis */
  readonly windowStart: number;
  readonly windowEnd: number;
}

/**
 * Every transaction with at least `minPrior` priors, scored; alerts are those with zScore above the threshold.
 * @param transactions all the transactions the job reads
 * @param rule the detection settings
 */
export function scoreTransactions(transactions: readonly Transaction[], rule: DetectionRule): ScoredTransaction[] {
  const windowMs = rule.windowMinutes * 60_000;
  const byCard = new Map<string, Array<{ tx: Transaction; at: number }>>();
  for (const tx of transactions) {
    const list = byCard.get(tx.cardId) ?? [];
    list.push({ tx, at: Date.parse(tx.eventTime) });
    byCard.set(tx.cardId, list);
  }
  const scored: ScoredTransaction[] = [];
  for (const list of byCard.values()) {
    for (const current of list) {
      const priors = list.filter((other) => other !== current && other.at <= current.at && other.at >= current.at - windowMs);
      if (priors.length < rule.minPrior) continue;
      const n = priors.length;
      const mean = priors.reduce((sum, p) => sum + p.tx.amount, 0) / n;
      const stddev = Math.sqrt(priors.reduce((sum, p) => sum + (p.tx.amount - mean) ** 2, 0) / n);
      scored.push({
        transactionId: current.tx.transactionId,
        cardId: current.tx.cardId,
        amount: current.tx.amount,
        priorCount: n,
        mean,
        stddev,
        zScore: (current.tx.amount - mean) / Math.max(stddev, rule.minStddev),
        windowStart: current.at - windowMs,
        windowEnd: current.at,
      });
    }
  }
  return scored;
}

/**
 * The alerts the rule gives.
 * @param transactions all the transactions the job reads
 * @param rule the detection settings
 */
export function expectedAlerts(transactions: readonly Transaction[], rule: DetectionRule): ScoredTransaction[] {
  return scoreTransactions(transactions, rule).filter((s) => s.zScore > rule.threshold);
}
