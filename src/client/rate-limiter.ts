/**
 * How long a key waits before its next try, as client-go's workqueue rate limiters decide:
 *
 *   per key   5 ms · 2^failures, up to 1000 s (ItemExponentialFailureRateLimiter)
 *   overall   a token bucket of 10 per second, burst 100 (BucketRateLimiter)
 *   default   the longer of the two (MaxOfRateLimiter), so one hot key backs off on its own
 *             while a storm of failing keys cannot exceed the bucket's rate together
 */

export interface RateLimiter {
  /** The delay before `key` may run again; counts as one more failure of `key`. */
  when(key: string): number;
  /** The key succeeded: its failures are forgotten. */
  forget(key: string): void;
  /** How many times the key has failed since it was last forgotten. */
  retries(key: string): number;
}

/** Per-key exponential backoff: base · 2^failures, capped. */
export class ExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseMs = 5,
    readonly maxMs = 1_000_000,
  ) {}

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows into Infinity long after the cap; the cap is what matters.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/**
 * A token bucket shared by every key, as Go's rate.Limiter reserves: tokens refill at `qps` up
 * to `burst`; each call takes one, and when none is left the caller waits for its turn.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps = 10,
    readonly burst = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  when(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Takes a token if one is there now (true), else takes nothing (false): for dropping, not waiting. */
  tryAcquire(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }

  forget(): void {}

  retries(): number {
    return 0;
  }
}

/** The longest delay of several limiters; every limiter sees every call. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  retries(key: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.retries(key)));
  }
}

/** client-go's DefaultControllerRateLimiter: per-key 5 ms → 1000 s, overall 10 qps burst 100. */
export function defaultControllerRateLimiter(): RateLimiter {
  return new MaxOfRateLimiter(new ExponentialRateLimiter(5, 1_000_000), new TokenBucketRateLimiter(10, 100));
}
