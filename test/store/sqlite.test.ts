/** The SQLite store: the conformance suite on a temp file, then restarts and crashes. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite-store';
import { describeStoreConformance } from './conformance';
import { configMap, recordWatch, strictlyIncreasing } from './support';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-store-'));
let files = 0;
const freshFile = (): string => path.join(dir, `store-${++files}.db`);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeStoreConformance('sqlite', {
  open: async (onUndecodable) => {
    const file = freshFile();
    const store = new SqliteStore({ path: file, onUndecodable });
    return {
      store,
      plantRaw: async (key, value) => {
        // A second connection, as a corrupt writer would be: a row in the log behind the store's back.
        const db = new Database(file);
        db.prepare('INSERT INTO log (key, created, deleted, create_revision, prev_revision, value) VALUES (?, 1, 0, 0, 0, ?)').run(key, value);
        db.close();
      },
    };
  },
});

describe('sqlite store: writes are seen once they are on disk', () => {
  const prefix = '/registry/core/configmaps/default/';
  /** The turn of the event loop after the one in which the store commits what is pending. */
  const afterCommit = () => new Promise((resolve) => setImmediate(resolve));

  it('shows a committed write to reads, lists and watches only once its fsync is done and it is answered', async () => {
    const store = new SqliteStore({ path: freshFile() });
    try {
      const before = await store.currentRevision();
      const watch = recordWatch(store, prefix, before);
      const created = store.create(`${prefix}a`, configMap('a'));
      await afterCommit();
      // Committed (the fsync runs in the thread pool), not yet answered: not there for anyone.
      expect(await store.get(`${prefix}a`)).toBeUndefined();
      expect((await store.list(prefix)).items).toEqual([]);
      expect(await store.currentRevision()).toBe(before);
      expect(watch.events).toEqual([]);
      const entry = await created;
      expect(await store.get(`${prefix}a`)).toEqual(entry);
      expect(await store.currentRevision()).toBe(entry.modRevision);
      expect((await watch.until(1)).map((e) => e.revision)).toEqual([entry.modRevision]);
      // An update waiting for its fsync leaves the synced version in view.
      const updated = store.update(`${prefix}a`, configMap('a', {}, { v: '2' }), entry.modRevision);
      await afterCommit();
      expect(await store.get(`${prefix}a`)).toEqual(entry);
      const answered = await updated;
      expect((await store.get(`${prefix}a`))?.modRevision).toBe(answered.modRevision);
      await watch.stop();
    } finally {
      await store.close();
    }
  });

  it('stops serving when an fsync fails: the writes it covered are refused, and so is everything after', async () => {
    const fatal: Error[] = [];
    const store = new SqliteStore({ path: freshFile(), onFatal: (e) => fatal.push(e) });
    try {
      const kept = await store.create(`${prefix}kept`, configMap('kept'));
      // The disk fails the next fsync, as a failing device does (EIO).
      const log = (store as unknown as { log: { syncWal(done: (e: NodeJS.ErrnoException | null) => void): void } }).log;
      log.syncWal = (done) => setImmediate(() => done(Object.assign(new Error('input/output error'), { code: 'EIO' })));
      const lost = store.create(`${prefix}lost`, configMap('lost'));
      await expect(lost).rejects.toThrow(/could not sync its log to disk \(EIO\); restart the server/);
      await expect(store.get(`${prefix}kept`)).rejects.toThrow(/restart the server/);
      await expect(store.create(`${prefix}later`, configMap('later'))).rejects.toThrow(/restart the server/);
      expect(kept.modRevision).toBeGreaterThan(0);
      // Told once, so that a server can exit and be restarted.
      expect(fatal.map((e) => e.message)).toEqual([expect.stringContaining('could not sync its log to disk (EIO)')]);
    } finally {
      await store.close();
    }
  });
});

