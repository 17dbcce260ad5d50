/** The etcd store: the conformance suite on a real etcd (one per file, a fresh prefix per test), then restarts. */
import { Etcd3 } from 'etcd3';
import { Gone, RequestEntityTooLarge, Unavailable } from '../../src/api/errors';
import { EtcdStore, EtcdStoreOptions } from '../../src/store/etcd-store';
import { EtcdServer, startEtcd } from '../support/etcd';
import { describeStoreConformance } from './conformance';
import { configMap, inParallel, recordWatch, strictlyIncreasing } from './support';

let etcd: EtcdServer;
let raw: Etcd3;
let prefixes = 0;

beforeAll(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
}, 30_000);

afterAll(async () => {
  raw?.close();
  await etcd?.destroy();
});

describeStoreConformance('etcd', {
  open: async (onUndecodable) => {
    const prefix = `/test-${++prefixes}`;
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix, onUndecodable });
    return { store, plantRaw: async (key, value) => void (await raw.put(prefix + key).value(value)) };
  },
});

describe('etcd store: values past etcd\'s limits', () => {
  it('refuses them with 413 and goes on serving the same connection, whatever their size', async () => {
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix: `/limits-${++prefixes}` });
    try {
      const sized = (name: string, bytes: number) => ({ ...configMap(name), data: { blob: 'x'.repeat(bytes) } });
      await store.create('/registry/core/configmaps/default/fits', sized('fits', 1_000_000));
      // Past etcd's request limit (1.5 MiB, refused by etcd) and past what it reads at all (2 MiB,
      // refused before it is sent), in turns, more times than a connection's window holds.
      for (let i = 0; i < 6; i++) {
        const size = i % 2 === 0 ? 1_700_000 : 2_900_000;
        await expect(store.create(`/registry/core/configmaps/default/big-${i}`, sized(`big-${i}`, size))).rejects.toBeInstanceOf(RequestEntityTooLarge);
        expect((await store.get('/registry/core/configmaps/default/fits'))?.object.metadata.name).toBe('fits');
      }
    } finally {
      await store.close();
    }
  }, 30_000);
});

describe('etcd store: a watch catching up on large values', () => {
  it('reads every event whole, in order, when etcd sends megabytes in one response', async () => {
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix: `/large-${++prefixes}` });
    try {
      const prefix = '/registry/core/configmaps/default/';
      const from = await store.currentRevision();
      const names = Array.from({ length: 30 }, (_, i) => `big-${String(i).padStart(2, '0')}`);
      for (const name of names) await store.create(`${prefix}${name}`, { ...configMap(name), data: { blob: name.repeat(60_000) } });
      const watch = recordWatch(store, prefix, from);
      const events = await watch.until(names.length);
      expect(events.map((e) => [e.type, e.object.metadata.name, (e.object.data as { blob: string }).blob.length])).toEqual(
        names.map((name) => ['ADDED', name, name.length * 60_000]),
      );
      expect(strictlyIncreasing(events.map((e) => e.revision))).toBe(true);
      await watch.stop();
    } finally {
      await store.close();
    }
  }, 30_000);
});

describe('etcd store: etcd restarts', () => {
  const prefix = '/registry/core/configmaps/default/';
  const opened: EtcdStore[] = [];
  const open = (options: Partial<EtcdStoreOptions> = {}): EtcdStore => {
    const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix: `/restart-${++prefixes}`, ...options });
    opened.push(store);
    return store;
  };
  /** Runs `during` with etcd stopped, and starts it again whatever happens. */
  const whileDown = async (during: () => Promise<void>): Promise<void> => {
    await etcd.stop();
    try {
      await during();
    } finally {
      await etcd.start();
    }
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('answers Unavailable while etcd is down, and serves again once it is back', async () => {
    const store = open();
    await store.create(`${prefix}a`, configMap('a'));
    await whileDown(async () => {
      await expect(store.get(`${prefix}a`)).rejects.toBeInstanceOf(Unavailable);
      await expect(store.create(`${prefix}b`, configMap('b'))).rejects.toBeInstanceOf(Unavailable);
    });
    const back = await whenAvailable(() => store.get(`${prefix}a`));
    expect(back?.object.metadata.name).toBe('a');
  }, 30_000);

  it('resumes an open watch after etcd restarts, with no event missing or doubled', async () => {
    const store = open();
    const watch = recordWatch(store, prefix, await store.currentRevision());
    const before = await inParallel(20, 4, (i) => store.create(`${prefix}before-${i}`, configMap(`before-${i}`)));
    await watch.until(20);
    await etcd.restart();
    const after = [];
    for (let i = 0; i < 20; i++) after.push(await whenAvailable(() => store.create(`${prefix}after-${i}`, configMap(`after-${i}`))));
    const events = await watch.until(40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await watch.stop();
    expect(events).toHaveLength(40);
    expect(strictlyIncreasing(events.map((event) => event.revision))).toBe(true);
    expect(events.map((event) => event.revision)).toEqual([...before, ...after].map((entry) => entry.modRevision).sort((a, b) => a - b));
  }, 60_000);

  it('ends a watch with Gone when etcd compacted past it before it could resume', async () => {
    const store = open();
    const elsewhere = open();
    const watch = recordWatch(store, prefix, await store.currentRevision());
    await store.create(`${prefix}seen`, configMap('seen'));
    await watch.until(1);
    // Writes the watch has no reason to see move the revision on; compacting there leaves the
    // watch's own position (its last event) behind the compaction when it reconnects.
    for (let i = 0; i < 5; i++) await elsewhere.create(`/registry/core/secrets/default/s-${i}`, configMap(`s-${i}`));
    await elsewhere.compact(await elsewhere.currentRevision());
    await etcd.restart();
    expect(await watch.failed()).toBeInstanceOf(Gone);
    await watch.stop();
  }, 60_000);

  it('ends a watch with Unavailable when etcd stays away past the reconnect deadline', async () => {
    const store = open({ watchReconnectTimeoutMs: 1000 });
    const watch = recordWatch(store, prefix, await store.currentRevision());
    await store.create(`${prefix}a`, configMap('a'));
    await watch.until(1);
    await whileDown(async () => {
      expect(await watch.failed(10_000)).toBeInstanceOf(Unavailable);
    });
    await watch.stop();
  }, 30_000);
});

/** Retries `operation` while etcd is coming back (Unavailable), for up to 20 s. */
async function whenAvailable<T>(operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof Unavailable) || Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
