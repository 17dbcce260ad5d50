/**
 * Which pods a ReplicaSet deletes when it has too many: those that cost least to lose first, in
 * upstream's order (pkg/controller/controller_utils.go ActivePodsWithRanks, with the
 * PodDeletionCost and LogarithmicScaleDown features on, as they are by default):
 *
 *   1. not yet placed on a node        before placed
 *   2. Pending, then Unknown           before Running
 *   3. not ready                       before ready
 *   4. lower pod-deletion-cost         before higher
 *   5. more pods of the same owner on its node (doubled up) before fewer
 *   6. ready more recently             before ready longer (by powers of two of the time)
 *   7. more container restarts         before fewer
 *   8. created more recently           before created earlier (by powers of two of the age)
 */
import type { Pod } from '../../src/api/types';
import { parseTime } from './conditions';
import { isPodActive, isPodReady, podReadySince } from './pod-state';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * The `count` pods to delete out of `pods`. `related` are the active and inactive pods of the
 * owner and its siblings (ReplicaSets of the same Deployment): they decide which pods are doubled
 * up on a node.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, now: number): Pod[] {
  // Deleting them all needs no order.
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: { pod: Pod; rank: number }, b: { pod: Pod; rank: number }, now: number): number {
  const x = a.pod;
  const y = b.pod;
  const nodeX = x.spec?.nodeName ?? '';
  const nodeY = y.spec?.nodeName ?? '';
  if (nodeX !== nodeY && (!nodeX || !nodeY)) return nodeX ? 1 : -1;

  const phaseX = phaseOrder[x.status?.phase ?? ''] ?? 0;
  const phaseY = phaseOrder[y.status?.phase ?? ''] ?? 0;
  if (phaseX !== phaseY) return phaseX - phaseY;

  const readyX = isPodReady(x);
  if (readyX !== isPodReady(y)) return readyX ? 1 : -1;

  const costX = deletionCost(x);
  const costY = deletionCost(y);
  if (costX !== costY) return costX < costY ? -1 : 1;

  if (a.rank !== b.rank) return b.rank - a.rank;

  if (readyX) {
    const order = byRecency(podReadySince(x), podReadySince(y), x, y, now);
    if (order !== 0) return order;
  }

  const restarts = compareRestarts(x, y);
  if (restarts !== 0) return restarts;

  return byRecency(parseTime(x.metadata.creationTimestamp), parseTime(y.metadata.creationTimestamp), x, y, now);
}

/** `controller.kubernetes.io/pod-deletion-cost`, an int32; anything else counts as 0. */
export function deletionCost(pod: Pod): number {
  const text = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const value = Number(text);
  return value >= -(2 ** 31) && value <= 2 ** 31 - 1 ? value : 0;
}

/**
 * The more recent time first; a missing time before any. Times in the same power-of-two bucket
 * of age count as equal and fall back to the uid, so the choice among pods of about the same age
 * is random rather than always the youngest (upstream's logarithmic scale-down).
 */
function byRecency(timeX: number | undefined, timeY: number | undefined, x: Pod, y: Pod, now: number): number {
  if (timeX === timeY) return 0;
  if (timeX === undefined || timeY === undefined) return timeX === undefined ? -1 : 1;
  const diff = logarithmicBucket(now - timeX) - logarithmicBucket(now - timeY);
  if (diff !== 0) return diff;
  const uidX = x.metadata.uid ?? '';
  const uidY = y.metadata.uid ?? '';
  return uidX < uidY ? -1 : uidX > uidY ? 1 : 0;
}

/** floor(log2(age in nanoseconds)), -1 for no age, as upstream's logarithmicRankDiff. */
function logarithmicBucket(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

/** More restarts first: the largest of the regular containers, then of the sidecars (restartable init containers). */
function compareRestarts(x: Pod, y: Pod): number {
  const [regularX, sidecarX] = maxRestarts(x);
  const [regularY, sidecarY] = maxRestarts(y);
  if (regularX !== regularY) return regularY - regularX;
  return sidecarY - sidecarX;
}

function maxRestarts(pod: Pod): [number, number] {
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const sidecar = Math.max(0, ...(pod.status?.initContainerStatuses ?? []).filter((c) => sidecars.has(c.name)).map((c) => c.restartCount ?? 0));
  return [regular, sidecar];
}
