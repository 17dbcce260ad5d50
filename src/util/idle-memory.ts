/**
 * A daemon gives back the memory a burst left behind once it goes quiet.
 *
 * After a burst (10,000 pods placed, a re-list) V8 keeps the young generation at its largest
 * (32 MB) and the old generation's emptied pages until its own memory reducer runs, which it does
 * only after a long quiet spell: the placement controller held 190 MB for a minute after binding
 * 10,000 pods, and 123 MB after V8 got round to it (bench/placement). Go's runtime returns such
 * memory within seconds. Here, once the event loop has been quiet for a few seconds after a busy
 * spell, V8 is told memory is low (the inspector's `HeapProfiler.collectGarbage`, which is
 * `LowMemoryNotification`): it collects everything, compacts, and shrinks the young generation.
 *
 *   busy ──► quiet for `quietSamples` seconds, and `slackBytes` committed beyond what is used ──► trim
 *     ▲                                                                                           │
 *     └──────────────── not again until the loop has been busy once more ◄───────────────────────┘
 *
 * The collection blocks the loop for some tens of milliseconds per 10 MB held; it runs only when
 * nothing else does.
 */
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface IdleMemoryOptions {
  /** How often the loop's utilization is sampled; default 1 s. */
  sampleMs?: number;
  /** A sample at or above this share of time busy marks a busy spell; default 0.2. */
  busyAbove?: number;
  /** A sample below this share counts as quiet; default 0.05. */
  quietBelow?: number;
  /** Consecutive quiet samples before trimming; default 3. */
  quietSamples?: number;
  /** Trim only when the heap has committed this much more than it uses; default 16 MiB. */
  slackBytes?: number;
  /** Seams for tests. */
  utilization?: () => number;
  heap?: () => { committed: number; used: number };
  trim?: () => Promise<void>;
}

export interface IdleMemory {
  /** Trims done so far. */
  readonly trims: number;
  stop(): void;
}

/** Samples the loop and trims after each busy spell that is followed by quiet; the timer never holds the process open. */
export function giveBackMemoryWhenIdle(options: IdleMemoryOptions = {}): IdleMemory {
  const busyAbove = options.busyAbove ?? 0.2;
  const quietBelow = options.quietBelow ?? 0.05;
  const quietSamples = options.quietSamples ?? 3;
  const slackBytes = options.slackBytes ?? 16 * 2 ** 20;
  const utilization = options.utilization ?? loopUtilization();
  const heap = options.heap ?? heapFigures;
  const trim = options.trim ?? lowMemoryNotification;
  let busySinceTrim = false;
  let quiet = 0;
  let trimming = false;
  let trims = 0;
  const timer = setInterval(() => {
    if (trimming) return;
    const busy = utilization();
    if (busy >= busyAbove) busySinceTrim = true;
    quiet = busy < quietBelow ? quiet + 1 : 0;
    if (!busySinceTrim || quiet < quietSamples) return;
    const { committed, used } = heap();
    if (committed - used < slackBytes) return;
    busySinceTrim = false;
    trimming = true;
    trims++;
    Promise.resolve()
      .then(trim)
      .catch(() => undefined)
      .finally(() => {
        trimming = false;
        // The collection's own time is no busy spell.
        utilization();
      });
  }, options.sampleMs ?? 1000);
  timer.unref();
  return {
    get trims() {
      return trims;
    },
    stop: () => clearInterval(timer),
  };
}

/** The share of time the event loop was busy since the previous call. */
function loopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const share = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return share;
  };
}

function heapFigures(): { committed: number; used: number } {
  const { total_heap_size: committed, used_heap_size: used } = v8.getHeapStatistics();
  return { committed, used };
}

let session: Session | undefined;

/**
 * V8's LowMemoryNotification, reached through the process's own inspector (no --inspect needed).
 * A Node built without the inspector refuses here, and the trim is skipped.
 */
async function lowMemoryNotification(): Promise<void> {
  if (!session) {
    session = new Session();
    session.connect();
  }
  const open = session;
  return new Promise((resolve, reject) => open.post('HeapProfiler.collectGarbage', (error) => (error ? reject(error) : resolve())));
}
