/**
 * The controller runtime: the plumbing every controller shares, written once.
 *
 *   informer(for)     ── add/update/delete ──► key of the object ─────┐
 *   informer(owns)    ── add/update/delete ──► key of its controller ─┤   (and expectations observed)
 *   informer(watches) ── add/update/delete ──► map(obj) → keys ───────┤
 *                                                                     ▼
 *                                             work queue (dedup, backoff, rate limit)
 *                                                                     │ N workers
 *                                                                     ▼
 *                      reconcile(ctx, key) with a timeout, a reconcile id on the logger,
 *                      exceptions captured: error → backoff, TerminalError → drop,
 *                      { requeueAfter } → look again later, otherwise done
 *
 *   run(queue, signal)  ── work of the controller's own beside the workers: keys from sources
 *                          the declaration cannot name up front, or a loop that is not one key
 *                          at a time (placement's decision loop)
 */
import { randomUUID } from 'node:crypto';
import { Timeout } from '../api/errors';
import type { Obj, OwnerReference } from '../api/object';
import { errorMessage, logger, Logger } from '../log';
import { sleep, timedSignal } from './abort';
import type { Expectations } from './expectations';
import type { EventHandlers, Informer } from './informer';
import { KindRef, keyOf, parseApiVersion } from './kinds';
import { queueObserver, reconcileMetrics } from './metrics';
import type { RateLimiter } from './rate-limiter';
import { isTerminal, Reconciler, Result } from './reconciler';
import type { InformerScope, SharedInformerFactory } from './shared-informers';
import { WorkQueue } from './work-queue';

/** How long a worker reconciles keys back to back before letting the event loop run. */
const turnMs = 5;

/** Another kind whose changes concern this controller, and the keys each change concerns. */
export interface WatchDeclaration<S extends Obj = Obj> {
  kind: KindRef<S>;
  scope?: InformerScope;
  map(obj: S): string[];
}

export interface ControllerDeclaration<T extends Obj = Obj> {
  /** Names the controller in logs, metrics and events: `replicaset`. */
  name: string;
  /**
   * The kind it reconciles; keys are `namespace/name` of these objects. A controller without one
   * gets its keys from `watches` and `run` only (the garbage collector: keys are uids of any kind).
   */
  for?: KindRef<T>;
  /** Narrows the `for` informer (one namespace, a selector). */
  forScope?: InformerScope;
  /** Kinds it creates and controls: a change to one enqueues its controller (the ownerReference with `controller: true` of kind `for`). */
  owns?: KindRef[];
  /** Other kinds it reads, with the keys a change to one of them concerns. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  watches?: WatchDeclaration<any>[];
  /** Reconciles running at once, never two on one key (default 1). */
  workers?: number;
  /** A reconcile running longer is abandoned and retried with backoff (default 60 s). */
  reconcileTimeoutMs?: number;
  /** Creations and deletions in flight; owned objects seen through the informer are observed in it. */
  expectations?: Expectations;
  /** Backoff for failed keys (default: per key 5 ms → 1000 s, overall 10/s burst 100). */
  rateLimiter?: RateLimiter;
  reconciler: Reconciler;
  /**
   * Started with the workers once the caches have synced, and given the controller's queue and
   * the signal that stops the workers: for keys from sources the declaration cannot name up front
   * (kinds found at run time) or a loop of the controller's own. The controller stops when the
   * workers are done and this has settled; a rejection is logged.
   */
  run?(queue: WorkQueue, signal: AbortSignal): Promise<void>;
}

type Outcome = { result: Result } | { error: unknown } | { abandoned: true };

export class Controller<T extends Obj = Obj> {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly removers: Array<() => void> = [];

  constructor(
    readonly declaration: ControllerDeclaration<T>,
    private readonly informers: SharedInformerFactory,
  ) {
    this.name = declaration.name;
    this.log = logger('controller', { controller: declaration.name });
    this.queue = new WorkQueue({ rateLimiter: declaration.rateLimiter, observer: queueObserver(declaration.name) });
  }

