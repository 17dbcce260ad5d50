/**
 * One store watch per resource, fanned out to every HTTP watcher of it (a thousand `kubectl get -w`
 * cost one etcd watch), with a ring of recent events so watchers can resume from a recent version.
 *
 *   store.watch(prefix) ──► events ──► ring [floor … last] ──► watcher 1 (filter, sink)
 *                                                        └──► watcher 2 …
 *
 * A watcher that asks to start below the ring's floor gets Gone (410) and re-lists, as upstream's
 * cacher answers "too old resource version". Selector transitions follow upstream: an object that
 * starts matching a watcher's filter arrives as ADDED, one that stops matching as DELETED.
 */
import { Gone, Unavailable } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage, logger } from '../log';
import type { Store, WatchEvent, WatchEventType } from '../store/store';
import { shareUnchanged } from '../util/json';
import { shareFieldSets } from './shared-field-sets';

const log = logger('watch-cache');

export interface CacheEvent {
  type: WatchEventType;
  revision: number;
  object: Obj;
  prevObject?: Obj;
}

/** Where a watcher's events go; the HTTP layer writes them to the response. */
export interface WatchSink {
  /** Events for this watcher, already transformed by its filter. Returns false when it is too slow. */
  send(events: Array<{ type: WatchEventType; object: Obj; revision: number }>): boolean;
  /** A bookmark: the watcher has seen everything up to `revision`. */
  bookmark(revision: number): void;
  /**
   * The cache can no longer serve this watcher: with a reason (the store watch failed, the watcher
   * fell behind) it should tell the client, which re-lists; without one (the server is shutting
   * down) it just ends, as upstream does, and the client resumes from its version elsewhere.
   */
  end(reason?: Error): void;
}

export interface Subscription {
  close(): void;
}

interface Watcher {
  /** Which objects the watcher wants; none: every one. */
  filter?: (object: Obj) => boolean;
  sink: WatchSink;
  /** Events at or below this revision were already covered (by the list or an earlier event). */
  after: number;
  bookmarks: boolean;
  lastSent: number;
}

export interface WatchCacheOptions {
  /** How many recent events to keep for resuming watchers (at least 7/8 of this many, once reached). */
  capacity?: number;
  bookmarkIntervalMs?: number;
}

