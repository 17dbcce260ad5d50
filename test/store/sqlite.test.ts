/** The SQLite store: the conformance suite on a temp file, then restarts and crashes. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite-store';
import { describeStoreConformance } from './conformance';

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
