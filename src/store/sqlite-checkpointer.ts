/**
 * Checkpoints the SQLite store's WAL from a worker thread, with a connection of its own, so that
 * copying the log into the database (and its fsyncs) never holds the event loop. SQLite's own
 * automatic checkpoint runs inside a commit, on the loop: every 4 MB of log it held the loop some
 * 13 ms, the p99 of the loop's delay under a stream of creates (3.9 ms without it).
 *
 *   commit ─► synced ─► written(bytes) ─► 4 MB since the last? ─► worker: wal_checkpoint(PASSIVE)
 *                                         64 MB and the worker still busy or gone? ─► checkpoint here
 *
 * A PASSIVE checkpoint copies what no reader still needs and never blocks the writer. SQLite
 * rewinds the log only at the first write after a checkpoint that copied all of it, and under a
 * steady stream of commits the worker's never does: commits land while it copies (the log grew
 * to all 80 MB written). So when the worker is done, the writer copies the few frames committed
 * meanwhile, between two of its commits, and the next commit rewinds the log. Should the worker
 * fall behind, the log is checkpointed on the loop once 64 MB have gathered, which bounds it.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { errorMessage, logger } from '../log';

const log = logger('store', { backend: 'sqlite' });

/** Log bytes between checkpoints: SQLite's default, 1,000 pages of 4 KB. */
const checkpointEvery = 4 * 2 ** 20;
/** Log bytes past which the writer checkpoints itself, whatever the worker is doing. */
const checkpointHere = 64 * 2 ** 20;

const workerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.sqlite);
  const db = new Database(workerData.path);
  db.pragma('busy_timeout = 5000');
  parentPort.on('message', (message) => {
    if (message === 'close') {
      db.close();
      parentPort.close();
      return;
    }
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      parentPort.postMessage({ ok: true });
    } catch (e) {
      parentPort.postMessage({ ok: false, error: String((e && e.message) || e) });
    }
  });
`;

export class Checkpointer {
  private readonly worker: Worker;
  private running = false;
  private failed = false;
  private closing = false;
  /** Log bytes written since the last checkpoint started. */
  private bytes = 0;
  private readonly exited: Promise<void>;

  /** `db` is the writer's connection: its own automatic checkpoints are turned off here. */
  constructor(
    private readonly db: Database.Database,
    path: string,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(workerSource, { eval: true, workerData: { path, sqlite: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('message', (answer: { ok: boolean; error?: string }) => {
      this.running = false;
      if (this.closing) return;
      if (!answer.ok) log.warn('the WAL checkpoint failed; trying again after more writes', { error: answer.error });
      // What was committed while it copied, which its pass did not see.
      else this.checkpointHere();
    });
    this.worker.on('error', (e) => this.giveUp(e));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        if (!this.closing) this.giveUp(new Error(`the checkpoint worker exited (${code})`));
        resolve();
      }),
    );
  }

  /** Tells of `bytes` more committed to the log; starts a checkpoint when enough has gathered. */
  written(bytes: number): void {
    // With the worker gone, SQLite checkpoints by itself again.
    if (this.failed) return;
    this.bytes += bytes;
    if (this.bytes < checkpointEvery) return;
    if (!this.running) {
      this.bytes = 0;
      this.running = true;
      this.worker.postMessage('checkpoint');
    } else if (this.bytes >= checkpointHere) {
      this.bytes = 0;
      this.checkpointHere();
    }
  }

  /** Whether checkpoints still run in the worker (they run on the writer once it has stopped). */
  get inWorker(): boolean {
    return !this.failed;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.failed) return;
    this.worker.postMessage('close');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([this.exited, timeout]);
    await this.worker.terminate();
  }

  /** The worker is gone: checkpoints happen here from now on, as SQLite does them itself. */
  private giveUp(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.running = false;
    log.warn('the WAL checkpointer stopped; checkpoints run on the writer from now on', { error: errorMessage(e) });
    try {
      this.db.pragma('wal_autocheckpoint = 1000');
    } catch {
      // The store is closing.
    }
  }

  private checkpointHere(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      log.warn('the WAL checkpoint failed', { error: errorMessage(e) });
    }
  }
}
