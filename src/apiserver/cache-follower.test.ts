import type { Obj } from '../api/object';
import { followCache } from './cache-follower';
import type { ResourceType } from './registry';
import type { WatchSink } from './watch-cache';

const object = (name: string, rv: number): Obj => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, resourceVersion: String(rv) } });

/** A store of named objects and a watch cache whose watchers the test can end. */
function fakes() {
  const items = new Map<string, Obj>();
  const sinks: WatchSink[] = [];
  let revision = 1;
  return {
    items,
    sinks,
    /** As the real cache does: the watcher is dropped, then told. */
    end(reason?: Error) {
      const sink = sinks.shift()!;
      sink.end(reason);
    },
    put(name: string) {
      const o = object(name, ++revision);
      items.set(name, o);
      return o;
    },
    storage: { list: async () => ({ items: [...items.values()], resourceVersion: String(revision) }) } as never,
    cache: {
      start: async () => undefined,
      subscribe: async (_from: number, _filter: unknown, sink: WatchSink) => {
        sinks.push(sink);
        return { close: () => sinks.splice(sinks.indexOf(sink), 1) };
      },
    } as never,
  };
}

describe('followCache', () => {
  it('replaces on the first list, applies changes, and lists again when the cache ends the watch with a reason', async () => {
    const f = fakes();
    f.put('a');
    const mirror = new Map<string, Obj>();
    const replaced: string[][] = [];
    const follower = await followCache({
      what: 'nodes',
      type: {} as ResourceType,
      storage: f.storage,
      cache: f.cache,
      retryMs: 1,
      replace: (items) => {
        replaced.push(items.map((o) => o.metadata.name!).sort());
        mirror.clear();
        for (const o of items) mirror.set(o.metadata.name!, o);
      },
      apply: (type, o) => (type === 'DELETED' ? mirror.delete(o.metadata.name!) : mirror.set(o.metadata.name!, o)),
    });
    expect(replaced).toEqual([['a']]);
    f.sinks[0].send([{ type: 'ADDED', object: f.put('b'), revision: 3 }]);
    expect([...mirror.keys()].sort()).toEqual(['a', 'b']);

    // While the watch is broken, a is deleted and c created; the cache restarts and ends its watchers.
    f.items.delete('a');
    f.put('c');
    f.end(new Error('the watch cache restarted'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(replaced).toEqual([['a'], ['b', 'c']]);
    expect([...mirror.keys()].sort()).toEqual(['b', 'c']);
    expect(f.sinks).toHaveLength(1);
    follower.close();
    expect(f.sinks).toHaveLength(0);
  });

  it('stops quietly when the watch ends without a reason (the server is closing)', async () => {
    const f = fakes();
    const replace = jest.fn();
    await followCache({ what: 'nodes', type: {} as ResourceType, storage: f.storage, cache: f.cache, retryMs: 1, replace, apply: () => undefined });
    f.end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replace).toHaveBeenCalledTimes(1);
  });
});
