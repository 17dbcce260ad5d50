/**
 * The SQLite store's table, the way k3s's kine keeps one: an append-only log where every write is a
 * row and the global revision is the row id.
 *
 *   log(revision PK, key, created, deleted, create_revision, prev_revision, value)
 *
 * - A create has `created = 1` and its own revision as its create revision; an update copies the
 *   create revision and points `prev_revision` at the row it replaced; a delete is a tombstone
 *   row (`deleted = 1`) carrying the last value.
 * - The state at revision R is, per key, the row with the highest revision <= R, unless it is a
 *   tombstone. The index on (key, revision) finds it.
 * - AUTOINCREMENT keeps revisions from ever being reused, even when compaction removes the newest
 *   rows (tombstones), so the current revision is `sqlite_sequence`'s, not max(revision).
 * - Compaction removes rows superseded at or below a revision and tombstones at or below it; the
 *   revision is kept in `meta`.
 *
 * Everything here is synchronous (better-sqlite3), but for the WAL's fsync; the store wraps it.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { Checkpointer } from './sqlite-checkpointer';

export interface LogRow {
  revision: number;
  key: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

/** A row with the value of the row it replaced (absent after compaction). */
export interface ChangeRow extends LogRow {
  prev_value: string | null;
}

const schema = `
  CREATE TABLE IF NOT EXISTS log (
    revision INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    created INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    create_revision INTEGER NOT NULL,
    prev_revision INTEGER NOT NULL,
    value TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
  CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/** Rows removed per transaction while compacting, so that other work runs in between. */
export const compactionChunk = 5000;

export class SqliteLog {
  readonly db: Database.Database;
  private readonly walFd: number;
  private readonly checkpointer: Checkpointer;
  /** Bytes appended to the log since the last commit was reported (`committed`), roughly. */
  private appended = 0;
  private readonly statements;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // Commits do not sync here: the store syncs the WAL itself, off the event loop (`syncWal`),
    // and acknowledges a write only after that. NORMAL still syncs around checkpoints.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(schema);
    // The WAL stays the same file while this connection is open (a checkpoint rewinds it, and
    // only the last connection's close removes it); what a crashed process committed is synced
    // here before anything is read.
    this.walFd = fs.openSync(`${path}-wal`, 'r');
    fs.fsyncSync(this.walFd);
    this.checkpointer = new Checkpointer(this.db, path);
    const db = this.db;
    this.statements = {
      latest: db.prepare<[string], LogRow>('SELECT * FROM log WHERE key = ? ORDER BY revision DESC LIMIT 1'),
      append: db.prepare<[number, string, number, number, number, number, string]>(
        'INSERT INTO log (revision, key, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      // Per key in [start, end), the newest row at or below the revision (tombstones included, so
      // that the caller learns the last key read); limit + 1 rows tell whether more remain.
      range: db.prepare<{ start: string; end: string; revision: number; limit: number }, LogRow>(`
        SELECT log.* FROM log JOIN (
          SELECT MAX(revision) AS revision FROM log
          WHERE key >= @start AND key < @end AND revision <= @revision
          GROUP BY key ORDER BY key LIMIT @limit
        ) AS newest ON log.revision = newest.revision
        ORDER BY log.key`),
      count: db.prepare<[string, string, number], { count: number }>(`
        SELECT COUNT(*) AS count FROM log JOIN (
          SELECT MAX(revision) AS revision FROM log WHERE key >= ? AND key < ? AND revision <= ? GROUP BY key
        ) AS newest ON log.revision = newest.revision
        WHERE log.deleted = 0`),
      // Walks the log by revision (the unary + keeps SQLite off the key index, which would visit
      // every past row under the prefix instead of only the new ones).
      changes: db.prepare<{ after: number; upTo: number; start: string; end: string; limit: number }, ChangeRow>(`
        SELECT log.*, previous.value AS prev_value FROM log
        LEFT JOIN log AS previous ON previous.revision = log.prev_revision
        WHERE log.revision > @after AND log.revision <= @upTo AND +log.key >= @start AND +log.key < @end
        ORDER BY log.revision LIMIT @limit`),
      currentRevision: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'log'"),
      readMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
      writeMeta: db.prepare<[string, number]>('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
      chunkEnd: db.prepare<[number, number, number], { high: number | null }>(`
        SELECT MAX(revision) AS high FROM (SELECT revision FROM log WHERE revision > ? AND revision <= ? ORDER BY revision LIMIT ?)`),
      compact: db.prepare<{ low: number; high: number; revision: number }>(`
        DELETE FROM log WHERE revision > @low AND revision <= @high AND (
          deleted = 1 OR revision < (SELECT MAX(newer.revision) FROM log AS newer WHERE newer.key = log.key AND newer.revision <= @revision)
        )`),
    };
  }

  latest(key: string): LogRow | undefined {
    return this.statements.latest.get(key);
  }

  /**
   * Appends a row and returns its revision; a create's create revision is its own. Call it inside
   * a transaction: the revision is the current one plus one, read and used in the same breath.
   */
  append(key: string, kind: 'create' | 'update' | 'delete', createRevision: number, prevRevision: number, value: string): number {
    const revision = this.currentRevision() + 1;
    // A log frame per page touched; the value, the key twice (row and index) and some overhead.
    this.appended += value.length + 2 * key.length + 100;
    this.statements.append.run(revision, key, kind === 'create' ? 1 : 0, kind === 'delete' ? 1 : 0, kind === 'create' ? revision : createRevision, prevRevision, value);
    return revision;
  }

  range(start: string, end: string, revision: number, limit: number): LogRow[] {
    return this.statements.range.all({ start, end, revision, limit });
  }

  /** Keys in [start, end) that exist at `revision`. */
  count(start: string, end: string, revision: number): number {
    return this.statements.count.get(start, end, revision)?.count ?? 0;
  }

  /** Rows after revision `after` and up to `upTo`, under [start, end), oldest first. */
  changes(after: number, upTo: number, start: string, end: string, limit: number): ChangeRow[] {
    return this.statements.changes.all({ after, upTo, start, end, limit });
  }

  currentRevision(): number {
    return this.statements.currentRevision.get()?.seq ?? 0;
  }

  compactedRevision(): number {
    return this.statements.readMeta.get('compacted')?.value ?? 0;
  }

  setCompactedRevision(revision: number): void {
    this.statements.writeMeta.run('compacted', revision);
  }

  /** The highest revision among the next `rows` rows after `low` and up to `revision`; undefined when none. */
  chunkEnd(low: number, revision: number, rows: number): number | undefined {
    return this.statements.chunkEnd.get(low, revision, rows)?.high ?? undefined;
  }

  /** Removes what compaction at `revision` drops, among rows in (low, high]. */
  compactChunk(low: number, high: number, revision: number): number {
    return this.statements.compact.run({ low, high, revision }).changes;
  }

  /**
   * Makes every commit so far durable: an fsync of the WAL, in the thread pool, so the event loop
   * goes on meanwhile (a synchronous one held it 0.3 ms here, and a disk's fsync takes milliseconds).
   */
  syncWal(done: (error: NodeJS.ErrnoException | null) => void): void {
    fs.fsync(this.walFd, done);
  }

  /** Called after each commit: what it added to the log counts toward the next checkpoint. */
  committed(): void {
    this.checkpointer.written(this.appended);
    this.appended = 0;
  }

  async close(): Promise<void> {
    await this.checkpointer.close();
    this.db.close();
    fs.closeSync(this.walFd);
  }
}
