/** The compactor on a real (SQLite) store: each tick compacts to the revision of the tick before. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Compactor } from '../../src/store/compactor';
import { SqliteStore } from '../../src/store/sqlite-store';
import { waitFor } from '../support/ports';
import { configMap } from './support';

const key = (name: string): string => `/registry/core/configmaps/default/${name}`;

describe('the compactor', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compactor-'));
    store = new SqliteStore({ path: path.join(dir, 'state.db') });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compacts to the revision that was current one tick earlier, never to the current one', async () => {
    const compactor = new Compactor(store);
    const first = await store.create(key('a'), configMap('a'));
    await compactor.tick();
    expect(await store.compactedRevision()).toBe(0);
    const second = await store.update(key('a'), configMap('a', {}, { v: '2' }), first.modRevision);
    await compactor.tick();
    expect(await store.compactedRevision()).toBe(first.modRevision);
    await store.create(key('b'), configMap('b'));
    await compactor.tick();
    expect(await store.compactedRevision()).toBe(second.modRevision);
    // A quiet store compacts no further than its last write.
    await compactor.tick();
    await compactor.tick();
    expect(await store.compactedRevision()).toBe(await store.currentRevision());
  });

  it('runs on its interval until stopped', async () => {
    const compactor = new Compactor(store, 20);
    const written = await store.create(key('a'), configMap('a'));
    compactor.start();
    await waitFor('a compaction', async () => ((await store.compactedRevision()) === written.modRevision ? true : undefined), 5000, 10);
    compactor.stop();
    const later = await store.create(key('b'), configMap('b'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.compactedRevision()).toBeLessThan(later.modRevision);
  });
});