  /** Hooks up the informers, waits for their caches, runs the workers until `signal` aborts, then drains. */
  async run(signal: AbortSignal): Promise<void> {
    const watched = this.connect();
    if (!this.informers.started) this.informers.start(signal);
    const onAbort = () => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const synced = await Promise.all(watched.map((i) => i.waitForSync(signal)));
      if (!synced.every(Boolean)) return;
      this.log.info('caches synced; starting workers', { workers: this.declaration.workers ?? 1 });
      const workers = Array.from({ length: Math.max(1, this.declaration.workers ?? 1) }, () => this.work(signal));
      const own = this.declaration.run?.(this.queue, signal).catch((e) => this.log.error('the controller\'s own loop failed', { error: errorMessage(e) }));
      await Promise.all([...workers, own]);
      // Reconciles abandoned after a timeout may still hold keys; give them one more timeout to settle.
      const patience = new AbortController();
      await Promise.race([this.queue.shutDownWithDrain(), sleep(this.declaration.reconcileTimeoutMs ?? 60_000, patience.signal)]);
      patience.abort();
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.queue.shutDown();
      for (const remove of this.removers.splice(0)) remove();
      this.log.info('stopped');
    }
  }

  /** Registers the event handlers; returns the informers whose caches the workers need. */
  private connect(): Informer[] {
    const d = this.declaration;
    const informers: Informer[] = [];
    if (d.for) {
      const primary = this.informers.for(d.for, d.forScope);
      const enqueue = (obj: T) => this.queue.add(keyOf(obj));
      this.listen<T>(primary, { onAdd: enqueue, onUpdate: (_old, obj) => enqueue(obj), onDelete: enqueue });
      informers.push(primary as unknown as Informer);
    } else if (d.owns?.length) {
      throw new Error(`controller ${d.name}: owns needs a for kind (owned objects enqueue their controller of that kind)`);
    }
    for (const kind of d.owns ?? []) {
      const owned = this.informers.for(kind, d.forScope?.namespace ? { namespace: d.forScope.namespace } : {});
      this.listen(owned, this.ownedHandlers());
      informers.push(owned);
    }
    for (const watch of d.watches ?? []) {
      const other = this.informers.for(watch.kind, watch.scope);
      const map = (obj: Obj) => {
        for (const key of watch.map(obj)) this.queue.add(key);
      };
      this.listen(other, {
        onAdd: map,
        onUpdate: (old, obj) => {
          map(old);
          map(obj);
        },
        onDelete: map,
      });
      informers.push(other);
    }
    return informers;
  }

  private listen<S extends Obj>(informer: Informer<S>, handlers: EventHandlers<S>): void {
    this.removers.push(informer.addHandler(handlers));
  }

  /** Events on owned objects go to their controller's key, and settle its expectations. */
  private ownedHandlers(): EventHandlers<Obj> {
    const expectations = this.declaration.expectations;
    const deleted = (obj: Obj) => {
      const owner = this.ownerKey(obj);
      if (!owner) return;
      if (obj.metadata.uid) expectations?.deletionObserved(owner, obj.metadata.uid);
      this.queue.add(owner);
    };
    return {
      onAdd: (obj) => {
        // An object that arrives already marked for deletion (a re-list) is a deletion to the owner.
        if (obj.metadata.deletionTimestamp) return deleted(obj);
        const owner = this.ownerKey(obj);
        if (!owner) return;
        expectations?.creationObserved(owner);
        this.queue.add(owner);
      },
      onUpdate: (old, obj) => {
        if (obj.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return deleted(obj);
        const before = this.ownerKey(old);
        const after = this.ownerKey(obj);
        if (before && before !== after) this.queue.add(before);
        if (after) this.queue.add(after);
      },
      onDelete: deleted,
    };
  }

  /** The key of the object's controller, when that controller is of the kind this controller is `for`. */
  private ownerKey(obj: Obj): string | undefined {
    const ref = controllerOf(obj);
    if (!ref) return undefined;
    const { group } = parseApiVersion(ref.apiVersion);
    const kind = this.declaration.for;
    if (!kind) return undefined;
    if (ref.kind !== kind.kind || group !== kind.group) return undefined;
    return kind.namespaced && obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
  }

  private async work(stop: AbortSignal): Promise<void> {
    let turn = performance.now();
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      // Shutting down: what is still queued is handed out so the queue drains, but not reconciled.
      if (stop.aborted) {
        this.queue.done(key);
        continue;
      }
      await this.process(key, stop);
      // Keys that reconcile from the cache alone chain on promises and never give the event loop
      // back: 10,000 pods queued by a list held back every socket read, timer (the lease's renewal)
      // and setImmediate (placement's decisions) for half a second.
      if (performance.now() - turn > turnMs) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = performance.now();
      }
    }
  }

  private async process(key: string, stop: AbortSignal): Promise<void> {
    const reconcileId = randomUUID();
    const log = this.log.child({ key, reconcileId });
    const timeoutMs = this.declaration.reconcileTimeoutMs ?? 60_000;
    const timed = timedSignal(timeoutMs, stop, () => new Timeout(`reconcile of ${key} by ${this.name} took longer than ${timeoutMs} ms`));
    const started = process.hrtime.bigint();
    const run = (async () => this.declaration.reconciler.reconcile({ signal: timed.signal, log, reconcileId }, key))();
    let onTimeout: () => void = () => undefined;
    const abandoned = new Promise<Outcome>((resolve) => {
      onTimeout = () => {
        if (timed.timedOut) resolve({ abandoned: true });
      };
      timed.signal.addEventListener('abort', onTimeout, { once: true });
    });
    const outcome = await Promise.race([run.then((result): Outcome => ({ result: result ?? {} }), (error): Outcome => ({ error })), abandoned]);
    timed.signal.removeEventListener('abort', onTimeout);
    timed.dispose();
    reconcileMetrics.time.observe({ controller: this.name }, Number(process.hrtime.bigint() - started) / 1e9);

    if ('abandoned' in outcome) {
      // The key stays held until the stray run settles, so no second run overlaps it; the worker moves on.
      log.error('reconcile timed out; abandoned, will retry', { timeoutMs });
      this.count('error');
      void run
        .catch(() => undefined)
        .finally(() => {
          this.queue.addRateLimited(key);
          this.queue.done(key);
        });
      return;
    }
    if ('error' in outcome) {
      if (isTerminal(outcome.error)) {
        log.error('reconcile failed terminally; not retrying', { error: errorMessage(outcome.error) });
        this.count('terminal_error');
        this.queue.forget(key);
      } else if (stop.aborted) {
        log.debug('reconcile ended by shutdown', { error: errorMessage(outcome.error) });
      } else {
        log.warn('reconcile failed; retrying with backoff', { error: errorMessage(outcome.error), retries: this.queue.retries(key) });
        this.count('error');
        this.queue.addRateLimited(key);
      }
    } else if (outcome.result.requeueAfter !== undefined && outcome.result.requeueAfter > 0) {
      this.count('requeue_after');
      this.queue.forget(key);
      this.queue.addAfter(key, outcome.result.requeueAfter);
    } else {
      this.count('success');
      this.queue.forget(key);
    }
    this.queue.done(key);
  }

  private count(result: 'success' | 'error' | 'terminal_error' | 'requeue_after'): void {
    reconcileMetrics.total.inc({ controller: this.name, result });
    if (result === 'error' || result === 'terminal_error') reconcileMetrics.errors.inc({ controller: this.name });
  }
}

/** The ownerReference with `controller: true`, if any. */
export function controllerOf(obj: Obj): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}
