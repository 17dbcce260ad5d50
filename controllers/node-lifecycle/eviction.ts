/**
 * When a pod on a node with NoExecute taints must go, as upstream's taint eviction controller
 * decides it:
 *
 *   a NoExecute taint the pod does not tolerate          → now
 *   every one tolerated, some for tolerationSeconds      → the taint's time + the shortest of those
 *   every one tolerated without a limit                  → never
 *
 * (the first toleration matching a taint is the one that counts for it)
 *
 * The clock starts at the taint's timeAdded (the time this controller first saw the taint when
 * it has none), so a restarted controller keeps the same deadlines. The not-ready and
 * unreachable tolerations that admission adds to every pod (300 s) count as the controller's
 * podEvictionTimeout instead, which is how an operator shortens or lengthens them cluster-wide.
 */
import type { Pod, Taint, Toleration } from '../../src/api/types';
import { tolerates } from '../placement/node-match';
import { notReadyTaintKey, unreachableTaintKey } from './health';

/** What the DefaultTolerationSeconds admission plugin gives every pod. */
export const admissionDefaultSeconds = 300;

export interface EvictionOptions {
  /** The stand-in for admission's default 300 s toleration of not-ready and unreachable. */
  podEvictionTimeoutMs: number;
  /** When a taint without timeAdded was first seen. */
  firstSeen(taint: Taint): number;
}

function tolerationMs(toleration: Toleration, taint: Taint, options: EvictionOptions): number | undefined {
  if (toleration.tolerationSeconds === undefined || toleration.tolerationSeconds === null) return undefined;
  const admissionDefault =
    toleration.tolerationSeconds === admissionDefaultSeconds && (taint.key === notReadyTaintKey || taint.key === unreachableTaintKey) && toleration.operator === 'Exists';
  if (admissionDefault) return options.podEvictionTimeoutMs;
  return Math.max(0, toleration.tolerationSeconds) * 1000;
}

/**
 * When `pod` must be evicted from a node with `taints` (any effects; only NoExecute count), in ms
 * since the epoch; 0 for at once; undefined for never.
 */
export function evictionTime(pod: Pod, taints: readonly Taint[], options: EvictionOptions): number | undefined {
  const tolerations = pod.spec?.tolerations ?? [];
  let due: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    // As upstream, the first toleration that matches a taint is the one that counts for it.
    const toleration = tolerations.find((t) => tolerates(t, taint));
    if (!toleration) return 0;
    const limit = tolerationMs(toleration, taint, options);
    if (limit === undefined) continue;
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : options.firstSeen(taint);
    const at = since + limit;
    if (due === undefined || at < due) due = at;
  }
  return due;
}
