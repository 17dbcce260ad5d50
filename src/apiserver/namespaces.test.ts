/**
 * The namespace index against a watch cache that lags: a namespace this server marked for
 * deletion refuses new content at once, and an older event arriving later does not undo that.
 */
import { Forbidden, NotFound } from '../api/errors';
import type { Obj } from '../api/object';
import { Namespaces, systemNamespaces } from './namespaces';
import type { Registry, ResourceType } from './registry';
import type { WatchCaches } from './services';
import type { ResourceStorage } from './storage';

const namespaceType = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false } as unknown as ResourceType;
const configMaps = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, qualifiedResource: 'configmaps' } as unknown as ResourceType;
const namespace = (name: string, revision: number, terminating = false): Obj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, resourceVersion: String(revision), ...(terminating ? { deletionTimestamp: '2026-12-07T18:00:00Z' } : {}) },
});

type Events = Array<{ type: string; object: Obj }>;

async function started(): Promise<{ namespaces: Namespaces; deliver(events: Events): void }> {
  let send: ((events: Events) => boolean) | undefined;
  const registry = { get: () => namespaceType, all: () => [] } as unknown as Registry;
  const storage = {
    list: async () => ({ items: [...systemNamespaces.map((n) => namespace(n, 1)), namespace('doomed', 5)], resourceVersion: '5' }),
    getEntry: async () => undefined,
    guaranteedUpdate: async () => undefined,
  } as unknown as ResourceStorage;
  const caches = {
    for: () => ({
      start: async () => undefined,
      subscribe: async (_from: number, _filter: unknown, sink: { send: (events: Events) => boolean }) => ((send = sink.send), { close: () => undefined }),
    }),
  } as unknown as WatchCaches;
  const namespaces = new Namespaces(registry, 60_000);
  await namespaces.start(storage, caches);
  return { namespaces, deliver: (events) => send!(events) };
}

it('refuses content in a namespace this server marked for deletion before the watch event says so, and an older event does not undo it', async () => {
  const { namespaces, deliver } = await started();
  try {
    await expect(namespaces.assertWritable('doomed', configMaps)).resolves.toBeUndefined();
    namespaces.observe(namespace('doomed', 9, true), 9);
    await expect(namespaces.assertWritable('doomed', configMaps)).rejects.toBeInstanceOf(Forbidden);
    deliver([{ type: 'MODIFIED', object: namespace('doomed', 7) }]); // an event from before the delete, late
    await expect(namespaces.assertWritable('doomed', configMaps)).rejects.toBeInstanceOf(Forbidden);
    deliver([{ type: 'DELETED', object: namespace('doomed', 12, true) }]);
    await expect(namespaces.assertWritable('doomed', configMaps)).rejects.toBeInstanceOf(NotFound);
  } finally {
    namespaces.stop();
  }
});
