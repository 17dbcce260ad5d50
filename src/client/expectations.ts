/**
 * Expectations (client-go's ControllerExpectations with UID-tracked deletions): the creates and
 * deletes a controller has sent for a key but not yet seen come back through its informer.
 * While any are outstanding the cache is known to lag, and a reconcile that counted from it
 * would create (or delete) twice; so it waits until `satisfied(key)`.
 *
 *   if (!expectations.satisfied(key)) return;        // the cache is behind our own writes
 *   expectations.expectCreations(key, missing);
 *   for (...) try { await pods.create(...) } catch (e) { expectations.creationObserved(key); throw e }
 *
 * The controller runtime observes for you: an owned object added through the informer counts as
 * a creation seen for its owner's key; one deleted (or marked for deletion) as a deletion seen.
 * Expectations older than the TTL (default 5 minutes) count as satisfied, so an event that never
 * arrives cannot wedge a key forever.
 */

interface Pending {
  creations: number;
  deletions: Set<string>;
  setAt: number;
}

export interface ExpectationsOptions {
  ttlMs?: number;
  now?: () => number;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ExpectationsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** `count` creations are on their way for `key` (replacing whatever was expected before). */
  expectCreations(key: string, count: number): void {
    const previous = this.pending.get(key);
    const deletions = previous && !this.expired(previous) ? previous.deletions : new Set<string>();
    this.pending.set(key, { creations: count, deletions, setAt: this.now() });
  }

  /** The objects with these uids are being deleted for `key` (replacing whatever was expected before). */
  expectDeletions(key: string, uids: readonly string[]): void {
    const previous = this.pending.get(key);
    const creations = previous && !this.expired(previous) ? previous.creations : 0;
    this.pending.set(key, { creations, deletions: new Set(uids), setAt: this.now() });
  }

  /** One creation for `key` was seen (or failed, so will never be seen). */
  creationObserved(key: string): void {
    const p = this.pending.get(key);
    if (p && p.creations > 0) p.creations--;
  }

  /** The deletion of `uid` for `key` was seen (or failed, so will never be seen). */
  deletionObserved(key: string, uid: string): void {
    this.pending.get(key)?.deletions.delete(uid);
  }

  /** True when nothing is outstanding for `key`, or what is has waited past the TTL. */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    return (p.creations <= 0 && p.deletions.size === 0) || this.expired(p);
  }

  /** What is still outstanding, for logs and tests. */
  outstanding(key: string): { creations: number; deletions: string[] } {
    const p = this.pending.get(key);
    return { creations: Math.max(0, p?.creations ?? 0), deletions: [...(p?.deletions ?? [])] };
  }

  /** The key's object is gone: drop its expectations. */
  forget(key: string): void {
    this.pending.delete(key);
  }

  private expired(p: Pending): boolean {
    return this.now() - p.setAt > this.ttlMs;
  }
}
