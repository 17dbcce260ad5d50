import { ExponentialRateLimiter, MaxOfRateLimiter, TokenBucketRateLimiter, defaultControllerRateLimiter } from './rate-limiter';

describe('rate limiters', () => {
  it('lets a burst through the token bucket, then spaces calls at its rate', () => {
    let now = 0;
    const bucket = new TokenBucketRateLimiter(10, 3, () => now);
    expect([bucket.when(), bucket.when(), bucket.when()]).toEqual([0, 0, 0]);
    expect(bucket.when()).toBeCloseTo(100);
    expect(bucket.when()).toBeCloseTo(200);
    now = 1000; // ten tokens' worth of time: the two borrowed ones are paid back, the bucket is full again
    expect([bucket.when(), bucket.when(), bucket.when()]).toEqual([0, 0, 0]);
  });

  it('tryAcquire takes a token only when there is one', () => {
    let now = 0;
    const bucket = new TokenBucketRateLimiter(1, 2, () => now);
    expect([bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire()]).toEqual([true, true, false]);
    now = 999;
    expect(bucket.tryAcquire()).toBe(false);
    now = 1000;
    expect(bucket.tryAcquire()).toBe(true);
  });

  it('takes the longer of per-key backoff and the overall bucket', () => {
    let now = 0;
    const limiter = new MaxOfRateLimiter(new ExponentialRateLimiter(5, 1000), new TokenBucketRateLimiter(10, 2, () => now));
    expect(limiter.when('a')).toBe(5); // backoff longer than the (full) bucket
    expect(limiter.when('b')).toBe(5);
    expect(limiter.when('c')).toBeCloseTo(100); // bucket empty: its wait is longer than c's first backoff
    expect(limiter.retries('a')).toBe(1);
    limiter.forget('a');
    expect(limiter.retries('a')).toBe(0);
  });

  it('defaults to client-go numbers: 5 ms first, capped at 1000 s', () => {
    const limiter = defaultControllerRateLimiter();
    expect(limiter.when('k')).toBe(5);
    expect(limiter.when('k')).toBe(10);
    let last = 0;
    for (let i = 0; i < 40; i++) last = limiter.when('hot');
    expect(last).toBe(1_000_000);
  });
});