describe('sqlite store: the WAL checkpointer', () => {
  const prefix = '/registry/core/configmaps/default/';
  const write = async (store: SqliteStore, count: number, bytes: number) => {
    let next = 0;
    const writer = async () => {
      for (let i = next++; i < count; i = next++) await store.create(`${prefix}c-${i}`, configMap(`c-${i}`, {}, { blob: 'x'.repeat(bytes) }));
    };
    await Promise.all(Array.from({ length: 32 }, writer));
  };

  it('keeps the log bounded under a steady stream of commits: checkpoints in the worker, topped up between commits', async () => {
    const file = freshFile();
    const store = new SqliteStore({ path: file });
    try {
      // 40 MB through the log, ten times what starts a checkpoint.
      await write(store, 16_000, 2500);
      expect(fs.statSync(`${file}-wal`).size).toBeLessThan(24 * 2 ** 20);
      expect((await store.list(prefix, { limit: 1 })).remainingItemCount).toBe(15_999);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('checkpoints on the writer, as SQLite does by itself, once its worker is gone', async () => {
    const store = new SqliteStore({ path: freshFile() });
    const log = (store as unknown as { log: { db: Database.Database; checkpointer: { worker: { terminate(): Promise<number> }; inWorker: boolean } } }).log;
    try {
      expect(log.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      await log.checkpointer.worker.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      expect(log.checkpointer.inWorker).toBe(false);
      expect(log.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      await write(store, 100, 100);
    } finally {
      await store.close();
    }
  });
});

describe('sqlite store: restarts and crashes', () => {
  const prefix = '/registry/core/configmaps/default/';

  it('keeps data, revisions and compaction across close and reopen, and replays history to a watch', async () => {
    const file = freshFile();
    const first = new SqliteStore({ path: file });
    const a = await first.create(`${prefix}a`, configMap('a', {}, { v: '1' }));
    const a2 = await first.update(`${prefix}a`, configMap('a', {}, { v: '2' }), a.modRevision);
    const b = await first.create(`${prefix}b`, configMap('b'));
    await first.compact(a2.modRevision);
    // The newest row is a tombstone that compaction removes: its revision must still never be reused.
    const gone = await first.delete(`${prefix}b`);
    await first.compact(gone.modRevision);
    await first.close();

    const second = new SqliteStore({ path: file });
    try {
      expect(await second.currentRevision()).toBe(gone.modRevision);
      expect(await second.compactedRevision()).toBe(gone.modRevision);
      expect(await second.get(`${prefix}a`)).toEqual(a2);
      expect(await second.get(`${prefix}b`)).toBeUndefined();
      const c = await second.create(`${prefix}c`, configMap('c'));
      expect(c.modRevision).toBe(gone.modRevision + 1);
      const watch = recordWatch(second, prefix, gone.modRevision);
      const events = await watch.until(1);
      await watch.stop();
      expect(events.map((event) => [event.type, event.key, event.revision])).toEqual([['ADDED', `${prefix}c`, c.modRevision]]);
      expect(b.modRevision).toBeLessThan(c.modRevision);
    } finally {
      await second.close();
    }
  });

  it('says which file it could not open', () => {
    expect(() => new SqliteStore({ path: path.join(dir, 'no-such-dir', 'state.db') })).toThrow(/open the SQLite store at .*no-such-dir/);
  });

  it('loses no committed write when the process is killed mid-write', async () => {
    const file = freshFile();
    const committed = await writeUntilKilled(file, 300);
    expect(committed.size).toBeGreaterThanOrEqual(300);

    const reopened = new SqliteStore({ path: file });
    try {
      for (const [key, revision] of committed) {
        const entry = await reopened.get(key);
        expect(entry?.modRevision).toBe(revision);
      }
      const newest = Math.max(...committed.values());
      expect(await reopened.currentRevision()).toBeGreaterThanOrEqual(newest);
      // History survives too: a watch from the start replays every committed create in order.
      const watch = recordWatch(reopened, prefix, 0);
      const events = await watch.until(committed.size);
      await watch.stop();
      expect(strictlyIncreasing(events.map((event) => event.revision))).toBe(true);
      const replayed = new Map(events.map((event) => [event.key, event.revision]));
      for (const [key, revision] of committed) expect(replayed.get(key)).toBe(revision);
      const after = await reopened.create(`${prefix}after-crash`, configMap('after-crash'));
      expect(after.modRevision).toBeGreaterThan(newest);
    } finally {
      await reopened.close();
    }
  }, 30_000);
});

/** Runs sqlite-crash-writer.ts on `file`, kills it with SIGKILL after `atLeast` commits, returns what it reported. */
async function writeUntilKilled(file: string, atLeast: number): Promise<Map<string, number>> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'register-typescript.js'), path.join(__dirname, 'sqlite-crash-writer.ts'), file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const committed = new Map<string, number>();
  let buffered = '';
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [key, revision] = line.split(' ');
      committed.set(key, Number(revision));
    }
    if (committed.size >= atLeast && child.exitCode === null && !child.killed) child.kill('SIGKILL');
  });
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the writer ended by itself (${signal}): ${errors}`);
  return committed;
}
