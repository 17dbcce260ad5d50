/**
 * What keeps the store's size bounded: every interval (5 minutes by default, as the Kubernetes
 * API server does) compact to the revision that was current at the previous tick, so that a
 * watcher always has at least one interval of history to resume from.
 */
import { errorMessage, logger } from '../log';
import type { Store } from './store';

const log = logger('store');

export const defaultCompactionIntervalMs = 5 * 60_000;

export class Compactor {
  private timer: NodeJS.Timeout | undefined;
  private previousRevision = 0;
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly intervalMs = defaultCompactionIntervalMs,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One tick: compact to the previous tick's revision, then remember the current one. */
  async tick(): Promise<void> {
    try {
      if (this.previousRevision > 0) {
        await this.store.compact(this.previousRevision);
        log.info('store compacted', { backend: this.store.backend, revision: this.previousRevision });
      }
      this.previousRevision = await this.store.currentRevision();
    } catch (e) {
      log.warn('store compaction failed, trying again next interval', { backend: this.store.backend, error: errorMessage(e) });
    }
  }

  private schedule(): void {
    this.timer = setTimeout(async () => {
      await this.tick();
      if (this.running) this.schedule();
    }, this.intervalMs);
    this.timer.unref();
  }
}
