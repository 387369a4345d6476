import { ShardRateLimiter, TokenBucket } from '../../../lambda/producer/rate-limiter';
import { classifyEntryError, classifyRequestError, FailureKind, RetryPolicy } from '../../../lambda/producer/retry-policy';
import { KinesisLimits } from '../../../src/validation/limits';

describe('failure classification', () => {
  test.each([
    ['ProvisionedThroughputExceededException', FailureKind.THROTTLED],
    ['KMSThrottlingException', FailureKind.THROTTLED],
    ['InternalFailure', FailureKind.TRANSIENT],
    ['SomethingNew', FailureKind.TRANSIENT],
    ['KMSAccessDeniedException', FailureKind.FATAL],
  ])('entry error %s is %s', (code, kind) => {
    expect(classifyEntryError(code, 'm')).toMatchObject({ kind, code, ambiguous: false });
  });

  test.each([
    [{ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }, FailureKind.TRANSIENT, true],
    [{ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }, FailureKind.TRANSIENT, true],
    [{ name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } }, FailureKind.THROTTLED, false],
    [{ name: 'Whatever', $metadata: { httpStatusCode: 429 } }, FailureKind.THROTTLED, false],
    [{ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }, FailureKind.FATAL, false],
    [{ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }, FailureKind.FATAL, false],
    [{ name: 'OddClientError', $metadata: { httpStatusCode: 400 } }, FailureKind.FATAL, false],
    [{ name: 'TimeoutError' }, FailureKind.TRANSIENT, true],
    [{ name: 'RequestTimeout' }, FailureKind.TRANSIENT, true],
    [{ name: 'Error', code: 'ECONNRESET', message: 'read ECONNRESET' }, FailureKind.TRANSIENT, true],
    [{ name: 'Error', code: 'ECONNREFUSED' }, FailureKind.TRANSIENT, false],
    [{ name: 'Error', message: 'socket hang up' }, FailureKind.TRANSIENT, true],
    [{ name: 'SyntaxError', message: 'Unexpected end of JSON input' }, FailureKind.TRANSIENT, true],
  ])('request error %j is %s (ambiguous: %s)', (err, kind, ambiguous) => {
    expect(classifyRequestError(Object.assign(new Error((err as { message?: string }).message ?? 'x'), err))).toMatchObject({ kind, ambiguous });
  });
});

