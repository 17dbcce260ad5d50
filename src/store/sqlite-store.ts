/**
 * The store in one SQLite file (better-sqlite3, WAL), for a cluster on one box — k3s's kine in
 * miniature. The log table is in sqlite-log.ts; this file adds the store's semantics:
 *
 * - Writes are group-committed: the writes asked for in one turn of the event loop run in one
 *   transaction, each with its own check. The commit does not wait for the disk; the WAL's fsync
 *   runs in the thread pool, one at a time, each covering every commit before it:
 *
 *     turn 1: commit A ─► fsync ······················► A answered, watches woken
 *     turn 2: commit B ─┐ (waits for the fsync in flight)
 *     turn 3: commit C ─┴────────────────────────────► fsync ─► B, C answered
 *
 *   A write is answered (its success or its refusal) only once the fsync after its commit is
 *   done, and reads, lists and watches see only revisions up to the last synced one
 *   (`durable`), so nothing is shown that power loss could take back. Meanwhile the event loop
 *   serves other requests, where a synchronous commit held it for every fsync.
 * - Watches are served in-process: each follows the log by revision from where it stands (a
 *   replay and the live tail are the same query), and commits wake it. One process owns the file.
 */
import { AlreadyExists, BadRequest, Conflict, Gone, InternalError, isApiError, NotFound, Timeout, Unavailable } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage } from '../log';
import { decodeValue, encodeValue, UndecodableReporter, warnUndecodable, withResourceVersion } from './decode';
import { checkKey, prefixEnd } from './key-range';
import { listPaged, RangeBatch, RangeRequest } from './paged-list';
import { compactionChunk, LogRow, SqliteLog } from './sqlite-log';
import type { Entry, ListOptions, ListResult, Store, WatchEvent, WatchEventType, WatchOptions } from './store';

export interface SqliteStoreOptions {
  /** The database file; created when missing. */
  path: string;
  /** Told about stored values that do not decode; default: a warning in the log. */
  onUndecodable?: UndecodableReporter;
  /** Told once when the store stops for good (an fsync failed); a server exits, to be restarted. */
  onFatal?: (error: Error) => void;
}

/** Events read from the log per watch batch. */
const watchBatch = 1000;

interface PendingWrite {
  apply(): Entry;
  resolve(entry: Entry): void;
  reject(error: unknown): void;
}

