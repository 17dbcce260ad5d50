/**
 * The pending pods the placement loop decides, as upstream's scheduling queue keeps them:
 *
 *   file(pod) ──► active (priority, then first come) ──pop()──► deciding ──► binding ──► bound
 *                   ▲   ▲                                          │            │ 409 / error
 *                   │   └──────────── backoff (1 s doubling to 10 s) ◄──────────┘
 *                   │                     ▲
 *                   └─ cluster changed ───┴─ unschedulable (fits nowhere; waits for a change,
 *                      (past its backoff)                   or at most five minutes)
 *
 * A pod that fits nowhere is not tried again until something in the cluster changes (a node
 * joins or changes, a bound pod goes away...), and even then not before its backoff has passed,
 * so a busy cluster never turns it into a hot loop. Keys are `namespace/name`; the queue holds the
 * latest Pod object seen for each. Time is passed in, so the queue itself is a plain data structure.
 */
import type { Pod } from '../../src/api/types';
import { deepEqual } from '../../src/util/json';

export type QueueState = 'active' | 'backoff' | 'unschedulable' | 'binding' | 'bound';

export interface QueuedPod {
  readonly key: string;
  pod: Pod;
  state: QueueState;
  /** Failed attempts (unschedulable or refused binds) since the pod was filed. */
  attempts: number;
  lastAttemptAt: number;
  /** When a backoff ends, while in backoff. */
  readyAt: number;
  /** When it became unschedulable, while unschedulable. */
  unschedulableSince: number;
  /** The last unschedulable message reported for it, so the same one is not reported twice. */
  reported?: string;
  /** Filing order: first come, first decided among pods of equal priority. */
  readonly sequence: number;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** An unschedulable pod is tried again after this long even if nothing seemed to change. */
  maxUnschedulableMs?: number;
}

/** A binary heap over `before`; stale entries are skipped by the caller (lazy deletion). */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && this.before(items[left], items[best])) best = left;
        if (right < items.length && this.before(items[right], items[best])) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

const priorityOf = (pod: Pod): number => pod.spec?.priority ?? 0;

/** Whether a change to a waiting pod could change where it fits (not its status alone). */
function couldFitDifferently(before: Pod, after: Pod): boolean {
  return (
    (before.metadata.generation ?? 0) !== (after.metadata.generation ?? 0) ||
    !deepEqual(before.metadata.labels ?? {}, after.metadata.labels ?? {}) ||
    !deepEqual(before.spec, after.spec)
  );
}

export class SchedulingQueue {
  private readonly pods = new Map<string, QueuedPod>();
  private readonly active = new Heap<QueuedPod>((a, b) => {
    const pa = priorityOf(a.pod);
    const pb = priorityOf(b.pod);
    return pa !== pb ? pa > pb : a.sequence < b.sequence;
  });
  private readonly backoff = new Heap<{ entry: QueuedPod; readyAt: number }>((a, b) => a.readyAt < b.readyAt);
  private readonly unschedulable = new Set<QueuedPod>();
  private sequence = 0;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;

  constructor(options: QueueOptions = {}) {
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? 5 * 60_000;
  }

  get size(): number {
    return this.pods.size;
  }

  get(key: string): QueuedPod | undefined {
    return this.pods.get(key);
  }

  /** How many pods are in each state. */
  counts(): Record<QueueState, number> {
    const counts: Record<QueueState, number> = { active: 0, backoff: 0, unschedulable: 0, binding: 0, bound: 0 };
    for (const entry of this.pods.values()) counts[entry.state]++;
    return counts;
  }

  /**
   * A pending pod as the informer now has it. A new pod goes to the active queue; a known one
   * keeps its place, except that a waiting pod whose spec or labels changed is looked at again
   * (after its backoff), and a pod recreated under the same name starts afresh.
   */
  file(pod: Pod, now: number): void {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const entry = this.pods.get(key);
    if (!entry || entry.pod.metadata.uid !== pod.metadata.uid) {
      if (entry) this.remove(key);
      const fresh: QueuedPod = { key, pod, state: 'active', attempts: 0, lastAttemptAt: 0, readyAt: 0, unschedulableSince: 0, sequence: this.sequence++ };
      this.pods.set(key, fresh);
      this.active.push(fresh);
      return;
    }
    const before = entry.pod;
    entry.pod = pod;
    if (entry.state === 'unschedulable' && couldFitDifferently(before, pod)) this.release(entry, now);
  }

