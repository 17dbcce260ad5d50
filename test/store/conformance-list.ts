/** The store conformance suite, part two: lists — at a revision, paged, selected, filtered. */
import { BadRequest, Timeout } from '../../src/api/errors';
import type { Obj } from '../../src/api/object';
import { encodeContinue } from '../../src/store/continue-token';
import type { Entry, LabelMatcher, ListOptions, Store } from '../../src/store/store';
import type { StoreHarness } from './conformance';
import { storeOpener } from './conformance';
import { configMap, inParallel } from './support';

const prefix = '/registry/core/configmaps/default/';
const key = (name: string): string => `${prefix}${name}`;
const keys = (entries: Entry[]): string[] => entries.map((entry) => entry.key);
const label = (name: string, value: string): LabelMatcher => ({ matches: (labels) => labels[name] === value });

/** Every page of a list, following continue tokens; `between` runs after each page. */
async function allPages(store: Store, options: ListOptions, between: (page: number) => Promise<void> = async () => undefined) {
  const pages = [await store.list(prefix, options)];
  while (pages.at(-1)!.continue) {
    await between(pages.length);
    pages.push(await store.list(prefix, { ...options, continue: pages.at(-1)!.continue }));
  }
  return pages;
}

export function describeStoreListing(backend: string, harness: StoreHarness): void {
  describe(`${backend} store: lists`, () => {
    const open = storeOpener(harness);

    it('lists the keys under a prefix in key order, and nothing beside it', async () => {
      const { store } = await open();
      for (const name of ['b', 'a', 'c']) await store.create(key(name), configMap(name));
      await store.create('/registry/core/configmaps/defaultx/z', configMap('z'));
      await store.create('/registry/core/configmaps/kube-system/y', configMap('y'));
      const listed = await store.list(prefix);
      expect(keys(listed.items)).toEqual([key('a'), key('b'), key('c')]);
      expect(listed.revision).toBe(await store.currentRevision());
      expect(listed.continue).toBeUndefined();
      for (const item of listed.items) expect(item.object.metadata.resourceVersion).toBe(String(item.modRevision));
    });

    it('lists the state as of a past revision', async () => {
      const { store } = await open();
      const a = await store.create(key('a'), configMap('a', {}, { v: '1' }));
      const b = await store.create(key('b'), configMap('b'));
      const then = b.modRevision;
      await store.update(key('a'), configMap('a', {}, { v: '2' }), a.modRevision);
      await store.delete(key('b'));
      await store.create(key('c'), configMap('c'));
      const past = await store.list(prefix, { revision: then });
      expect(past.revision).toBe(then);
      expect(past.items.map((item) => [item.key, item.object.data, item.modRevision])).toEqual([
        [key('a'), { v: '1' }, a.modRevision],
        [key('b'), {}, b.modRevision],
      ]);
      const now = await store.list(prefix);
      expect(now.items.map((item) => [item.key, item.object.data])).toEqual([
        [key('a'), { v: '2' }],
        [key('c'), {}],
      ]);
      await expect(store.list(prefix, { revision: now.revision + 1000 })).rejects.toBeInstanceOf(Timeout);
    });

    it('reads every page at the first page revision while writes go on, none missing or doubled', async () => {
      const { store } = await open();
      const created = await inParallel(50, 8, (i) => store.create(key(`item-${String(i).padStart(3, '0')}`), configMap(`item-${i}`)));
      const snapshot = await store.list(prefix);
      let extra = 0;
      const pages = await allPages(store, { limit: 7 }, async (page) => {
        // Writes before, inside and after the pages still to come, and changes to what was read.
        await store.create(key(`item-${String(page * 7 + 2).padStart(3, '0')}x`), configMap(`new-${extra++}`));
        await store.create(key(`aaa-${page}`), configMap(`early-${page}`));
        await store.create(key(`zzz-${page}`), configMap(`late-${page}`));
        if (page * 7 + 4 < 50) await store.delete(key(`item-${String(page * 7 + 4).padStart(3, '0')}`));
        await store.update(created[page * 7 - 1].key, configMap('changed'), created[page * 7 - 1].modRevision);
      });
      expect(pages).toHaveLength(8);
      for (const page of pages) {
        expect(page.revision).toBe(snapshot.revision);
        expect(page.items.length).toBeLessThanOrEqual(7);
      }
      // Counted once at the first page's revision, then carried: 43, 36, … 1, and none on the last.
      expect(pages.map((page) => page.remainingItemCount)).toEqual([43, 36, 29, 22, 15, 8, 1, undefined]);
      const seen = pages.flatMap((page) => page.items);
      expect(keys(seen)).toEqual(keys(snapshot.items));
      expect(seen.map((item) => item.modRevision)).toEqual(snapshot.items.map((item) => item.modRevision));
    });

    it('applies the label selector and the filter before the limit', async () => {
      const { store } = await open();
      await inParallel(40, 8, (i) => store.create(key(`p-${String(i).padStart(2, '0')}`), configMap(`p-${i}`, { tier: i % 2 ? 'back' : 'front' }, { i: String(i) })));
      const filter = (object: Obj): boolean => Number((object.data as Record<string, string>).i) % 3 === 0;
      const expected = Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => i % 2 === 0 && i % 3 === 0)
        .map((i) => key(`p-${String(i).padStart(2, '0')}`));
      const pages = await allPages(store, { limit: 2, labelSelector: label('tier', 'front'), filter });
      expect(pages.flatMap((page) => keys(page.items))).toEqual(expected);
      for (const page of pages) {
        expect(page.items.length).toBeLessThanOrEqual(2);
        expect(page.remainingItemCount).toBeUndefined();
      }
      // A full last page whose remaining keys do not match ends the list without a token.
      expect(pages.at(-1)!.continue).toBeUndefined();
      const unpaged = await store.list(prefix, { labelSelector: label('tier', 'back') });
      expect(unpaged.items).toHaveLength(20);
    });

    it('reads a large list without a limit in batches, all of it', async () => {
      const { store } = await open();
      await inParallel(2500, 32, (i) => store.create(key(`n-${String(i).padStart(5, '0')}`), configMap(`n-${i}`)));
      const listed = await store.list(prefix);
      expect(listed.items).toHaveLength(2500);
      expect(listed.continue).toBeUndefined();
      expect(keys(listed.items)).toEqual([...keys(listed.items)].sort());
      const selected = await store.list(prefix, { filter: (object) => object.metadata.name!.endsWith('7') });
      expect(selected.items).toHaveLength(250);
    }, 60000);

    it('refuses continue tokens that are not its own or that contradict the revision', async () => {
      const { store } = await open();
      for (const name of ['a', 'b', 'c']) await store.create(key(name), configMap(name));
      const first = await store.list(prefix, { limit: 1 });
      expect(first.continue).toBeDefined();
      await expect(store.list(prefix, { continue: 'not a token' })).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list(prefix, { continue: Buffer.from('{"v":1}').toString('base64') })).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list('/registry/apps/', { continue: first.continue })).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list(prefix, { continue: first.continue, revision: first.revision - 1 })).rejects.toBeInstanceOf(BadRequest);
      await expect(store.list(prefix, { limit: -3 })).rejects.toBeInstanceOf(BadRequest);
      const second = await store.list(prefix, { continue: first.continue, limit: 1 });
      expect(keys(second.items)).toEqual([key('b')]);
      const handMade = await store.list(prefix, { continue: encodeContinue({ revision: first.revision, start: key('c') }) });
      expect(keys(handMade.items)).toEqual([key('c')]);
    });
  });
}
