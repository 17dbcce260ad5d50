import { ExponentialRateLimiter, RateLimiter } from './rate-limiter';
import { WorkQueue } from './work-queue';

/** A rate limiter that never waits, so tests see ordering rather than time. */
const immediate: RateLimiter = { when: () => 0, forget: () => undefined, retries: () => 0 };

const tick = () => new Promise((r) => setImmediate(r));

describe('work queue', () => {
  it.each([
    { adds: ['a', 'b', 'a', 'c', 'b'], order: ['a', 'b', 'c'], why: 'coalesces keys that are already queued' },
    { adds: ['x'], order: ['x'], why: 'hands out a single key' },
    { adds: ['c', 'b', 'a'], order: ['c', 'b', 'a'], why: 'keeps first-in first-out order' },
  ])('$why', async ({ adds, order }) => {
    const queue = new WorkQueue({ rateLimiter: immediate });
    for (const key of adds) queue.add(key);
    expect(queue.depth).toBe(order.length);
    const got: string[] = [];
    for (let i = 0; i < order.length; i++) {
      const key = (await queue.get())!;
      got.push(key);
      queue.done(key);
    }
    expect(got).toEqual(order);
    expect(queue.depth).toBe(0);
  });

  it('never hands one key to two workers, and runs a key re-added during processing once more after', async () => {
    const queue = new WorkQueue({ rateLimiter: immediate });
    queue.add('k');
    const first = await queue.get();
    expect(first).toBe('k');
    queue.add('k');
    queue.add('k');
    expect(queue.depth).toBe(0); // held by a worker: marked dirty, not queued
    let second: string | undefined;
    void queue.get().then((k) => (second = k));
    await tick();
    expect(second).toBeUndefined();
    queue.done('k');
    await tick();
    expect(second).toBe('k');
    queue.done('k');
    expect(queue.depth).toBe(0);
    expect(queue.inFlight).toBe(0);
  });

  it('keeps every key with one worker at a time under many concurrent workers and adds', async () => {
    const queue = new WorkQueue({ rateLimiter: immediate });
    const active = new Set<string>();
    const runs = new Map<string, number>();
    let overlaps = 0;
    const worker = async () => {
      for (;;) {
        const key = await queue.get();
        if (key === undefined) return;
        if (active.has(key)) overlaps++;
        active.add(key);
        runs.set(key, (runs.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        if (Math.random() < 0.3) queue.add(key); // changed while being processed
        active.delete(key);
        queue.done(key);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 10; k++) queue.add(`key-${k}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    await queue.shutDownWithDrain();
    await Promise.all(workers);
    expect(overlaps).toBe(0);
    expect([...runs.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, k) => `key-${k}`).sort());
  });

  it('queues a delayed key after its delay, the earliest pending time winning', async () => {
    const queue = new WorkQueue({ rateLimiter: immediate });
    const started = Date.now();
    queue.addAfter('later', 200);
    queue.addAfter('later', 40);
    queue.addAfter('later', 500);
    expect(queue.depth).toBe(0);
    expect(await queue.get()).toBe('later');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(190);
    queue.done('later');
    queue.shutDown();
  });

  it('backs a failing key off exponentially, and forget starts it over', async () => {
    const limiter = new ExponentialRateLimiter(5, 1_000_000);
    const delays = Array.from({ length: 6 }, () => limiter.when('k'));
    expect(delays).toEqual([5, 10, 20, 40, 80, 160]);
    expect(limiter.retries('k')).toBe(6);
    expect(limiter.when('other')).toBe(5);
    limiter.forget('k');
    expect(limiter.retries('k')).toBe(0);
    expect(limiter.when('k')).toBe(5);
    for (let i = 0; i < 40; i++) limiter.when('hot');
    expect(limiter.when('hot')).toBe(1_000_000);
  });

  it('re-adds a key with its backoff through addRateLimited and counts the retries', async () => {
    const queue = new WorkQueue({ rateLimiter: new ExponentialRateLimiter(10, 1000) });
    const gaps: number[] = [];
    let last = Date.now();
    queue.add('k');
    for (let i = 0; i < 4; i++) {
      const key = (await queue.get())!;
      gaps.push(Date.now() - last);
      last = Date.now();
      queue.addRateLimited(key);
      queue.done(key);
    }
    expect(queue.retries('k')).toBe(4);
    // 10, 20, 40 ms between the 2nd, 3rd and 4th runs (timers may fire late, never early).
    expect(gaps[1]).toBeGreaterThanOrEqual(9);
    expect(gaps[2]).toBeGreaterThanOrEqual(19);
    expect(gaps[3]).toBeGreaterThanOrEqual(39);
    queue.forget('k');
    expect(queue.retries('k')).toBe(0);
    queue.shutDown();
  });

  it('after shutDown hands out what is queued, then undefined, and ignores new keys and pending delays', async () => {
    const queue = new WorkQueue({ rateLimiter: immediate });
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 10);
    const waiting = new WorkQueue({ rateLimiter: immediate });
    const blocked = waiting.get();
    queue.shutDown();
    waiting.shutDown();
    queue.add('d');
    expect(await blocked).toBeUndefined();
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(await queue.get()).toBeUndefined();
    queue.done('a');
    queue.done('b');
    await new Promise((r) => setTimeout(r, 20));
    expect(queue.depth).toBe(0);
  });

  it('shutDownWithDrain waits for keys being processed', async () => {
    const queue = new WorkQueue({ rateLimiter: immediate });
    queue.add('slow');
    const key = (await queue.get())!;
    let drained = false;
    const draining = queue.shutDownWithDrain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    queue.done(key);
    await draining;
    expect(drained).toBe(true);
  });
});