export class WatchCache {
  private readonly ring: CacheEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  /** The newest state of each object with an event in the ring, by namespace/name. */
  private readonly latest = new Map<string, Obj>();
  private readonly abort = new AbortController();
  private readonly capacity: number;
  /** Watchers may start from any revision at or above this one. */
  private floor = 0;
  /** Every event up to this revision has been dispatched. */
  private last = 0;
  private started?: Promise<void>;
  private bookmarkTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly options: WatchCacheOptions = {},
  ) {
    this.capacity = options.capacity ?? 10000;
  }

  /** Starts following the store from its current revision; resolves once the watch is open. */
  start(): Promise<void> {
    if (!this.started) {
      // A store that cannot be reached now may be reachable on the next request: try again then.
      this.started = this.begin().catch((e) => {
        this.started = undefined;
        throw e;
      });
    }
    return this.started;
  }

  /** The revision up to which this cache has dispatched everything. */
  get revision(): number {
    return this.last;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /**
   * The newest state this cache has seen of an object changed recently (one with an event still
   * in the ring), or undefined. It may already be stale: use it only where a compare-and-swap
   * catches that, as a guess to try first.
   */
  recent(namespace: string | undefined, name: string): Obj | undefined {
    return this.latest.get(`${namespace ?? ''}/${name}`);
  }

  /**
   * Subscribes from `fromRevision` (exclusive): replays what the ring holds after it, then follows.
   * Throws Gone when the ring no longer reaches back that far.
   */
  async subscribe(fromRevision: number, filter: ((object: Obj) => boolean) | undefined, sink: WatchSink, bookmarks = false): Promise<Subscription> {
    if (this.closed) throw new Unavailable('the server is shutting down');
    await this.start();
    if (this.closed) throw new Unavailable('the server is shutting down');
    if (fromRevision < this.floor) {
      throw new Gone(`too old resource version: ${fromRevision} (${this.floor})`);
    }
    const watcher: Watcher = { filter, sink, after: fromRevision, bookmarks, lastSent: fromRevision };
    const backlog = this.ring.filter((e) => e.revision > fromRevision);
    if (backlog.length > 0) this.deliver(watcher, backlog);
    this.watchers.add(watcher);
    return { close: () => this.watchers.delete(watcher) };
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    for (const w of this.watchers) w.sink.end();
    this.watchers.clear();
  }

  private async begin(): Promise<void> {
    const revision = await this.store.currentRevision();
    this.floor = revision;
    this.last = revision;
    void this.follow(revision);
    const every = this.options.bookmarkIntervalMs ?? 60000;
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), every);
    this.bookmarkTimer.unref();
  }

  private async follow(from: number): Promise<void> {
    let revision = from;
    while (!this.closed) {
      try {
        for await (const batch of this.store.watch(this.prefix, { fromRevision: revision, signal: this.abort.signal })) {
          this.dispatch(batch);
          revision = this.last;
        }
        if (this.closed) return;
      } catch (e) {
        if (this.closed) return;
        // The store lost our place (compaction while disconnected, or a hard failure): start over
        // from now and end every watcher, which re-lists as after any 410.
        log.warn('store watch failed; restarting the cache', { prefix: this.prefix, error: errorMessage(e) });
        for (const w of this.watchers) w.sink.end(new Gone(`the watch cache for ${this.prefix} restarted`));
        this.watchers.clear();
        this.ring.length = 0;
        this.latest.clear();
        await new Promise((r) => setTimeout(r, 500));
        try {
          revision = await this.store.currentRevision();
          this.floor = revision;
          this.last = revision;
        } catch {
          // Still unreachable: try again after the pause above.
        }
      }
    }
  }

  private dispatch(batch: WatchEvent[]): void {
    if (batch.length === 0) return;
    const events: CacheEvent[] = batch.map((e) => this.compact(e));
    for (const e of events) this.ring.push(e);
    if (this.ring.length > this.capacity) {
      // Trimmed an eighth below capacity at a time: one shift of the array per many events.
      const dropped = this.ring.splice(0, this.ring.length - this.capacity + Math.floor(this.capacity / 8));
      this.floor = dropped[dropped.length - 1].revision;
      for (const e of dropped) {
        const key = keyOfObject(e.object);
        if (this.latest.get(key) === e.object) this.latest.delete(key);
      }
    }
    this.last = events[events.length - 1].revision;
    for (const w of this.watchers) this.deliver(w, events);
  }

  /**
   * The ring holds many versions of the same objects (a pod created, bound, started, ready ...);
   * the store decodes each event's states anew. Here the previous state becomes the very object
   * the ring already holds for that version, and the new state shares every part that did not
   * change with it: a bind adds a node name, not a second copy of the pod. Field sets are shared
   * across objects too: the pods of one template hold one tree.
   */
  private compact(e: WatchEvent): CacheEvent {
    const key = keyOfObject(e.object);
    const held = this.latest.get(key);
    let prevObject = e.prevObject;
    if (prevObject && held && held.metadata.resourceVersion === prevObject.metadata.resourceVersion) prevObject = held;
    const object = prevObject && e.type === 'MODIFIED' ? shareUnchanged(e.object, prevObject) : e.object;
    shareFieldSets(object);
    if (e.type === 'DELETED') this.latest.delete(key);
    else this.latest.set(key, object);
    return { type: e.type, revision: e.revision, object, prevObject };
  }

  private deliver(watcher: Watcher, events: CacheEvent[]): void {
    const filter = watcher.filter;
    // A watcher of everything, past none of these events (the usual fan-out): the events as they are.
    const out = !filter && events.length > 0 && events[0].revision > watcher.after ? events : this.selectFor(watcher, events);
    if (events.length > 0) watcher.after = Math.max(watcher.after, events[events.length - 1].revision);
    if (out.length === 0) return;
    watcher.lastSent = out[out.length - 1].revision;
    if (!watcher.sink.send(out)) {
      this.watchers.delete(watcher);
      watcher.sink.end(new Error('the watcher fell too far behind'));
    }
  }

  /** The events a watcher is to see, with upstream's selector transitions (ADDED on entering, DELETED on leaving). */
  private selectFor(watcher: Watcher, events: CacheEvent[]): Array<{ type: WatchEventType; object: Obj; revision: number }> {
    const filter = watcher.filter ?? (() => true);
    const out: Array<{ type: WatchEventType; object: Obj; revision: number }> = [];
    for (const e of events) {
      if (e.revision <= watcher.after) continue;
      const now = e.type !== 'DELETED' && filter(e.object);
      const before = e.prevObject !== undefined && e.type !== 'ADDED' && filter(e.prevObject);
      if (e.type === 'DELETED') {
        if (before) out.push({ type: 'DELETED', object: e.object, revision: e.revision });
      } else if (now && before) out.push({ type: 'MODIFIED', object: e.object, revision: e.revision });
      else if (now) out.push({ type: 'ADDED', object: e.object, revision: e.revision });
      else if (before) out.push({ type: 'DELETED', object: withRevision(e.prevObject!, e.revision), revision: e.revision });
    }
    return out;
  }

  private sendBookmarks(): void {
    // Like upstream, every interval, whether or not the version moved: it also keeps idle
    // connections alive through proxies.
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const revision = Math.max(this.last, w.lastSent);
      w.lastSent = revision;
      w.after = Math.max(w.after, revision);
      w.sink.bookmark(revision);
    }
  }
}

const keyOfObject = (o: Obj): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** The previous state of an object that left a watcher's selection, stamped with the revision it left at. */
function withRevision(object: Obj, revision: number): Obj {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}
