/**
 * The work queue every controller pulls keys from, with client-go's guarantees:
 *
 *   - a key is never queued twice: adding a queued key does nothing (events coalesce);
 *   - a key is never handed to two workers at once: a key added while a worker holds it is
 *     marked dirty and queued again when that worker calls `done`, so it runs once more after;
 *   - `addAfter(key, ms)` queues later (the earliest pending time wins);
 *   - `addRateLimited(key)` queues after the rate limiter's delay (per-key backoff), `forget(key)`
 *     resets that backoff once the key succeeds;
 *   - `shutDown()` stops taking keys; workers still get what is queued, then `get()` resolves
 *     undefined. `shutDownWithDrain()` also waits for the keys being processed to be done.
 *
 *   add ──► dirty? ──no──► queue ──get()──► processing ──done()──► dirty again? ──► queue
 */
import { defaultControllerRateLimiter, RateLimiter } from './rate-limiter';

/** Hooks for metrics; the controller runtime plugs prom-client counters in here. */
export interface QueueObserver {
  added?(): void;
  depth?(depth: number): void;
  retried?(): void;
}

export interface WorkQueueOptions {
  rateLimiter?: RateLimiter;
  observer?: QueueObserver;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, { readyAt: number; timer: NodeJS.Timeout }>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private readonly drained: Array<() => void> = [];
  private readonly rateLimiter: RateLimiter;
  private readonly observer: QueueObserver;
  private stopping = false;

  constructor(options: WorkQueueOptions = {}) {
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter();
    this.observer = options.observer ?? {};
  }

  /** Queues `key` unless it is queued already; a key being processed runs again after. */
  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.observer.added?.();
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.observer.depth?.(this.queue.length);
    this.handOut();
  }

  /** Queues `key` after `ms`; if it is already waiting to be queued, the earlier time wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = Date.now() + ms;
    const pending = this.waiting.get(key);
    if (pending && pending.readyAt <= readyAt) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { readyAt, timer });
  }

  /** Queues `key` after its backoff: the key failed once more. */
  addRateLimited(key: string): void {
    if (this.stopping) return;
    this.observer.retried?.();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** The key succeeded (or will never succeed): its backoff starts again from the bottom. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** How many times `key` has been re-queued with backoff since it was last forgotten. */
  retries(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /**
   * The next key to work on, which belongs to the caller until it calls `done(key)`. Waits for
   * one; resolves undefined once the queue is shut down and empty.
   */
  get(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    if (this.stopping) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The caller finished `key`; if it was added meanwhile, it is queued again now. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.observer.depth?.(this.queue.length);
      this.handOut();
    }
    if (this.processing.size === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  /** Keys queued and not yet handed out. */
  get depth(): number {
    return this.queue.length;
  }

  /** Keys handed out and not yet done. */
  get inFlight(): number {
    return this.processing.size;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Takes no more keys (delayed ones are dropped); what is queued is still handed out. */
  shutDown(): void {
    this.stopping = true;
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    if (this.queue.length === 0) for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  /** `shutDown`, then resolves when every queued key has been handed out and every held key is done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private take(): string | undefined {
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.observer.depth?.(this.queue.length);
    this.processing.add(key);
    this.dirty.delete(key);
    return key;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.length > 0) this.getters.shift()!(this.take());
    if (this.stopping && this.queue.length === 0) for (const resolve of this.getters.splice(0)) resolve(undefined);
  }
}
