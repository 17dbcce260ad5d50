/**
 * The two kinds of placement plugin. A filter says why a node cannot take the pod, or nothing;
 * a scorer rates each node that can, 0–100. A filter prepares once per decision (the pod's
 * compiled demands, counts over the snapshot) and returns a plain function called per node; a
 * scorer scores all feasible nodes in one call, so its loop stays tight.
 */
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { Snapshot } from './snapshot';

/** One reason, or several (NodeResourcesFit can lack cpu and memory at once). */
export type Reasons = string | readonly string[];

export interface Decision {
  readonly pod: PodInfo;
  readonly snapshot: Snapshot;
}

export type Check = (node: NodeInfo) => Reasons | undefined;

export interface Filter {
  /** The upstream plugin name where there is one: NodeResourcesFit, TaintToleration... */
  readonly name: string;
  /** The per-node check, or undefined when the pod asks nothing this filter could refuse. */
  prepare(decision: Decision): Check | undefined;
}

export interface Scorer {
  readonly name: string;
  /** How much a point of this scorer counts in the total; options can override it by name. */
  readonly weight: number;
  /**
   * Writes each feasible node's score, 0–100, into `scores` (in the order of `feasible`).
   * Returns false, writing nothing, when the pod gives it nothing to prefer: every node scores 0.
   */
  score(decision: Decision, feasible: readonly NodeInfo[], scores: Float64Array): boolean;
}

export function reasonList(reasons: Reasons): readonly string[] {
  return typeof reasons === 'string' ? [reasons] : reasons;
}

/** Upstream `DefaultNormalizeScore`: the highest becomes 100, the rest in proportion; reversed, the highest becomes 0. */
export function normalizeToMax(scores: Float64Array, count: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) scores.fill(100, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) {
    const score = Math.trunc((100 * scores[i]) / max);
    scores[i] = reverse ? 100 - score : score;
  }
}
