/**
 * The placement loop: decides pending pods one after another from the scheduling queue and
 * binds them, many binds in flight, each decision already counting the pods assumed before it.
 *
 *   informer events ─► snapshot (nodes, bound pods, namespaces) ─ cluster changed? ─► queue
 *   reconcile(key)  ─► sync: file the pending pod, or drop it ────────────────────► queue
 *
 *   loop: while a bind slot is free and a pod is due:
 *     pop ─► place(pod, snapshot) ─┬─ node  ─► assume ─► bind (async) ─┬─ ok ───► wait for the informer
 *                                  │                                   └─ error ─► forget, back off
 *                                  └─ none ─► unschedulable: report (status, event), wait for a change
 *
 * Decisions are synchronous and never interleave, so every decision sees every assumption made
 * before it. The API server refuses binds that would over-commit a node (409), which keeps
 * several placement loops — or one with a stale snapshot — from overfilling one.
 */
import { isConflict, isNotFound } from '../../src/api/errors';
import type { Namespace, Node, Pod } from '../../src/api/types';
import { untilAborted } from '../../src/client/abort';
import { errorMessage, logger } from '../../src/log';
import { deepEqual } from '../../src/util/json';
import { place, PlaceOptions } from './place';
import { podInfo, PodInfo } from './pod-info';
import { QueuedPod, QueueOptions, SchedulingQueue } from './scheduling-queue';
import { Snapshot } from './snapshot';

const log = logger('placement');

/** Upstream's name for the default scheduler: pods naming it (or none) are placement's. */
export const defaultSchedulerName = 'default-scheduler';

/** Posts a Binding; rejects as the API does (Conflict when bound already or the node is full). */
export type Binder = (pod: Pod, node: string, signal: AbortSignal) => Promise<void>;

/** Where the outcome of a decision goes: status, events. */
export interface Reporter {
  scheduled(pod: Pod, node: string): void;
  unschedulable(pod: Pod, message: string): void;
}

export interface SchedulerOptions extends QueueOptions {
  place?: PlaceOptions;
  /** The pods this loop places: those naming it in spec.schedulerName (default-scheduler, or none). */
  schedulerName?: string;
  /** Binds in flight at once (default 32). */
  maxInFlight?: number;
  now?: () => number;
}

