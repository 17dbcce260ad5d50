/**
 * Hands batches from a producer that pushes (etcd's watch stream) to one consumer that pulls (an
 * async iterator). Batches that wait are merged on the way out, never split, so a slow consumer
 * gets fewer, larger batches. The queue is unbounded: etcd cannot be told to slow down per watch.
 */
const largestMergedBatch = 10_000;

export class BatchChannel<T> {
  private waiting: T[][] = [];
  private failure: unknown;
  private failed = false;
  private closed = false;
  private wake: (() => void) | undefined;

  push(batch: T[]): void {
    if (this.closed || this.failed || batch.length === 0) return;
    this.waiting.push(batch);
    this.notify();
  }

  /** Ends the stream with an error, after the batches already pushed. */
  fail(error: unknown): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.failure = error;
    this.notify();
  }

  /** Ends the stream now; batches still waiting are dropped (the consumer asked to stop). */
  close(): void {
    this.closed = true;
    this.waiting = [];
    this.notify();
  }

  async *batches(): AsyncGenerator<T[]> {
    for (;;) {
      if (this.closed) return;
      if (this.waiting.length > 0) {
        yield this.takeWaiting();
        continue;
      }
      if (this.failed) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private takeWaiting(): T[] {
    let count = 0;
    let taken = 0;
    while (taken < this.waiting.length && (taken === 0 || count + this.waiting[taken].length <= largestMergedBatch)) {
      count += this.waiting[taken].length;
      taken++;
    }
    const batches = this.waiting.splice(0, taken);
    return batches.length === 1 ? batches[0] : batches.flat();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
