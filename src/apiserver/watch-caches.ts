/**
 * One watch cache per resource (all versions of a resource share one), started with the server
 * for the built-in kinds and when a CRD is established for the others.
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
      cache = new WatchCache(this.store, key, this.options);
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
