/**
 * The arithmetic of a rolling update, pure (upstream's rolling.go and deployment_util.go):
 *
 *   maxSurge        pods allowed above `replicas`      a number, or a percentage rounded up
 *   maxUnavailable  pods allowed to be unavailable     a number, or a percentage rounded down
 *                   (both 0 after rounding? then 1 may be unavailable, so the rollout can move)
 *
 *   scale the new ReplicaSet up   while all pods < replicas + maxSurge
 *   scale old ReplicaSets down    while available pods > replicas − maxUnavailable,
 *                                 unhealthy (unavailable) old pods first, oldest ReplicaSet first
 */
import type { Deployment, ReplicaSet } from '../../src/api/types';
import { TerminalError } from '../../src/client';
import { availableReplicas, byCreation, replicasOf, specReplicas } from './replica-sets';

/** A ReplicaSet and the size it should get. */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/**
 * A number, or `N%` of `total` rounded up or down (upstream GetScaledValueFromIntOrPercent); an
 * absent value is 0. Anything else is a spec only a new generation can fix.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, field: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new TerminalError(`${field}: invalid value "${value}": must be an integer or a percentage such as "25%"`);
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge and maxUnavailable as pod counts for `desired` replicas (upstream ResolveFenceposts). */
export function resolveFenceposts(d: Deployment, desired: number): { surge: number; unavailable: number } {
  const rolling = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(rolling?.maxSurge, desired, true, 'spec.strategy.rollingUpdate.maxSurge');
  const unavailable = scaledValue(rolling?.maxUnavailable, desired, false, 'spec.strategy.rollingUpdate.maxUnavailable');
  // Validation refuses 0 and 0, but rounding down can still get there: then allow one unavailable pod.
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/** Pods allowed above `replicas` (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d, replicasOf(d)).surge : 0;
}

/** Pods allowed to be unavailable, at most `replicas` (0 for Recreate or no replicas). */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d, replicas).unavailable, replicas);
}

/**
 * The size the new ReplicaSet may grow to now (upstream NewRSNewReplicas). Counting the pods of
 * each ReplicaSet as the larger of what it wants and what it still has is berth's addition:
 * pods of an old ReplicaSet just scaled down still count against the surge until they are gone,
 * so the pods that exist never exceed replicas + maxSurge, not only the pods wanted.
 */
export function newReplicaSetTarget(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge, replicas, true, 'spec.strategy.rollingUpdate.maxSurge');
  const pods = all.reduce((total, rs) => total + Math.max(replicasOf(rs), rs.status?.replicas ?? 0), 0);
  const maxTotal = replicas + surge;
  if (pods >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - pods, replicas - replicasOf(newRS));
}

/**
 * How far old ReplicaSets may shrink now (upstream reconcileOldReplicaSets): first their
 * unavailable pods, then available ones down to replicas − maxUnavailable. `old` are the active
 * old ReplicaSets; steps for one ReplicaSet may come twice (unhealthy first, then more).
 */
export function oldReplicaSetSteps(d: Deployment, all: readonly ReplicaSet[], old: readonly ReplicaSet[], newRS: ReplicaSet): ScaleStep[] {
  if (specReplicas(old) === 0) return [];
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  // Pods that may go without dropping below minAvailable, counting new pods not yet available as gone.
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  let cleanup: ScaleStep[];
  try {
    cleanup = unhealthyCleanupSteps(old, maxScaledDown);
  } catch {
    // A status behind its spec (a scale-down not yet carried out): wait for the next status, as upstream does.
    return [];
  }
  const resized = old.map((rs) => {
    const step = cleanup.find((s) => s.rs === rs);
    return step ? withReplicas(rs, step.replicas) : rs;
  });
  const scaleDown = availableScaleDownSteps(d, [...resized, newRS], resized);
  return [...cleanup, ...scaleDown.map((s) => ({ rs: old[resized.indexOf(s.rs)], replicas: s.replicas }))];
}

/** Unavailable pods of old ReplicaSets, oldest ReplicaSet first, at most `maxCount` (upstream cleanupUnhealthyReplicas). */
export function unhealthyCleanupSteps(old: readonly ReplicaSet[], maxCount: number): ScaleStep[] {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...old].sort(byCreation)) {
    if (total >= maxCount) break;
    const replicas = replicasOf(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCount - total, replicas - available);
    if (count < 0) throw new Error(`when cleaning up unhealthy replicas, got an invalid request to scale ${rs.metadata.namespace}/${rs.metadata.name} down from ${replicas} to ${replicas - count}`);
    steps.push({ rs, replicas: replicas - count });
    total += count;
  }
  return steps;
}

/** Available pods of old ReplicaSets above replicas − maxUnavailable, oldest ReplicaSet first (upstream scaleDownOldReplicaSetsForRollingUpdate). */
export function availableScaleDownSteps(d: Deployment, all: readonly ReplicaSet[], old: readonly ReplicaSet[]): ScaleStep[] {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicas(all);
  if (available <= minAvailable) return [];
  const wanted = available - minAvailable;
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...old].sort(byCreation)) {
    if (total >= wanted) break;
    const replicas = replicasOf(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, wanted - total);
    steps.push({ rs, replicas: replicas - count });
    total += count;
  }
  return steps;
}

function withReplicas(rs: ReplicaSet, replicas: number): ReplicaSet {
  return { ...rs, spec: { ...rs.spec!, replicas } };
}