/** A committed transaction waiting for its fsync: each write with its outcome, and the revision it reached. */
interface Committed {
  answers: Array<{ write: PendingWrite; entry?: Entry; error?: unknown }>;
  revision: number;
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  private readonly log: SqliteLog;
  private readonly report: UndecodableReporter;
  private pending: PendingWrite[] = [];
  /** The newest revision known to be on disk: the store's current revision as readers see it. */
  private durable: number;
  /** Commits waiting for an fsync, and the one in flight (resolves when it and its callbacks are done). */
  private unsynced: Committed[] = [];
  private syncing: Promise<void> | undefined;
  /** Set when an fsync failed: what was committed since may not be on disk, so nothing more is served. */
  private broken: Error | undefined;
  private readonly onFatal?: (error: Error) => void;
  /**
   * Each following watch: woken by a commit to a key under its prefix ([start, end)), moved past
   * any other commit (so a quiet watch never falls below a compaction it has nothing to lose to).
   */
  private readonly wakers = new Map<() => void, { start: string; end: string; passed(revision: number): void }>();
  private compacting: Promise<void> = Promise.resolve();
  private closing = false;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    try {
      this.log = new SqliteLog(options.path);
    } catch (e) {
      throw sqliteError(e, `open the SQLite store at ${options.path}`);
    }
    this.report = options.onUndecodable ?? warnUndecodable;
    this.onFatal = options.onFatal;
    this.durable = this.log.currentRevision();
  }

  async get(key: string): Promise<Entry | undefined> {
    checkKey(key);
    const row = this.read(`get ${key}`, () => {
      const latest = this.log.latest(key);
      // A write committed but not yet synced is not there yet: the state as of the durable revision.
      if (!latest || latest.revision <= this.durable) return latest;
      return this.log.range(key, `${key}\u0000`, this.durable, 1)[0];
    });
    if (!row || row.deleted) return undefined;
    const entry = this.entry(row);
    if (!entry) throw new InternalError(`the stored value of ${key} does not decode; delete it or write it again`);
    return entry;
  }

  async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    checkKey(prefix, 'prefix');
    return listPaged(async (request) => this.readRange(request), prefix, options);
  }

  async count(prefix: string): Promise<number> {
    checkKey(prefix, 'prefix');
    return this.read(`count ${prefix}`, () => this.log.count(prefix, prefixEnd(prefix), this.durable));
  }

  async create(key: string, object: Obj): Promise<Entry> {
    checkKey(key);
    const value = encodeValue(object);
    return this.write(() => {
      const latest = this.log.latest(key);
      if (latest && !latest.deleted) throw new AlreadyExists(`${key} already exists in the store`);
      const revision = this.log.append(key, 'create', 0, latest?.revision ?? 0, value);
      return { key, object: withResourceVersion(object, revision), modRevision: revision, createRevision: revision };
    });
  }

  async update(key: string, object: Obj, expectedModRevision: number): Promise<Entry> {
    checkKey(key);
    checkRevision(expectedModRevision, `update ${key}`);
    const value = encodeValue(object);
    return this.write(() => {
      const latest = this.current('update', key, expectedModRevision);
      const revision = this.log.append(key, 'update', latest.create_revision, latest.revision, value);
      return { key, object: withResourceVersion(object, revision), modRevision: revision, createRevision: latest.create_revision };
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<Entry> {
    checkKey(key);
    if (expectedModRevision !== undefined) checkRevision(expectedModRevision, `delete ${key}`);
    return this.write(() => {
      const latest = this.current('delete', key, expectedModRevision);
      const revision = this.log.append(key, 'delete', latest.create_revision, latest.revision, latest.value);
      const object = decodeValue(key, latest.value, revision, this.report) ?? { metadata: { resourceVersion: String(revision) } };
      return { key, object, modRevision: revision, createRevision: latest.create_revision };
    });
  }

  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchEvent[]> {
    return this.follow(prefix, options);
  }

  async currentRevision(): Promise<number> {
    return this.read('read the current revision', () => this.durable);
  }

  async compactedRevision(): Promise<number> {
    return this.read('read the compacted revision', () => this.log.compactedRevision());
  }

  /**
   * Marks the revision compacted first (from then on older reads get Gone, and no one reads a
   * half-compacted history), then removes rows in chunks, yielding to other work between them.
   * Every compaction walks the log from its start: a row kept last time (the newest of its key
   * then) may be superseded now.
   */
  async compact(revision: number): Promise<void> {
    checkRevision(revision, 'compact');
    const where = `compact to revision ${revision}`;
    const run = this.compacting.then(async () => {
      const marked = this.read(where, () =>
        this.log.db.transaction(() => {
          if (revision > this.durable) throw new BadRequest(`cannot compact to revision ${revision}: the store is at ${this.durable}`);
          if (revision <= this.log.compactedRevision()) return false;
          this.log.setCompactedRevision(revision);
          return true;
        })(),
      );
      let low = 0;
      while (marked && !this.closing) {
        const high = this.read(where, () => this.log.chunkEnd(low, revision, compactionChunk));
        if (high === undefined) return;
        this.read(where, () => this.log.compactChunk(low, high, revision));
        low = high;
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    this.compacting = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.compacting;
    this.flush();
    while (this.syncing) await this.syncing;
    this.closed = true;
    for (const wake of this.wakers.keys()) wake();
    await this.log.close();
  }

  /** The key's newest row, checked against what the caller expects of it. */
  private current(operation: string, key: string, expectedModRevision: number | undefined): LogRow {
    const latest = this.log.latest(key);
    if (!latest || latest.deleted) throw new NotFound(`cannot ${operation} ${key}: it is not in the store`);
    if (expectedModRevision !== undefined && latest.revision !== expectedModRevision) {
      throw new Conflict(`cannot ${operation} ${key}: it changed since revision ${expectedModRevision} (now at ${latest.revision}); read it again and retry`);
    }
    return latest;
  }

  private write(apply: () => Entry): Promise<Entry> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(new Unavailable('the SQLite store is closed'));
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ apply, resolve, reject });
    });
  }

  /** Runs every pending write in one transaction; each one's refusal is its own. Answered once synced. */
  private flush(): void {
    const writes = this.pending;
    this.pending = [];
    if (writes.length === 0) return;
    const answers: Committed['answers'] = [];
    let revision: number;
    try {
      revision = this.log.db.transaction(() => {
        for (const write of writes) {
          try {
            answers.push({ write, entry: write.apply() });
          } catch (e) {
            // A refused check changed nothing; anything else aborts the whole transaction.
            if (!isApiError(e)) throw e;
            answers.push({ write, error: e });
          }
        }
        return this.log.currentRevision();
      })();
    } catch (e) {
      const error = sqliteError(e, 'write');
      for (const write of writes) write.reject(error);
      return;
    }
    this.log.committed();
    this.unsynced.push({ answers, revision });
    this.sync();
  }

  /** Starts an fsync covering every commit so far, unless one is in flight (it starts the next). */
  private sync(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const covered = this.unsynced;
    this.unsynced = [];
    this.syncing = new Promise((done) =>
      this.log.syncWal((error) => {
        this.syncing = undefined;
        if (error) this.fail(error, covered);
        else this.synced(covered);
        done();
        this.sync();
      }),
    );
  }

  /** The commits are on disk: answer their writes, then wake the watches they concern. */
  private synced(covered: Committed[]): void {
    this.durable = Math.max(this.durable, covered[covered.length - 1].revision);
    const keys: string[] = [];
    for (const { answers } of covered) {
      for (const { write, entry, error } of answers) {
        if (entry) {
          write.resolve(entry);
          keys.push(entry.key);
        } else write.reject(error);
      }
    }
    if (keys.length === 0) return;
    for (const [wake, { start, end, passed }] of this.wakers) {
      if (keys.some((key) => key >= start && key < end)) wake();
      else passed(this.durable);
    }
  }

  /**
   * An fsync failed: what those commits wrote may never reach the disk, and a later fsync's
   * success would not say it did (Linux forgets the failure once reported). So, as PostgreSQL
   * does, the store stops: every write waiting is refused, and every call after fails; a restart
   * reads what the file really holds.
   */
  private fail(error: NodeJS.ErrnoException, covered: Committed[]): void {
    this.broken = new Unavailable(`the SQLite store could not sync its log to disk (${error.code ?? error.message}); restart the server`);
    for (const { answers } of [...covered, ...this.unsynced]) for (const { write } of answers) write.reject(this.broken);
    this.unsynced = [];
    for (const wake of this.wakers.keys()) wake();
    this.onFatal?.(this.broken);
  }

  private readRange({ prefix, start, revision, limit }: RangeRequest): RangeBatch {
    const where = `list ${prefix}${revision ? ` at revision ${revision}` : ''}`;
    return this.read(where, () => {
      const current = this.durable;
      const at = revision || current;
      if (at > current) throw new Timeout(`${where}: the revision asked for is newer than the store's (${current}); retry later`, { retryAfterSeconds: 1 });
      const compacted = this.log.compactedRevision();
      if (at < compacted) throw new Gone(`${where}: history up to revision ${compacted} has been compacted; list again`);
      const rows = this.log.range(start, prefixEnd(prefix), at, limit + 1);
      const more = rows.length > limit;
      if (more) rows.pop();
      const entries: Entry[] = [];
      for (const row of rows) {
        const entry = row.deleted ? undefined : this.entry(row);
        if (entry) entries.push(entry);
      }
      const count = (): number => this.read(where, () => this.log.count(start, prefixEnd(prefix), at));
      return { entries, lastKey: rows.at(-1)?.key, more, revision: at, count };
    });
  }

  /**
   * Follows the log under `prefix` from a revision. Each turn reads what was committed after the
   * last row seen; when that read saw every commit and none has come under the prefix since, it
   * waits for one. A commit sets `changed` synchronously, so none slips between a read and a wait.
   */
  private async *follow(prefix: string, { fromRevision, signal }: WatchOptions): AsyncGenerator<WatchEvent[]> {
    checkKey(prefix, 'prefix');
    const where = `watch ${prefix} from revision ${fromRevision}`;
    const end = prefixEnd(prefix);
    let seen = fromRevision;
    let changed = true;
    let wake: (() => void) | undefined;
    const waker = (): void => {
      changed = true;
      const resolve = wake;
      wake = undefined;
      resolve?.();
    };
    // Released on abort as well as when the iterator ends: a consumer may stop pulling without
    // ever calling return(), and the abort must still free the watch.
    const release = (): void => {
      this.wakers.delete(waker);
      signal.removeEventListener('abort', release);
      waker();
    };
    // Nothing unread and nothing under the prefix in this commit: the watch stands at its revision.
    const passed = (revision: number): void => {
      if (!changed) seen = Math.max(seen, revision);
    };
    this.wakers.set(waker, { start: prefix, end, passed });
    signal.addEventListener('abort', release);
    try {
      for (;;) {
        if (signal.aborted || this.closed) return;
        if (!changed) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        changed = false;
        const step = this.read(where, () => {
          // Compaction may have removed rows this watch has not read yet.
          const compacted = this.log.compactedRevision();
          if (seen < compacted) throw new Gone(`${where}: history up to revision ${compacted} has been compacted; list again`);
          const upTo = this.durable;
          const rows = this.log.changes(seen, upTo, prefix, end, watchBatch);
          // A short read saw every synced commit: the watch stands at the durable revision.
          const full = rows.length === watchBatch;
          return { rows, reached: full ? rows[rows.length - 1].revision : Math.max(seen, upTo), full };
        });
        seen = step.reached;
        if (step.full) changed = true;
        const events = step.rows.map((row) => this.watchEvent(row)).filter((event): event is WatchEvent => event !== undefined);
        if (events.length > 0) yield events;
      }
    } finally {
      release();
    }
  }

  private watchEvent(row: LogRow & { prev_value: string | null }): WatchEvent | undefined {
    const { key, revision } = row;
    const object = decodeValue(key, row.value, revision, this.report);
    if (!object) return undefined;
    if (row.deleted) return { type: 'DELETED', key, revision, object, prevObject: withResourceVersion(object, row.prev_revision) };
    const type: WatchEventType = row.created ? 'ADDED' : 'MODIFIED';
    if (type === 'ADDED' || row.prev_value === null) return { type, key, revision, object };
    return { type, key, revision, object, prevObject: decodeValue(key, row.prev_value, row.prev_revision, this.report) };
  }

  private entry(row: LogRow): Entry | undefined {
    const object = decodeValue(row.key, row.value, row.revision, this.report);
    return object && { key: row.key, object, modRevision: row.revision, createRevision: row.create_revision };
  }

  private read<T>(where: string, operation: () => T): T {
    if (this.broken) throw this.broken;
    if (this.closed) throw new Unavailable(`${where}: the SQLite store is closed`);
    try {
      return operation();
    } catch (e) {
      throw sqliteError(e, where);
    }
  }
}

/** The one place where SQLite failures become the error catalogue. */
function sqliteError(e: unknown, where: string): Error {
  if (isApiError(e)) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new Unavailable(`${where}: the SQLite file is busy (${errorMessage(e)})`);
  if (code === 'SQLITE_FULL') return new InternalError(`${where}: the disk holding the SQLite file is full`);
  return new InternalError(`${where}: SQLite failed: ${errorMessage(e)}`);
}

function checkRevision(revision: number, where: string): void {
  if (!Number.isSafeInteger(revision) || revision <= 0) throw new BadRequest(`${where}: revision ${revision} must be a positive integer`);
}

