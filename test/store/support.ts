/** Helpers for the store conformance suite: objects to store, a watch that records, a writer pool. */
import type { Obj } from '../../src/api/object';
import type { Store, WatchEvent } from '../../src/store/store';
import { waitFor } from '../support/ports';

/** A small ConfigMap-like object; `size` pads it with data to about that many bytes of JSON. */
export function configMap(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}, size = 0): Obj {
  const object: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data };
  if (size > 0) object.data = { ...data, padding: 'x'.repeat(Math.max(0, size - JSON.stringify(object).length - 14)) };
  return object;
}

export interface RecordedWatch {
  events: WatchEvent[];
  batches: number;
  failure: unknown;
  /** Resolves once `count` events arrived; rejects if the watch failed first or time ran out. */
  until(count: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Resolves with the error the watch ended with. */
  failed(timeoutMs?: number): Promise<unknown>;
  stop(): Promise<void>;
}

export function recordWatch(store: Store, prefix: string, fromRevision: number): RecordedWatch {
  const controller = new AbortController();
  const recorded = { events: [] as WatchEvent[], batches: 0, failure: undefined as unknown, ended: false };
  const done = (async () => {
    try {
      for await (const batch of store.watch(prefix, { fromRevision, signal: controller.signal })) {
        recorded.batches++;
        for (const event of batch) recorded.events.push(event);
      }
    } catch (e) {
      recorded.failure = e;
    } finally {
      recorded.ended = true;
    }
  })();
  return {
    get events() {
      return recorded.events;
    },
    get batches() {
      return recorded.batches;
    },
    get failure() {
      return recorded.failure;
    },
    until: (count, timeoutMs = 20000) =>
      waitFor(
        `${count} watch events under ${prefix} (have ${recorded.events.length})`,
        async () => {
          if (recorded.failure) throw recorded.failure;
          return recorded.events.length >= count ? recorded.events : undefined;
        },
        timeoutMs,
        10,
      ),
    failed: (timeoutMs = 20000) => waitFor(`the watch under ${prefix} to fail`, async () => (recorded.ended ? recorded.failure ?? 'ended without error' : undefined), timeoutMs, 10),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; results in order of i. */
export async function inParallel<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Revisions strictly increase: no event twice, none out of order. */
export function strictlyIncreasing(revisions: number[]): boolean {
  return revisions.every((revision, i) => i === 0 || revision > revisions[i - 1]);
}