  /** The pod is bound, deleted, or no longer placement's to place. */
  remove(key: string): void {
    const entry = this.pods.get(key);
    if (!entry) return;
    this.pods.delete(key);
    // The heaps drop it lazily: an entry no longer in `pods` is skipped.
    this.unschedulable.delete(entry);
  }

  /** The next pod to decide, by priority then filing order; backoffs that ended join first. */
  pop(now: number): QueuedPod | undefined {
    this.promote(now);
    for (;;) {
      const entry = this.active.pop();
      if (!entry) return undefined;
      if (entry.state !== 'active' || this.pods.get(entry.key) !== entry) continue;
      entry.state = 'binding';
      entry.lastAttemptAt = now;
      return entry;
    }
  }

  /** The bind went through; the entry stays until the informer shows the pod bound. */
  bound(entry: QueuedPod): void {
    if (this.pods.get(entry.key) === entry) entry.state = 'bound';
  }

  /** The bind was refused or failed: try again after the backoff. */
  retry(entry: QueuedPod, now: number): void {
    if (this.pods.get(entry.key) !== entry) return;
    entry.attempts++;
    entry.lastAttemptAt = now;
    this.toBackoff(entry, now + this.backoffMs(entry.attempts));
  }

  /** It fits nowhere: wait for the cluster to change. */
  markUnschedulable(entry: QueuedPod, now: number): void {
    if (this.pods.get(entry.key) !== entry) return;
    entry.attempts++;
    entry.lastAttemptAt = now;
    entry.state = 'unschedulable';
    entry.unschedulableSince = now;
    this.unschedulable.add(entry);
  }

  /** Something changed that may make unschedulable pods fit: each goes back once its backoff has passed. */
  clusterChanged(now: number): void {
    for (const entry of [...this.unschedulable]) this.release(entry, now);
  }

  /** When the queue next needs a look (a backoff ends, an unschedulable pod is due), or undefined. */
  nextWakeAt(): number | undefined {
    let next: number | undefined;
    for (;;) {
      const top = this.backoff.peek();
      if (!top || (top.entry.state === 'backoff' && top.entry.readyAt === top.readyAt && this.pods.get(top.entry.key) === top.entry)) {
        next = top?.readyAt;
        break;
      }
      this.backoff.pop();
    }
    // The set is in the order pods became unschedulable: the first is due first.
    const first = this.unschedulable.values().next().value;
    if (first) {
      const due = first.unschedulableSince + this.maxUnschedulableMs;
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  /** Every pod in flight, and every entry forgotten: for when the loop stops. */
  clear(): QueuedPod[] {
    const binding = [...this.pods.values()].filter((e) => e.state === 'binding');
    for (const entry of this.pods.values()) entry.state = 'bound';
    this.pods.clear();
    this.unschedulable.clear();
    this.active.clear();
    this.backoff.clear();
    return binding;
  }

  backoffMs(attempts: number): number {
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  }

  private release(entry: QueuedPod, now: number): void {
    this.unschedulable.delete(entry);
    const readyAt = entry.lastAttemptAt + this.backoffMs(entry.attempts);
    if (readyAt <= now) {
      entry.state = 'active';
      this.active.push(entry);
    } else {
      this.toBackoff(entry, readyAt);
    }
  }

  private toBackoff(entry: QueuedPod, readyAt: number): void {
    this.unschedulable.delete(entry);
    entry.state = 'backoff';
    entry.readyAt = readyAt;
    this.backoff.push({ entry, readyAt });
  }

  /** Ended backoffs become active; unschedulable pods waiting past the limit are released. */
  private promote(now: number): void {
    for (;;) {
      const top = this.backoff.peek();
      if (!top || top.readyAt > now) break;
      this.backoff.pop();
      const entry = top.entry;
      if (entry.state !== 'backoff' || entry.readyAt !== top.readyAt || this.pods.get(entry.key) !== entry) continue;
      entry.state = 'active';
      this.active.push(entry);
    }
    for (const entry of this.unschedulable) {
      if (entry.unschedulableSince + this.maxUnschedulableMs > now) break;
      this.release(entry, now);
    }
  }
}
