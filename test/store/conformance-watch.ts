/** The store conformance suite, part three: watches — order, completeness, resuming, aborting. */
import type { WatchEvent } from '../../src/store/store';
import type { StoreHarness } from './conformance';
import { storeOpener } from './conformance';
import { configMap, inParallel, recordWatch, strictlyIncreasing } from './support';

const prefix = '/registry/core/configmaps/default/';
const key = (name: string): string => `${prefix}${name}`;
const summary = (events: WatchEvent[]) => events.map((event) => [event.type, event.key, event.revision]);

export function describeStoreWatching(backend: string, harness: StoreHarness): void {
  describe(`${backend} store: watches`, () => {
    const open = storeOpener(harness);

    it('reports creates, updates and deletes with the states before and after', async () => {
      const { store } = await open();
      const watch = recordWatch(store, prefix, await store.currentRevision());
      const a = await store.create(key('a'), configMap('a', {}, { v: '1' }));
      const a2 = await store.update(key('a'), configMap('a', {}, { v: '2' }), a.modRevision);
      const gone = await store.delete(key('a'));
      const again = await store.create(key('a'), configMap('a', {}, { v: '3' }));
      const events = await watch.until(4);
      await watch.stop();
      expect(summary(events)).toEqual([
        ['ADDED', key('a'), a.modRevision],
        ['MODIFIED', key('a'), a2.modRevision],
        ['DELETED', key('a'), gone.modRevision],
        ['ADDED', key('a'), again.modRevision],
      ]);
      const [added, modified, deleted] = events;
      expect(added.object).toEqual(a.object);
      expect(added.prevObject).toBeUndefined();
      expect(modified.object).toEqual(a2.object);
      expect(modified.prevObject).toEqual(a.object);
      expect(deleted.object.data).toEqual({ v: '2' });
      expect(deleted.object.metadata.resourceVersion).toBe(String(gone.modRevision));
      expect(deleted.prevObject!.metadata.resourceVersion).toBe(String(a2.modRevision));
    });

    it('delivers every one of 10,000 writes exactly once, in revision order, while they happen', async () => {
      const { store } = await open();
      const watch = recordWatch(store, prefix, await store.currentRevision());
      const created = await inParallel(10_000, 64, (i) => store.create(key(`o-${i}`), configMap(`o-${i}`, {}, {}, 300)));
      const events = await watch.until(10_000, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await watch.stop();
      expect(events).toHaveLength(10_000);
      expect(strictlyIncreasing(events.map((event) => event.revision))).toBe(true);
      const written = new Map(created.map((entry) => [entry.key, entry.modRevision]));
      for (const event of events) {
        expect(event.type).toBe('ADDED');
        expect(written.get(event.key)).toBe(event.revision);
      }
      // How many events share a batch depends on timing (a loaded machine can see every etcd
      // response carry one): bench/store measures that, this test only what arrives.
    }, 60_000);

    it('replays more than a thousand past writes from an old revision, in order, then follows', async () => {
      const { store } = await open();
      const from = await store.currentRevision();
      const past = await inParallel(2500, 32, (i) => store.create(key(`h-${i}`), configMap(`h-${i}`)));
      const watch = recordWatch(store, prefix, from);
      const live = await store.create(key('live'), configMap('live'));
      const events = await watch.until(2501);
      await watch.stop();
      expect(events.map((event) => event.revision)).toEqual([...past.map((entry) => entry.modRevision).sort((a, b) => a - b), live.modRevision]);
    }, 60_000);

    it('resumes from a revision with every later change and nothing before it', async () => {
      const { store } = await open();
      const written = [];
      for (let i = 0; i < 5; i++) written.push(await store.create(key(`r-${i}`), configMap(`r-${i}`)));
      const watch = recordWatch(store, prefix, written[1].modRevision);
      const later = await store.update(key('r-0'), configMap('r-0', {}, { v: 'later' }), written[0].modRevision);
      const events = await watch.until(4);
      await watch.stop();
      expect(summary(events)).toEqual([
        ['ADDED', key('r-2'), written[2].modRevision],
        ['ADDED', key('r-3'), written[3].modRevision],
        ['ADDED', key('r-4'), written[4].modRevision],
        ['MODIFIED', key('r-0'), later.modRevision],
      ]);
    });

    it('watches only its prefix', async () => {
      const { store } = await open();
      const watch = recordWatch(store, prefix, await store.currentRevision());
      await store.create('/registry/core/configmaps/defaultx/a', configMap('a'));
      await store.create('/registry/core/configmaps/other/b', configMap('b'));
      const mine = await store.create(key('c'), configMap('c'));
      const events = await watch.until(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await watch.stop();
      expect(summary(events)).toEqual([['ADDED', key('c'), mine.modRevision]]);
    });

    it('outlives a compaction past what it has seen when nothing under its prefix was lost', async () => {
      const { store } = await open();
      const watch = recordWatch(store, prefix, await store.currentRevision());
      const before = await store.create(key('before'), configMap('before'));
      await watch.until(1);
      const other = '/registry/core/configmaps/other/';
      let last = await store.create(`${other}x`, configMap('x'));
      for (let i = 0; i < 20; i++) last = await store.update(`${other}x`, configMap('x', {}, { v: String(i) }), last.modRevision);
      await store.compact(last.modRevision);
      const after = await store.create(key('after'), configMap('after'));
      const events = await watch.until(2);
      await watch.stop();
      expect(summary(events)).toEqual([
        ['ADDED', key('before'), before.modRevision],
        ['ADDED', key('after'), after.modRevision],
      ]);
    });

    it('waits at a revision not reached yet and delivers from there', async () => {
      const { store } = await open();
      const now = await store.currentRevision();
      const watch = recordWatch(store, prefix, now + 1);
      await store.create(key('skipped'), configMap('skipped'));
      const seen = await store.create(key('seen'), configMap('seen'));
      const events = await watch.until(1);
      await watch.stop();
      expect(summary(events)).toEqual([['ADDED', key('seen'), seen.modRevision]]);
    });

    it('skips and reports a value that does not decode, and goes on', async () => {
      const reported: string[] = [];
      const { store, plantRaw } = await open((k) => reported.push(k));
      const watch = recordWatch(store, prefix, await store.currentRevision());
      await plantRaw(key('bad'), 'definitely not json');
      const good = await store.create(key('good'), configMap('good'));
      const events = await watch.until(1);
      await watch.stop();
      expect(summary(events)).toEqual([['ADDED', key('good'), good.modRevision]]);
      expect(reported).toContain(key('bad'));
    });

    it('ends when its signal is aborted, even while waiting for changes', async () => {
      const { store } = await open();
      const controller = new AbortController();
      const iterator = store.watch(prefix, { fromRevision: await store.currentRevision(), signal: controller.signal })[Symbol.asyncIterator]();
      const next = iterator.next();
      setTimeout(() => controller.abort(), 50);
      await expect(next).resolves.toEqual({ done: true, value: undefined });
    });
  });
}
