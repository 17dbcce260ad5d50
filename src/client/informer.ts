/**
 * An informer keeps a local, indexed copy of a resource and tells handlers what changed, as
 * client-go's reflector + indexer + shared informer do:
 *
 *   list (paged) ──► cache.replace ──► handlers ──┐
 *        ▲                                        ▼
 *        │ 410 Gone                 watch from the list's version (bookmarks, timeoutSeconds)
 *        └─────────────── ERROR ◄──── events ──► cache ──► handlers (add / update / delete)
 *                                       stream ends ──► watch again from the last version
 *
 * After a 410 it re-lists at the last version it saw, and if the server no longer has that
 * either, at the latest. Other failures are retried with backoff (800 ms doubling to 30 s). A
 * resync period hands every cached object to `onUpdate` again, so level-based controllers heal
 * what they might have missed. Aborting the signal given to `run` stops everything it started.
 */
import { isGone, Timeout, Unavailable } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage, logger, Logger } from '../log';
import { deepFreeze } from '../util/json';
import { backoffDelay, sleep, timedSignal } from './abort';
import { keyOf, resourceName } from './kinds';
import { CacheQuery, IndexFunction, ObjectCache } from './object-cache';
import type { ResourceClient } from './resource-client';

export interface DeleteInfo {
  /**
   * True when the delete was inferred from a re-list (the object was gone by then), so the object
   * is the last state the cache held rather than the state it was deleted in.
   */
  finalStateUnknown: boolean;
}

/** What a handler hears. Handlers run synchronously and should only record or enqueue. */
export interface EventHandlers<T extends Obj> {
  onAdd?(obj: T): void;
  /** Also called with the same object twice on every resync. */
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T, info: DeleteInfo): void;
}

export interface InformerOptions<T extends Obj = Obj> {
  labelSelector?: string;
  fieldSelector?: string;
  /** Every this many ms, every cached object goes to `onUpdate` (0 or absent: never). */
  resyncMs?: number;
  /** Items per list page (default 500). */
  pageSize?: number;
  /** How long the server keeps each watch open (default: random between 300 and 600 s, as client-go). */
  watchTimeoutSeconds?: number;
  /** Backoff after a failed list or watch: base doubling to max (defaults 800 ms and 30 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * Applied to every object before it is cached and handed to handlers, e.g. `stripManagedFields`
   * (as client-go's WithTransform): what a controller never reads need not be held in memory.
   * It may change the object it is given (a fresh one from the wire) and returns what to keep.
   */
  transform?: (obj: T) => T;
}

/**
 * Drops `metadata.managedFields`, which controllers never read and which make up about two
 * thirds of a typical pod's memory; upstream's controller manager and scheduler do the same.
 */
export function stripManagedFields<T extends Obj>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

export class Informer<T extends Obj = Obj> {
  readonly cache = new ObjectCache<T>();
  private readonly handlers = new Set<EventHandlers<T>>();
  private readonly syncWaiters = new Set<() => void>();
  private readonly log: Logger;
  private synced = false;
  private running?: Promise<void>;
  private lastVersion = '';

  constructor(
    readonly resource: ResourceClient<T>,
    private readonly options: InformerOptions<T> = {},
  ) {
    this.log = logger('informer', { resource: resourceName(resource.ref), namespace: resource.scope });
  }

