/**
 * Upstream's slowStartBatch: run `fn` `count` times in batches of 1, 2, 4 … at once, stopping
 * after the first batch with a failure. A namespace out of quota, or a template the server
 * refuses, then costs one failed request rather than hundreds (and one event, not hundreds).
 */
export interface BatchOutcome {
  /** Calls that succeeded; the rest failed or were never made. */
  successes: number;
  /** The first failure of the batch that stopped, if one did. */
  error?: unknown;
}

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<BatchOutcome> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failed.length;
    if (failed.length > 0) return { successes, error: failed[0].reason };
    remaining -= size;
  }
  return { successes };
}
