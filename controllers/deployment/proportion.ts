/**
 * Scaling a Deployment while a rollout is under way (upstream sync.go scale() and
 * deployment_util.go GetProportion): the change is shared among the active ReplicaSets in
 * proportion to their size, so a rollout at 30% old / 70% new stays 30/70 at the new size.
 * Each ReplicaSet remembers the Deployment's size with surge when it was last scaled (the
 * max-replicas annotation): that is what its share is measured against.
 *
 *   one active ReplicaSet (or none)   it (or the newest) gets the whole new size
 *   the new ReplicaSet is saturated   the old ones go to 0
 *   otherwise (RollingUpdate)         allowed = replicas + maxSurge; the difference to the sum
 *                                     is shared out, largest first, leftovers to the first
 */
import type { Deployment, ReplicaSet } from '../../src/api/types';
import { isRollingUpdate, maxSurge, ScaleStep } from './rolling-math';
import { activeReplicaSets, byCreation, bySizeNewer, bySizeOlder, DESIRED_REPLICAS_ANNOTATION, intAnnotation, MAX_REPLICAS_ANNOTATION, replicasOf, specReplicas } from './replica-sets';

/** The one ReplicaSet to give the whole size to, when at most one is active (upstream FindActiveOrLatest). */
export function activeOrLatest(newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && old.length === 0) return undefined;
  const newestFirst = [...old].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet has all the Deployment's replicas, available, for its current size. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  const replicas = replicasOf(d);
  return desired !== undefined && replicasOf(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** The sizes to give the ReplicaSets after the Deployment's size changed. */
export function proportionalSteps(d: Deployment, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): ScaleStep[] {
  const replicas = replicasOf(d);
  const single = activeOrLatest(newRS, old);
  if (single) return replicasOf(single) === replicas ? [] : [{ rs: single, replicas }];
  if (isSaturated(d, newRS)) return activeReplicaSets(old).map((rs) => ({ rs, replicas: 0 }));
  if (!isRollingUpdate(d)) return [];

  const active = activeReplicaSets([...old, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(active);
  // Scaling up, the newer of two equal ReplicaSets grows first; scaling down, the older shrinks first.
  if (toAdd > 0) active.sort(bySizeNewer);
  else if (toAdd < 0) active.sort(bySizeOlder);
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return replicasOf(rs);
    const share = proportion(rs, d, toAdd, added);
    added += share;
    return replicasOf(rs) + share;
  });
  // Whatever rounding left over goes to (or comes from) the largest.
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return active.map((rs, i) => ({ rs, replicas: sizes[i] }));
}

/** This ReplicaSet's share of `toAdd`, never more than what is left of it (upstream GetProportion). */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const share = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/** How many replicas this ReplicaSet gains (or loses) at the Deployment's new size, rounded half away from zero. */
function fraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = replicasOf(d);
  // Scaling to zero: everything goes.
  if (replicas === 0) return -replicasOf(rs);
  const maxNow = replicas + maxSurge(d);
  let maxBefore = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (!maxBefore) {
    // No annotation (edited away, or older than it): measure against the Deployment's last size.
    maxBefore = d.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  const size = (replicasOf(rs) * maxNow) / maxBefore;
  return roundHalfAwayFromZero(size) - replicasOf(rs);
}

function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? Math.trunc(x - 0.5) : Math.trunc(x + 0.5);
}
