/**
 * Watch cache sizes: events keep a short ring (upstream keeps none), so a watch of events from a
 * version a flood ago is told to re-list, while other resources still resume from there.
 */
import { builtinKinds } from '../../crds';
import { Gone } from '../../src/api/errors';
import { Registry } from '../../src/apiserver/registry';
import { WatchCacheSet } from '../../src/apiserver/watch-caches';
import type { WatchSink } from '../../src/apiserver/watch-cache';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../support/api-server';
import { eventually } from '../support/control-plane';

const sink: WatchSink = { send: () => true, bookmark: () => undefined, end: () => undefined };

describe('watch cache sizes', () => {
  let store: Store;
  let cleanup: () => void;
  let caches: WatchCacheSet;
  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore('sqlite'));
    caches = new WatchCacheSet(store, { capacity: 1000 });
  });
  afterAll(async () => {
    caches.close();
    await store.close();
    cleanup();
  });

  it('keeps 100 events of events and the configured number of others', async () => {
    const registry = new Registry(builtinKinds);
    const events = registry.get('', 'v1', 'events')!;
    const configMaps = registry.get('', 'v1', 'configmaps')!;
    await Promise.all([caches.for(events).start(), caches.for(configMaps).start()]);
    const start = await store.currentRevision();
    for (let i = 0; i < 300; i++) {
      const name = `n${i}`;
      await store.create(events.key('default', name), { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, reason: 'Test' } as never);
      await store.create(configMaps.key('default', name), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    }
    const last = await store.currentRevision();
    await eventually('both caches to catch up', async () => caches.for(events).revision >= last - 1 && caches.for(configMaps).revision >= last);
    await expect(caches.for(events).subscribe(start, () => true, sink)).rejects.toBeInstanceOf(Gone);
    const resumed = await caches.for(configMaps).subscribe(start, () => true, sink);
    resumed.close();
  });
});
