/**
 * The API server's own readers of its watch caches (the CRD registry, the node commitment index)
 * keep a whole kind in step through this:
 *
 *   list ─► replace(all items) ─► subscribe(from the list's version) ─► apply(each change)
 *     ▲                                                                      │
 *     └──────── the cache ended the watch (store watch restarted, fell behind) ┘
 *
 * After the cache restarts, every watcher it had is ended with a reason; a reader that stopped
 * there would go stale for good (binds judged against old commitments, new CRDs never served),
 * so this lists again and resumes. A watch ended without a reason means the server is closing.
 */
import type { Obj } from '../api/object';
import type { WatchEventType } from '../store/store';
import { errorMessage, logger } from '../log';
import type { ResourceType } from './registry';
import type { ResourceStorage } from './storage';
import type { WatchCache } from './watch-cache';

const log = logger('cache-follower');

export interface FollowOptions {
  /** For logs: what is being kept in step. */
  what: string;
  type: ResourceType;
  storage: Pick<ResourceStorage, 'list'>;
  cache: Pick<WatchCache, 'start' | 'subscribe'>;
  /** Every object of the kind, on the first list and after each restart. */
  replace(items: Obj[]): void | Promise<void>;
  apply(type: WatchEventType, object: Obj): void;
  /** Pause before listing again (default 500 ms). */
  retryMs?: number;
}

export interface CacheFollower {
  close(): void;
}

/** Lists and subscribes; resolves once the first list is applied. */
export async function followCache(options: FollowOptions): Promise<CacheFollower> {
  let closed = false;
  let subscription: { close(): void } | undefined;

  const start = async (): Promise<void> => {
    await options.cache.start();
    const list = await options.storage.list(options.type, undefined);
    await options.replace(list.items);
    subscription = await options.cache.subscribe(Number(list.resourceVersion), () => true, {
      send: (events) => {
        for (const e of events) options.apply(e.type, e.object);
        return true;
      },
      bookmark: () => undefined,
      end: (reason) => {
        if (!reason || closed) return;
        log.warn('watch ended; listing again', { what: options.what, error: reason.message });
        void restart();
      },
    });
    if (closed) subscription.close();
  };

  const restart = async (): Promise<void> => {
    while (!closed) {
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 500).unref());
      if (closed) return;
      try {
        await start();
        return;
      } catch (e) {
        log.warn('could not list again; retrying', { what: options.what, error: errorMessage(e) });
      }
    }
  };

  await start();
  return {
    close: () => {
      closed = true;
      subscription?.close();
    },
  };
}
