/**
 * The contract between a controller and the runtime that drives it.
 */
import type { Logger } from '../log';

/** What the runtime hands each reconcile. */
export interface ReconcileContext {
  /**
   * Aborts when the reconcile runs past the controller's timeout or the controller stops. Pass it
   * to every client call (`{ signal: ctx.signal }`) so an abandoned reconcile stops writing.
   */
  readonly signal: AbortSignal;
  /** A logger carrying `{ controller, key, reconcileId }`. */
  readonly log: Logger;
  /** Unique per reconcile, to follow one run through the logs. */
  readonly reconcileId: string;
}

/** What a reconcile asks for next. `{}` (or nothing) means done until something changes. */
export interface Result {
  /** Look again after this many ms (a timeout to check, a rollout to follow). Resets the backoff. */
  requeueAfter?: number;
}

/**
 * A reconciler converges one object, named by its key (`namespace/name`, or `name` for
 * cluster-scoped kinds), towards what it declares. It is level-based: it never learns whether
 * the object was added, changed or deleted, only its key. It reads what it needs from informer
 * caches (the object may be gone: then it cleans up), makes the writes that close the gap through
 * the client with the resourceVersion it read, and writes status.
 *
 * The runtime guarantees that one key is never reconciled by two workers at once, and that a
 * key changed during a reconcile is reconciled once more afterwards.
 *
 * What the returned promise means:
 *   - resolves `{}` or nothing      done; the key waits for the next change (or resync)
 *   - resolves `{ requeueAfter }`   look again after that many ms; the error backoff resets
 *   - rejects with an error         retry with per-key exponential backoff (5 ms doubling to
 *                                   1000 s, within an overall 10 per second); a Conflict from a
 *                                   stale read lands here and heals on the retry
 *   - rejects with TerminalError    logged and recorded, not retried: the object is wrong in a
 *                                   way only a new generation of it can fix
 *
 * It must not mutate objects from the cache (they are frozen); clone before changing.
 */
export interface Reconciler {
  reconcile(ctx: ReconcileContext, key: string): Promise<Result | void>;
}

/** An error retrying cannot fix (a bad spec): logged, counted, not retried. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export function isTerminal(e: unknown): e is TerminalError {
  return e instanceof TerminalError;
}

/** `return requeueAfter(30_000)`: look again in 30 s. */
export function requeueAfter(ms: number): Result {
  return { requeueAfter: ms };
}
