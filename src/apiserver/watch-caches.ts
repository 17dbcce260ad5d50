/**
 * One watch cache per resource (all versions of a resource share one), started with the server
 * for the built-in kinds and when a CRD is established for the others.
 *
 * Events keep a short ring: they come in floods (one per pod scheduled, pulled, started …) and are
 * watched only from now on (`kubectl get events -w`), so ten thousand of them would be memory
 * kept for nobody. Upstream goes further and serves events with no watch cache at all.
 */
import type { Store } from '../store/store';
import type { ResourceType } from './registry';
import type { WatchCaches } from './services';
import { WatchCache, WatchCacheOptions } from './watch-cache';

export class WatchCacheSet implements WatchCaches {
  private readonly caches = new Map<string, WatchCache>();

  constructor(
    private readonly store: Store,
    private readonly options: WatchCacheOptions = {},
  ) {}

  for(type: ResourceType): WatchCache {
    const key = type.prefix();
    let cache = this.caches.get(key);
    if (!cache) {
      const capacity = isEvents(type) ? Math.min(eventsCapacity, this.options.capacity ?? eventsCapacity) : this.options.capacity;
      cache = new WatchCache(this.store, key, { ...this.options, capacity });
      this.caches.set(key, cache);
      void cache.start().catch(() => undefined);
    }
    return cache;
  }

  /** Stops the cache of a resource that is no longer served (a deleted CRD). */
  drop(type: ResourceType): void {
    const key = type.prefix();
    this.caches.get(key)?.close();
    this.caches.delete(key);
  }

  /** Open watchers across every resource. */
  get watcherCount(): number {
    let n = 0;
    for (const c of this.caches.values()) n += c.watcherCount;
    return n;
  }

  close(): void {
    for (const c of this.caches.values()) c.close();
    this.caches.clear();
  }
}

const eventsCapacity = 100;

const isEvents = (type: ResourceType): boolean => type.plural === 'events' && (type.group === '' || type.group === 'events.k8s.io');