/** Whether the placement loop serving `schedulerName` should place this pod now. */
export function isPending(pod: Pod, schedulerName = defaultSchedulerName): boolean {
  const spec = pod.spec;
  if (!spec || spec.nodeName || pod.metadata.deletionTimestamp) return false;
  if ((spec.schedulerName || defaultSchedulerName) !== schedulerName) return false;
  if ((spec.schedulingGates ?? []).length > 0) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** What of a node placement decides on; a heartbeat alone changes none of it. */
function schedulingProperties(node: Node): unknown {
  return [
    node.metadata.labels,
    node.spec?.taints,
    node.spec?.unschedulable,
    node.status?.allocatable ?? node.status?.capacity,
    node.status?.conditions?.find((c) => c.type === 'Ready')?.status,
  ];
}

interface Attempt {
  entry: QueuedPod;
  info: PodInfo;
  node: string;
  controller: AbortController;
}

export class Scheduler {
  readonly snapshot = new Snapshot();
  readonly queue: SchedulingQueue;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  readonly schedulerName: string;
  private readonly inFlight = new Map<string, Attempt>();
  private signal?: AbortSignal;
  private pumpPending = false;
  private changed = false;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private idle: Array<() => void> = [];
  private readonly invalidNodes = new Set<string>();

  constructor(
    private readonly binder: Binder,
    private readonly reporter: Reporter,
    private readonly options: SchedulerOptions = {},
  ) {
    this.queue = new SchedulingQueue(options);
    this.now = options.now ?? Date.now;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 32);
    this.schedulerName = options.schedulerName ?? defaultSchedulerName;
  }

  get running(): boolean {
    return this.signal !== undefined && !this.signal.aborted;
  }

  get bindsInFlight(): number {
    return this.inFlight.size;
  }

  // ---- informer events: keep the snapshot current ------------------------------------------

  podChanged(pod: Pod): void {
    if (pod.spec?.nodeName) {
      this.snapshot.addPod(pod);
      // A pod that came, went terminal or moved may let a waiting pod in (resources, affinity).
      this.clusterChanged();
    } else if (!this.snapshot.pod(pod.metadata.uid ?? '')?.assumed) {
      // Unbound as far as the informer knows; an assumption of ours stays until the bind settles.
      this.snapshot.removePod(pod);
    }
  }

  podDeleted(pod: Pod): void {
    this.snapshot.removePod(pod);
    if (pod.spec?.nodeName) this.clusterChanged();
  }

  nodeChanged(before: Node | undefined, node: Node): void {
    const name = node.metadata.name ?? '';
    try {
      this.snapshot.setNode(node);
      this.invalidNodes.delete(name);
    } catch (e) {
      // A node reporting a quantity that does not parse cannot be placed on; say so once.
      if (!this.invalidNodes.has(name)) log.warn('node ignored: its allocatable does not parse', { node: name, error: errorMessage(e) });
      this.invalidNodes.add(name);
      return;
    }
    if (!before || !deepEqual(schedulingProperties(before), schedulingProperties(node))) this.clusterChanged();
  }

  nodeDeleted(node: Node): void {
    this.snapshot.removeNode(node.metadata.name ?? '');
  }

  namespaceChanged(namespace: Namespace): void {
    this.snapshot.setNamespace(namespace);
    this.clusterChanged();
  }

  namespaceDeleted(namespace: Namespace): void {
    this.snapshot.removeNamespace(namespace.metadata.name ?? '');
  }

  // ---- reconcile: which pods are pending -----------------------------------------------------

  /** Files the pod under `key` if it is pending and placement's, or drops it. */
  sync(key: string, pod: Pod | undefined): void {
    if (!pod || !isPending(pod, this.schedulerName)) {
      this.queue.remove(key);
      return;
    }
    this.queue.file(pod, this.now());
    this.wake();
  }

  // ---- the loop --------------------------------------------------------------------------------

  /** Decides and binds until `signal` aborts; then drops every assumption not confirmed and empties the queue. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('the placement loop is running already');
    this.signal = signal;
    this.wake();
    await untilAborted(signal);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    for (const attempt of this.inFlight.values()) attempt.controller.abort();
    await this.settled();
    for (const entry of this.queue.clear()) this.snapshot.forget(entry.pod);
  }

  /** Resolves when no bind is in flight (tests, shutdown). */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private clusterChanged(): void {
    if (this.changed) return;
    this.changed = true;
    this.wake();
  }

  private wake(): void {
    if (this.pumpPending || !this.running) return;
    this.pumpPending = true;
    setImmediate(() => this.pump());
  }

  /** Decides as many pods as there are free bind slots; arms a timer for the next backoff to end. */
  private pump(): void {
    this.pumpPending = false;
    if (!this.running) return;
    const now = this.now();
    if (this.changed) {
      this.changed = false;
      this.queue.clusterChanged(now);
    }
    while (this.inFlight.size < this.maxInFlight) {
      const entry = this.queue.pop(now);
      if (!entry) break;
      this.decide(entry, now);
    }
    this.arm();
  }

  private decide(entry: QueuedPod, now: number): void {
    const pod = entry.pod;
    let info: PodInfo;
    try {
      info = podInfo(pod);
    } catch (e) {
      // A request that does not parse fits nowhere until the pod is fixed.
      return this.unschedulable(entry, errorMessage(e), now);
    }
    const placement = place(info, this.snapshot, this.options.place);
    if ('unschedulable' in placement) return this.unschedulable(entry, placement.unschedulable.message, now);
    const node = placement.bound;
    this.snapshot.assume(info, node);
    const attempt: Attempt = { entry, info, node, controller: new AbortController() };
    this.inFlight.set(entry.key, attempt);
    this.binder(pod, node, attempt.controller.signal).then(
      () => this.bindDone(attempt),
      (e) => this.bindFailed(attempt, e),
    );
  }

  private unschedulable(entry: QueuedPod, message: string, now: number): void {
    this.queue.markUnschedulable(entry, now);
    // Each new reason is reported once; the same reason again is not news.
    if (entry.reported === message) return;
    entry.reported = message;
    this.reporter.unschedulable(entry.pod, message);
  }

  private bindDone(attempt: Attempt): void {
    this.finish(attempt);
    this.queue.bound(attempt.entry);
    this.reporter.scheduled(attempt.entry.pod, attempt.node);
  }

  private bindFailed(attempt: Attempt, e: unknown): void {
    this.finish(attempt);
    this.snapshot.forget(attempt.info);
    if (attempt.controller.signal.aborted) return;
    const { entry } = attempt;
    if (isNotFound(e) && e.details.kind !== 'nodes') {
      // Deleted while we decided; the informer will tell the reconcile so.
      this.queue.remove(entry.key);
      return;
    }
    // Refusals are expected when another placement loop got there first; anything else is news.
    const fields = { pod: entry.key, node: attempt.node, error: errorMessage(e) };
    if (isConflict(e)) log.debug('bind refused; will try again after a backoff', fields);
    else log.warn('bind failed; will try again after a backoff', fields);
    this.queue.retry(entry, this.now());
  }

  private finish(attempt: Attempt): void {
    this.inFlight.delete(attempt.entry.key);
    if (this.inFlight.size === 0) for (const resolve of this.idle.splice(0)) resolve();
    this.wake();
  }

  private arm(): void {
    const at = this.queue.nextWakeAt();
    if (at === undefined || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.wake();
    }, Math.max(0, at - this.now()));
  }
}
