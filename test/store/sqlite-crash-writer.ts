/**
 * A child process for the crash test: writes objects into a SQLite store as fast as it can, eight
 * at a time, printing `key revision` for each write once it has committed, until it is killed.
 */
import { SqliteStore } from '../../src/store/sqlite-store';

const store = new SqliteStore({ path: process.argv[2] });
let next = 0;

async function writer(): Promise<void> {
  for (;;) {
    const name = `crash-${next++}`;
    const entry = await store.create(`/registry/core/configmaps/default/${name}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default' },
      data: { padding: 'x'.repeat(500) },
    });
    process.stdout.write(`${entry.key} ${entry.modRevision}\n`);
  }
}

for (let i = 0; i < 8; i++) void writer();
