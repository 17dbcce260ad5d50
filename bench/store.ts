/**
 * Creates per second through each Store against the same work done raw:
 * - the etcd Store (compare-and-swap create) against raw puts through the same KV client, and
 *   against raw compare-and-swap transactions (what a create costs etcd itself);
 * - the SQLite Store (group-committed log rows) against bare inserts into one table, same pragmas.
 * Same ~1 KB JSON value and the same number of operations on each side; each measurement is
 * repeated (store and raw alternating) and the median printed with the ratio store/raw.
 *
 *   npm run build && npm run bench:store   [--repeat 3] [--ops 4000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Obj } from '../src/api/object';
import { EtcdKv } from '../src/store/etcd-kv';
import { EtcdStore } from '../src/store/etcd-store';
import { SqliteStore } from '../src/store/sqlite-store';
import { startEtcd } from '../test/support/etcd';
import { median, opsPerSecond, table } from './support/measure';

const concurrencies = [1, 16, 64, 256];
const repeat = numberArgument('--repeat', 3);
const operations = numberArgument('--ops', 4000);

function numberArgument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** A ConfigMap of about 1 KB of JSON, like a small real object. */
function object(i: number): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `bench-${i}`, namespace: 'default', labels: { app: 'bench', tier: 'backend' }, annotations: { note: 'x'.repeat(300) } },
    data: { config: 'y'.repeat(600) },
  };
}

interface Side {
  /** Prepares a fresh run and returns its operation. */
  prepare(run: number): Promise<{ operation: (i: number) => Promise<unknown>; done: () => Promise<void> }>;
}

/**
 * Medians per concurrency for each side, measured in turns (the first side to go rotates), so
 * that no side always meets a warmer or fuller backend.
 */
async function measure(name: string, sides: Record<string, Side>): Promise<Map<number, Record<string, number>>> {
  const results = new Map<number, Record<string, number>>();
  const names = Object.keys(sides);
  let run = 0;
  // Untimed first: connections, JIT and the backend's first allocations must not count for
  // whichever side happens to go first.
  for (const side of names) {
    const { operation, done } = await sides[side].prepare(++run);
    await opsPerSecond(Math.min(operations, 500), 16, operation);
    await done();
  }
  for (const concurrency of concurrencies) {
    const rates: Record<string, number[]> = Object.fromEntries(names.map((side) => [side, []]));
    for (let r = 0; r < repeat; r++) {
      for (let turn = 0; turn < names.length; turn++) {
        const side = names[(r + turn) % names.length];
        const { operation, done } = await sides[side].prepare(++run);
        rates[side].push(await opsPerSecond(operations, concurrency, operation));
        await done();
      }
    }
    const medians = Object.fromEntries(names.map((side) => [side, median(rates[side])]));
    results.set(concurrency, medians);
    process.stderr.write(`${name} c=${concurrency}: ${names.map((side) => `${side} ${medians[side].toFixed(0)}/s`).join(', ')}\n`);
  }
  return results;
}

async function benchEtcd(): Promise<string[][]> {
  const etcd = await startEtcd();
  const store = new EtcdStore({ endpoints: [etcd.endpoint], prefix: '/bench-store' });
  const raw = new EtcdKv({ endpoints: [etcd.endpoint] });
  try {
    const results = await measure('etcd', {
      store: {
        prepare: async (run) => ({
          operation: (i) => store.create(`/registry/core/configmaps/run-${run}/bench-${i}`, object(i)),
          done: async () => undefined,
        }),
      },
      put: {
        prepare: async (run) => ({
          operation: (i) => raw.put({ key: Buffer.from(`/bench-raw/registry/core/configmaps/run-${run}/bench-${i}`), value: Buffer.from(JSON.stringify(object(i))) }),
          done: async () => undefined,
        }),
      },
      // Not asked for, but it tells the store's own cost from etcd's: a create must be a
      // compare-and-swap transaction, and etcd applies those slower than blind puts.
      txn: {
        prepare: async (run) => ({
          operation: (i) => {
            const key = Buffer.from(`/bench-txn/registry/core/configmaps/run-${run}/bench-${i}`);
            return raw.txn({ compare: [{ key, target: 'create', equals: 0 }], success: [{ put: { key, value: Buffer.from(JSON.stringify(object(i))) } }] });
          },
          done: async () => undefined,
        }),
      },
    });
    return [...results].map(([concurrency, rate]) => [
      'etcd',
      String(concurrency),
      rate.store.toFixed(0),
      rate.put.toFixed(0),
      (rate.store / rate.put).toFixed(2),
      rate.txn.toFixed(0),
      (rate.store / rate.txn).toFixed(2),
    ]);
  } finally {
    await store.close();
    raw.close();
    await etcd.destroy();
  }
}

async function benchSqlite(): Promise<string[][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  try {
    const results = await measure('sqlite', {
      store: {
        prepare: async (run) => {
          const store = new SqliteStore({ path: path.join(dir, `store-${run}.db`) });
          return {
            operation: (i) => store.create(`/registry/core/configmaps/default/bench-${i}`, object(i)),
            done: () => store.close(),
          };
        },
      },
      insert: {
        prepare: async (run) => {
          // The same kind of file as the store's: WAL, every commit synced.
          const db = new Database(path.join(dir, `raw-${run}.db`));
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = FULL');
          db.exec('CREATE TABLE objects (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL)');
          const insert = db.prepare('INSERT INTO objects (key, value) VALUES (?, ?)');
          return {
            operation: async (i) => insert.run(`/registry/core/configmaps/default/bench-${i}`, JSON.stringify(object(i))),
            done: async () => void db.close(),
          };
        },
      },
    });
    return [...results].map(([concurrency, rate]) => ['sqlite', String(concurrency), rate.store.toFixed(0), rate.insert.toFixed(0), (rate.store / rate.insert).toFixed(2), '-', '-']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.stderr.write(`store bench: ${operations} creates per measurement, median of ${repeat}\n`);
  const rows = [...(await benchEtcd()), ...(await benchSqlite())];
  process.stdout.write(`\ncreates per second (median of ${repeat} runs of ${operations} creates, ~1 KB JSON each)\n\n`);
  process.stdout.write(`${table(['backend', 'concurrency', 'store/s', 'raw/s', 'store/raw', 'raw txn/s', 'store/txn'], rows)}\n`);
  process.stdout.write("\nraw: puts through the store's KV client (etcd), bare inserts into one WAL table (sqlite); raw txn: compare-and-swap creates through that client\n");
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