  /** Listens from now on; a handler added after the first list first gets `onAdd` for every cached object. Returns the remover. */
  addHandler(handlers: EventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.synced) for (const obj of this.cache.list()) call(this.log, () => handlers.onAdd?.(obj));
    return () => this.handlers.delete(handlers);
  }

  addIndex(name: string, fn: IndexFunction<T>): void {
    this.cache.addIndex(name, fn);
  }

  /** True once the first list is in the cache and its handlers have run. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.syncWaiters.delete(done);
        resolve(false);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      this.syncWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The resourceVersion the cache reflects: the last list's, event's or bookmark's. */
  get resourceVersion(): string {
    return this.lastVersion;
  }

  // Reads of the cache, for convenience.
  get(key: string): T | undefined {
    return this.cache.get(key);
  }
  list(query?: CacheQuery): T[] {
    return this.cache.list(query);
  }
  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  /** Starts in the background (once); stops when `signal` aborts. */
  start(signal: AbortSignal): void {
    void this.run(signal);
  }

  /** Lists, watches and re-lists until `signal` aborts; resolves once everything it opened is closed. */
  run(signal: AbortSignal): Promise<void> {
    this.running ??= this.loop(signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const resync = this.options.resyncMs ? setInterval(() => this.resync(), this.options.resyncMs) : undefined;
    let needList = true;
    // After a 410 the next list asks for the last version seen; if that too is gone, the latest.
    let listFrom: string | undefined;
    let failures = 0;
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.relist(listFrom, signal);
            needList = false;
          }
          const started = Date.now();
          const events = await this.watch(signal);
          if (signal.aborted) break;
          if (events === 0 && Date.now() - started < 1000) throw new Unavailable('very short watch: the server ended it at once without an event');
          failures = 0;
          continue;
        } catch (e) {
          if (signal.aborted) break;
          if (needList && listFrom !== undefined && (isGone(e) || isTooLargeVersion(e))) {
            this.log.info('re-listing at the latest version', { asked: listFrom, reason: errorMessage(e) });
            listFrom = undefined;
            continue;
          }
          if (!needList && isGone(e)) {
            this.log.info('watch version expired; re-listing', { resourceVersion: this.lastVersion });
            needList = true;
            listFrom = this.lastVersion || undefined;
            if (failures++ === 0) continue;
          } else {
            this.log.warn(needList ? 'list failed' : 'watch failed', { error: errorMessage(e), attempt: failures + 1 });
            failures++;
          }
        }
        await sleep(backoffDelay(failures - 1, this.options.backoffBaseMs ?? 800, this.options.backoffMaxMs ?? 30_000), signal);
      }
    } finally {
      if (resync) clearInterval(resync);
    }
  }

  /** Replaces the cache with a fresh list, telling handlers what changed since the last one. */
  private async relist(from: string | undefined, signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await this.resource.listAll({
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      pageSize: this.options.pageSize ?? 500,
      resourceVersion: from,
      signal,
    });
    const seen = new Set<string>();
    for (const obj of items) {
      const key = keyOf(obj);
      seen.add(key);
      const previous = this.cache.get(key);
      if (previous && previous.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      const stored = this.store(obj);
      if (previous) this.emit((h) => h.onUpdate?.(previous, stored));
      else this.emit((h) => h.onAdd?.(stored));
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const gone = this.cache.remove(key)!;
      this.emit((h) => h.onDelete?.(gone, { finalStateUnknown: true }));
    }
    this.lastVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const done of [...this.syncWaiters]) done();
      this.syncWaiters.clear();
    }
  }

  /** One watch from the last version; returns how many events (bookmarks included) it brought. */
  private async watch(signal: AbortSignal): Promise<number> {
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300);
    // If the server never ends the stream (a half-open connection), end it ourselves a little later.
    const guard = timedSignal((timeoutSeconds + 30) * 1000, signal);
    let count = 0;
    try {
      const events = this.resource.watch(this.lastVersion || undefined, guard.signal, {
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
        allowWatchBookmarks: true,
        timeoutSeconds,
      });
      for await (const event of events) {
        count++;
        const version = event.object.metadata?.resourceVersion;
        if (event.type === 'BOOKMARK') {
          if (version) this.lastVersion = version;
          continue;
        }
        const key = keyOf(event.object);
        if (event.type === 'DELETED') {
          const previous = this.cache.remove(key);
          if (previous) {
            const final = deepFreeze(this.options.transform ? this.options.transform(event.object) : event.object);
            this.emit((h) => h.onDelete?.(final, { finalStateUnknown: false }));
          }
        } else {
          const previous = this.cache.get(key);
          const stored = this.store(event.object);
          if (previous) this.emit((h) => h.onUpdate?.(previous, stored));
          else this.emit((h) => h.onAdd?.(stored));
        }
        if (version) this.lastVersion = version;
      }
    } finally {
      guard.dispose();
    }
    return count;
  }

  private store(obj: T): T {
    this.cache.upsert(this.options.transform ? this.options.transform(obj) : obj);
    return this.cache.get(keyOf(obj))!;
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.cache.list()) this.emit((h) => h.onUpdate?.(obj, obj));
  }

  private emit(deliver: (handlers: EventHandlers<T>) => void): void {
    for (const handlers of this.handlers) call(this.log, () => deliver(handlers));
  }
}

/** A handler that throws must not stop the informer or the other handlers. */
function call(log: Logger, f: () => void): void {
  try {
    f();
  } catch (e) {
    log.error('event handler failed', { error: errorMessage(e) });
  }
}

/** The server is behind the version asked for (a list at a version from another store position). */
function isTooLargeVersion(e: unknown): boolean {
  return e instanceof Timeout && /too large resource version/i.test(e.message);
}
