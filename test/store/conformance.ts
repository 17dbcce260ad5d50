/**
 * The store conformance suite: one set of behaviours that every backend must show. A backend's
 * test file calls `describeStoreConformance` with a harness that opens a store on fresh state.
 */
import { AlreadyExists, BadRequest, Conflict, Gone, InternalError, NotFound } from '../../src/api/errors';
import type { UndecodableReporter } from '../../src/store/decode';
import type { Entry, Store, WatchEvent } from '../../src/store/store';
import { describeStoreListing } from './conformance-list';
import { describeStoreWatching } from './conformance-watch';
import { configMap, inParallel } from './support';

export interface OpenedStore {
  store: Store;
  /** Writes `value` under a relative key behind the store's back, as a corrupt writer would. */
  plantRaw(key: string, value: string): Promise<void>;
}

export interface StoreHarness {
  /** A store on fresh state (its own prefix or file); `onUndecodable` hears about skipped values. */
  open(onUndecodable?: UndecodableReporter): Promise<OpenedStore>;
}

/** Opens stores for one test and closes them after it. */
export function storeOpener(harness: StoreHarness): (onUndecodable?: UndecodableReporter) => Promise<OpenedStore> {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return async (onUndecodable) => {
    const result = await harness.open(onUndecodable);
    opened.push(result.store);
    return result;
  };
}

const key = (name: string): string => `/registry/core/configmaps/default/${name}`;

