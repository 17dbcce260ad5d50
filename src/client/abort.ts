/**
 * Timers that belong to an AbortSignal. Everything in the client that waits (backoff, resync,
 * lease renewals) waits through these, so aborting the owner's signal leaves no timer behind.
 */
import { setMaxListeners } from 'node:events';

const shared = new WeakSet<AbortSignal>();

/**
 * A run signal is shared by every worker, watch and timer of a process, each holding a listener
 * for as long as it waits (and removing it after): many at once is the design, not a leak.
 */
export function follow(parent: AbortSignal, onAbort: () => void): void {
  if (!shared.has(parent)) {
    shared.add(parent);
    setMaxListeners(0, parent);
  }
  parent.addEventListener('abort', onAbort, { once: true });
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). Returns whether the time elapsed. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    if (signal) follow(signal, onAbort);
  });
}

/** Resolves when `signal` aborts (at once if it has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => follow(signal, resolve));
}

/** A signal that aborts with `parent` or after `ms`; `dispose()` clears the timer and the listener. */
export interface TimedSignal {
  signal: AbortSignal;
  /** True once the time ran out (as opposed to the parent aborting). */
  readonly timedOut: boolean;
  /** Stops the clock but keeps following the parent (a stream that got its headers in time). */
  clearTimer(): void;
  /** Stops the clock and detaches from the parent. */
  dispose(): void;
}

export function timedSignal(ms: number | undefined, parent?: AbortSignal, reason = (): unknown => new Error(`timed out after ${ms} ms`)): TimedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else if (parent) follow(parent, onAbort);
  const timer =
    ms === undefined || !Number.isFinite(ms)
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(reason());
        }, Math.max(0, ms));
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    clearTimer: () => {
      if (timer) clearTimeout(timer);
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

/** A child controller that aborts with `parent`; `dispose()` detaches it. */
export function childController(parent: AbortSignal): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}

/** The error an aborted operation throws: the signal's reason, or a standard AbortError. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('the operation was aborted');
  e.name = 'AbortError';
  return e;
}

/** Exponential backoff with jitter: base·2^attempt, capped, times a random factor in [1, 1 + jitter). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, jitter = 0.2): number {
  const plain = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.min(maxMs, plain * (1 + Math.random() * jitter));
}
