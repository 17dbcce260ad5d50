/** The store as the API server uses it, with each operation's latency recorded for /metrics. */
import type { Store } from '../store/store';
import { storeMetrics } from './metrics';

const timed = ['get', 'list', 'count', 'create', 'update', 'delete', 'currentRevision'] as const;

export function instrumentStore(store: Store): Store {
  const wrapped = Object.create(store) as Store;
  for (const name of timed) {
    const original = (store[name] as (...args: unknown[]) => Promise<unknown>).bind(store);
    const histogram = storeMetrics.duration.labels({ operation: name });
    (wrapped as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const end = histogram.startTimer();
      try {
        return await original(...args);
      } finally {
        end();
      }
    };
  }
  return wrapped;
}
