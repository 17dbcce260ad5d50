/**
 * The figures every decision reads of every node it considers, kept together: one row of a
 * shared Float64Array per node. A decision scans hundreds of nodes, and what it reads of each
 * must sit in one place: spread over a node's object, its boxed numbers and its maps, the same
 * reads cost several cache misses per node once other work (parsing watch events, writing binds)
 * has passed through the cache between two decisions — three times the decision's time.
 *
 *   NodeInfo (the whole node) ──writes on every change──► rows[slot × width + column]
 *   filters and scores ─────────reads──────────────────────┘
 *
 * Each NodeInfo owns one slot; a snapshot's nodes share one table.
 */

/** Ready condition: 0 True, 1 False, 2 Unknown. */
export const READINESS = 0;
/** Bits: cordoned, has NoSchedule/NoExecute taints, has PreferNoSchedule taints. */
export const FLAGS = 1;
export const UNSCHEDULABLE = 1;
export const BLOCKING_TAINTS = 2;
export const PREFER_NO_SCHEDULE_TAINTS = 4;
/** Pods the node can still take: allocatable pods minus the pods bound there (Infinity when it does not say). */
export const FREE_PODS = 2;
/** Allocatable minus the summed requests of the pods bound there. */
export const FREE_CPU = 3;
export const FREE_MEMORY = 4;
export const FREE_STORAGE = 5;
export const ALLOCATABLE_CPU = 6;
export const ALLOCATABLE_MEMORY = 7;
/** cpu and memory requested as scores count them (with the defaults for containers that ask none). */
export const SCORING_CPU = 8;
export const SCORING_MEMORY = 9;
/** Floats per row. */
export const WIDTH = 10;

export class NodeTable {
  /** Rows of WIDTH floats; replaced by a larger copy when slots run out, so read it afresh each decision. */
  rows: Float64Array;
  private used = 0;
  private readonly free: number[] = [];

  constructor(capacity = 16) {
    this.rows = new Float64Array(capacity * WIDTH);
  }

  /** A slot for a new node: a freed one, or the next. */
  allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if ((this.used + 1) * WIDTH > this.rows.length) {
      const grown = new Float64Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    return this.used++;
  }

  release(slot: number): void {
    this.rows.fill(0, slot * WIDTH, (slot + 1) * WIDTH);
    this.free.push(slot);
  }
}