export function describeStoreConformance(backend: string, harness: StoreHarness): void {
  describe(`${backend} store: reads and writes`, () => {
    const open = storeOpener(harness);

    it('creates an object whose resourceVersion is its modRevision, and reads it back', async () => {
      const { store } = await open();
      const before = await store.currentRevision();
      const created = await store.create(key('a'), configMap('a', { app: 'web' }, { k: 'v' }));
      expect(created.modRevision).toBe(before + 1);
      expect(created.createRevision).toBe(created.modRevision);
      expect(created.object.metadata.resourceVersion).toBe(String(created.modRevision));
      const read = await store.get(key('a'));
      expect(read).toEqual(created);
      expect(await store.currentRevision()).toBe(created.modRevision);
    });

    it('stores values without resourceVersion and never trusts the one given', async () => {
      const { store } = await open();
      const object = configMap('a');
      object.metadata.resourceVersion = '999999';
      const created = await store.create(key('a'), object);
      expect(object.metadata.resourceVersion).toBe('999999');
      expect((await store.get(key('a')))!.object.metadata.resourceVersion).toBe(String(created.modRevision));
    });

    it('counts every write in one global revision', async () => {
      const { store } = await open();
      const a = await store.create(key('a'), configMap('a'));
      const b = await store.create(key('b'), configMap('b'));
      const a2 = await store.update(key('a'), configMap('a', {}, { v: '2' }), a.modRevision);
      const deleted = await store.delete(key('b'));
      expect([b.modRevision, a2.modRevision, deleted.modRevision]).toEqual([a.modRevision + 1, a.modRevision + 2, a.modRevision + 3]);
    });

    it('refuses to create a key that exists', async () => {
      const { store } = await open();
      await store.create(key('a'), configMap('a'));
      await expect(store.create(key('a'), configMap('a'))).rejects.toBeInstanceOf(AlreadyExists);
    });

    it('updates only from the current revision, and keeps the create revision', async () => {
      const { store } = await open();
      const created = await store.create(key('a'), configMap('a', {}, { v: '1' }));
      const updated = await store.update(key('a'), configMap('a', {}, { v: '2' }), created.modRevision);
      expect(updated.modRevision).toBeGreaterThan(created.modRevision);
      expect(updated.createRevision).toBe(created.createRevision);
      expect(updated.object.data).toEqual({ v: '2' });
      expect(await store.get(key('a'))).toEqual(updated);
      await expect(store.update(key('a'), configMap('a', {}, { v: '3' }), created.modRevision)).rejects.toBeInstanceOf(Conflict);
      expect((await store.get(key('a')))!.object.data).toEqual({ v: '2' });
    });

    it('answers NotFound for an update or delete of a missing key', async () => {
      const { store } = await open();
      await expect(store.update(key('missing'), configMap('missing'), 5)).rejects.toBeInstanceOf(NotFound);
      await expect(store.delete(key('missing'))).rejects.toBeInstanceOf(NotFound);
      await expect(store.delete(key('missing'), 5)).rejects.toBeInstanceOf(NotFound);
      expect(await store.get(key('missing'))).toBeUndefined();
    });

    it('deletes only from the current revision when one is given, returning the last state', async () => {
      const { store } = await open();
      const created = await store.create(key('a'), configMap('a', {}, { v: '1' }));
      const updated = await store.update(key('a'), configMap('a', {}, { v: '2' }), created.modRevision);
      await expect(store.delete(key('a'), created.modRevision)).rejects.toBeInstanceOf(Conflict);
      const deleted = await store.delete(key('a'), updated.modRevision);
      expect(deleted.modRevision).toBe(updated.modRevision + 1);
      expect(deleted.createRevision).toBe(created.modRevision);
      expect(deleted.object.data).toEqual({ v: '2' });
      expect(deleted.object.metadata.resourceVersion).toBe(String(deleted.modRevision));
      expect(await store.get(key('a'))).toBeUndefined();
    });

    it('creates a key again after it was deleted, with a new create revision', async () => {
      const { store } = await open();
      await store.create(key('a'), configMap('a'));
      await store.delete(key('a'));
      const again = await store.create(key('a'), configMap('a', {}, { v: 'again' }));
      expect(again.createRevision).toBe(again.modRevision);
      expect((await store.get(key('a')))!.object.data).toEqual({ v: 'again' });
    });

    it('rejects keys that are not relative and revisions that are not positive', async () => {
      const { store } = await open();
      await expect(store.get('registry/x')).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list('')).rejects.toBeInstanceOf(BadRequest);
      await expect(store.create('x', configMap('x'))).rejects.toBeInstanceOf(BadRequest);
      await store.create(key('a'), configMap('a'));
      await expect(store.update(key('a'), configMap('a'), 0)).rejects.toBeInstanceOf(BadRequest);
      await expect(store.delete(key('a'), -1)).rejects.toBeInstanceOf(BadRequest);
    });

    it('counts the keys under a prefix, and only those', async () => {
      const { store } = await open();
      await inParallel(12, 4, (i) => store.create(key(`c${i}`), configMap(`c${i}`)));
      await store.create('/registry/core/configmaps/other/x', configMap('x'));
      await store.create('/registry/core/configmaps/defaultx/y', configMap('y'));
      await store.delete(key('c3'));
      expect(await store.count('/registry/core/configmaps/default/')).toBe(11);
      expect(await store.count('/registry/core/configmaps/')).toBe(13);
    });

    it('lets exactly one of many concurrent writers win each version, losing no update', async () => {
      const { store } = await open();
      await store.create(key('counter'), configMap('counter', {}, { count: '0' }));
      const wins: Array<{ from: number; to: number }> = [];
      await inParallel(50, 50, async () => {
        for (;;) {
          const current = (await store.get(key('counter')))!;
          const count = Number((current.object.data as Record<string, string>).count);
          try {
            const written = await store.update(key('counter'), configMap('counter', {}, { count: String(count + 1) }), current.modRevision);
            wins.push({ from: current.modRevision, to: written.modRevision });
            return;
          } catch (e) {
            if (!(e instanceof Conflict)) throw e;
          }
        }
      });
      const final = (await store.get(key('counter')))!;
      expect((final.object.data as Record<string, string>).count).toBe('50');
      // The wins form one chain: each started from the version the previous one wrote.
      const chain = [...wins].sort((a, b) => a.to - b.to);
      expect(new Set(chain.map((w) => w.from)).size).toBe(50);
      chain.forEach((win, i) => i > 0 && expect(win.from).toBe(chain[i - 1].to));
      expect(chain.at(-1)!.to).toBe(final.modRevision);
    }, 60000);

    it('skips and reports values that do not decode, and refuses to get one', async () => {
      const reported: string[] = [];
      const { store, plantRaw } = await open((k) => reported.push(k));
      await store.create(key('a'), configMap('a'));
      await plantRaw(key('b-not-json'), '{not json');
      await plantRaw(key('c-array'), '[1, 2]');
      await plantRaw(key('d-no-metadata'), '{"kind": "ConfigMap"}');
      await store.create(key('e'), configMap('e'));
      const listed = await store.list('/registry/core/configmaps/default/');
      expect(listed.items.map((item: Entry) => item.key)).toEqual([key('a'), key('e')]);
      expect(reported).toEqual([key('b-not-json'), key('c-array'), key('d-no-metadata')]);
      await expect(store.get(key('c-array'))).rejects.toBeInstanceOf(InternalError);
      const deleted = await store.delete(key('b-not-json'));
      expect(deleted.object.metadata.resourceVersion).toBe(String(deleted.modRevision));
    });

    it('compacts history: older reads and watches are Gone, the compacted revision is kept', async () => {
      const { store } = await open();
      const a = await store.create(key('a'), configMap('a', {}, { v: '1' }));
      const b = await store.create(key('b'), configMap('b'));
      await store.update(key('a'), configMap('a', {}, { v: '2' }), a.modRevision);
      await store.delete(key('b'), b.modRevision);
      const compactAt = await store.currentRevision();
      await store.create(key('c'), configMap('c'));
      await store.compact(compactAt);
      expect(await store.compactedRevision()).toBe(compactAt);
      await expect(store.list('/registry/core/configmaps/default/', { revision: compactAt - 1 })).rejects.toBeInstanceOf(Gone);
      const atCompaction = await store.list('/registry/core/configmaps/default/', { revision: compactAt });
      expect(atCompaction.items.map((item) => [item.key, item.object.data])).toEqual([[key('a'), { v: '2' }]]);
      const controller = new AbortController();
      const tooOld = store.watch('/registry/core/configmaps/default/', { fromRevision: compactAt - 1, signal: controller.signal });
      await expect(tooOld[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(Gone);
      const fromCompaction = store.watch('/registry/core/configmaps/default/', { fromRevision: compactAt, signal: controller.signal });
      const first = await fromCompaction[Symbol.asyncIterator]().next();
      expect((first.value as WatchEvent[]).map((event) => [event.type, event.key])).toEqual([['ADDED', key('c')]]);
      controller.abort();
      await store.compact(compactAt - 1);
      expect(await store.compactedRevision()).toBe(compactAt);
      await expect(store.compact((await store.currentRevision()) + 100)).rejects.toBeInstanceOf(BadRequest);
    });
  });

  describeStoreListing(backend, harness);
  describeStoreWatching(backend, harness);
}