describe('RetryPolicy', () => {
  const policy = (random: number, overrides = {}) => new RetryPolicy({
    maxAttempts: 5, retryTimeoutMs: 10_000, throttledBaseDelayMs: 100, transientBaseDelayMs: 20, maxDelayMs: 1000, random: () => random, ...overrides,
  });
  const throttled = classifyEntryError('ProvisionedThroughputExceededException', '');
  const internal = classifyEntryError('InternalFailure', '');

  test('throttled backoff doubles with equal jitter, capped', () => {
    expect([1, 2, 3, 4].map((a) => policy(0).nextDelay(throttled, a, 0, 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((a) => policy(0.999).nextDelay(throttled, a, 0, 0))).toEqual([100, 200, 400, 800]);
    expect(policy(0.999, { maxAttempts: 20 }).nextDelay(throttled, 10, 0, 0)).toBe(1000);
  });

  test('transient backoff doubles with full jitter', () => {
    expect([1, 2, 3].map((a) => policy(0).nextDelay(internal, a, 0, 0))).toEqual([0, 0, 0]);
    expect([1, 2, 3].map((a) => policy(0.5).nextDelay(internal, a, 0, 0))).toEqual([10, 20, 40]);
  });

  test('stops at the attempt limit, at the retry timeout, and on fatal errors', () => {
    expect(policy(0).nextDelay(internal, 5, 0, 0)).toBeUndefined();
    expect(policy(0.5).nextDelay(throttled, 1, 0, 9_950)).toBeUndefined(); // 9950 + 75 > 10000
    expect(policy(0.5).nextDelay(throttled, 1, 0, 9_900)).toBe(75);
    expect(policy(0).nextDelay(classifyEntryError('AccessDeniedException', ''), 1, 0, 0)).toBeUndefined();
  });
});

describe('rate limiting', () => {
  test('a token bucket refills at its rate up to its capacity and may go into debt', () => {
    const b = new TokenBucket(1000, 100, 0);
    expect(b.available(0)).toBe(100);
    b.take(150, 0);
    expect(b.available(0)).toBe(-50);
    expect(b.readyAt(1, 0)).toBe(51);
    expect(b.available(100)).toBe(50);
    expect(b.available(10_000)).toBe(100);
    b.take(100, 10_000);
    expect(b.readyAt(1000, 10_000)).toBe(10_100); // capped at the capacity
  });

  test('a shard is admitted when half its burst is back, then takes records while its buckets are not empty', () => {
    const limiter = new ShardRateLimiter({ percentOfShardLimit: 100, burstSeconds: 0.1 });
    const burst = KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND / 10;
    expect(limiter.canSend('a', 0)).toBe(true);
    limiter.take('a', burst, 100, 0);
    expect(limiter.hasRoom('a', 0)).toBe(false);
    expect(limiter.canSend('a', 0)).toBe(false);
    expect(limiter.readyAt('a', 0)).toBe(50);
    expect(limiter.hasRoom('a', 1)).toBe(true);
    expect(limiter.canSend('a', 49)).toBe(false);
    expect(limiter.canSend('a', 50)).toBe(true);
    // Bytes count too: a 1 MiB record puts the shard about 0.9 s into debt, and fills its second: nothing more goes
    // until it has left the trailing second.
    limiter.take('b', 1, KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND, 0);
    expect(limiter.readyAt('b', 0)).toBe(1000);
    // Shards are independent; a refused entry gives its charge back, since the shard did not count it.
    limiter.take('c', burst, 1000, 0);
    expect(limiter.canSend('c', 0)).toBe(false);
    limiter.refund('c', burst, 1000, 0);
    expect(limiter.canSend('c', 0)).toBe(true);
    // A refund never fills a bucket beyond its capacity: one burst, then the shard is empty again.
    limiter.refund('c', 10 * burst, 1000, 0);
    limiter.take('c', burst, 1000, 0);
    expect(limiter.hasRoom('c', 0)).toBe(false);
    limiter.take('c', burst, 1000, 0);
    limiter.retain(new Set(['a']));
    expect(limiter.canSend('c', 0)).toBe(true); // forgotten, so fresh
  });

  test('no trailing second carries more than the limit and 3%, though the bucket would allow its burst on top', () => {
    const limiter = new ShardRateLimiter({ percentOfShardLimit: 100, burstSeconds: 0.1 });
    // Saturated for two seconds: send whatever the limiter lets through, every millisecond, one record at a time.
    const sentAt: number[] = [];
    for (let t = 0; t < 2000; t++) {
      while (limiter.hasRoom('s', t) && (sentAt.length === 0 || sentAt[sentAt.length - 1] < t || limiter.canSend('s', t) || limiter.hasRoom('s', t))) {
        limiter.take('s', 1, 100, t);
        sentAt.push(t);
        if (sentAt.length > 5000) break;
      }
    }
    let most = 0;
    for (let i = 0, j = 0; i < sentAt.length; i++) {
      while (sentAt[j] <= sentAt[i] - 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    // A bucket alone let its full 100-record burst through on top of the 1000 of a second.
    expect(most).toBeLessThanOrEqual(1030);
    // And the long run stays at the limit: about 1000 per second after the first burst.
    expect(sentAt.length).toBeGreaterThanOrEqual(2000);
    expect(sentAt.length).toBeLessThanOrEqual(2000 + 100);
    // Once the second is full, the shard is admitted when what it sent leaves it: 1030 records at once put the bucket
    // 930 into debt (half its burst back at 980 ms), but the second holds them until 1000 ms.
    const full = new ShardRateLimiter({ percentOfShardLimit: 100, burstSeconds: 0.1 });
    full.take('s', 1030, 0, 0);
    expect(full.readyAt('s', 0)).toBe(1000);
    expect(full.canSend('s', 999)).toBe(false);
    expect(full.canSend('s', 1000)).toBe(true);
    // A refused entry leaves the second too (and the bucket): with 100 refunded, the bucket decides, at 880 ms.
    const refunded = new ShardRateLimiter({ percentOfShardLimit: 100, burstSeconds: 0.1 });
    refunded.take('s', 1030, 0, 0);
    refunded.refund('s', 100, 0, 0);
    expect(refunded.readyAt('s', 0)).toBe(880);
  });

  test('a throttled shard slows down by a few percent, once per rate window, then climbs back', () => {
    const limiter = new ShardRateLimiter({ percentOfShardLimit: 100, burstSeconds: 0.1 });
    expect(limiter.pace('s', 0)).toBe(1);
    limiter.throttled('s', 0);
    expect(limiter.pace('s', 0)).toBeCloseTo(0.98);
    limiter.throttled('s', 500); // same window: one decrease is enough
    expect(limiter.pace('s', 500)).toBeCloseTo(0.98);
    expect(limiter.pace('s', 1000)).toBeCloseTo(0.98); // held for a window after the decrease
    expect(limiter.pace('s', 1500)).toBeCloseTo(0.99);
    expect(limiter.pace('s', 5000)).toBe(1);
    // The pace sets the refill: an empty bucket at 98% takes longer to be half full again.
    limiter.throttled('s', 10_000);
    limiter.take('s', 100, 0, 10_000);
    expect(limiter.readyAt('s', 10_000)).toBe(10_000 + Math.ceil((50 / 980) * 1000));
    for (let t = 20_000; t < 200_000; t += 1000) limiter.throttled('s', t);
    expect(limiter.pace('s', 200_000)).toBe(0.5); // never below half the limit
  });

  test('percentOfShardLimit scales the rates', () => {
    const limiter = new ShardRateLimiter({ percentOfShardLimit: 50, burstSeconds: 0.1 });
    limiter.take('a', 50, 0, 0);
    expect(limiter.readyAt('a', 0)).toBe(50); // 25 records at 500/s
  });
});
