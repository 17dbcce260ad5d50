/**
 * A Deployment's status and conditions, pure (upstream sync.go calculateStatus, progress.go
 * syncRolloutStatus, deployment_util.go DeploymentComplete / DeploymentProgressing /
 * DeploymentTimedOut). What `kubectl rollout status` reads: observedGeneration, replicas,
 * updatedReplicas, availableReplicas, and Progressing=False/ProgressDeadlineExceeded.
 *
 *   Available     True  MinimumReplicasAvailable     available ≥ replicas − maxUnavailable
 *                 False MinimumReplicasUnavailable
 *   Progressing   True  NewReplicaSetCreated / FoundNewReplicaSet / ReplicaSetUpdated (moving)
 *                 True  NewReplicaSetAvailable       done: all updated, all available
 *                 False ProgressDeadlineExceeded     no progress for progressDeadlineSeconds
 *                 Unknown DeploymentPaused / DeploymentResumed
 *   ReplicaFailure  copied from the new (else any) ReplicaSet
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../src/api/types';
import { ConditionLike, findCondition, parseTime, timestamp, withCondition, withoutCondition } from '../replicaset';
import { maxUnavailable } from './rolling-math';
import { actualReplicas, availableReplicas, readyReplicas, replicasOf, specReplicas } from './replica-sets';

/** The codec's type leaves out lastUpdateTime, which Deployment conditions have on the wire. */
export type DeploymentCondition = ConditionLike;

/** A status's conditions, with their lastUpdateTime. */
export function conditionsOf(status: DeploymentStatus | undefined): DeploymentCondition[] | undefined {
  return status?.conditions as DeploymentCondition[] | undefined;
}

export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const reasons = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedCreate: 'ReplicaSetCreateError',
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** The largest int32: upstream's way of saying "no deadline". */
const NO_DEADLINE = 2 ** 31 - 1;

export function condition(type: string, status: DeploymentCondition['status'], reason: string, message: string, now: number): DeploymentCondition {
  const at = timestamp(now);
  return { type, status, reason, message, lastUpdateTime: at, lastTransitionTime: at };
}

export function hasProgressDeadline(d: Deployment): boolean {
  const seconds = d.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== NO_DEADLINE;
}

/** The counts from the ReplicaSets, and Available from them; other conditions carried over. */
export function calculateStatus(d: Deployment, all: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const available = availableReplicas(all);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicas(all),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: readyReplicas(all),
    availableReplicas: available,
    // More available than wanted (while scaling down) is not a negative shortfall.
    unavailableReplicas: Math.max(0, specReplicas(all) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const minimum = replicasOf(d) - maxUnavailable(d);
  const availability =
    available >= minimum
      ? condition(AVAILABLE, 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', now)
      : condition(AVAILABLE, 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now);
  status.conditions = withCondition(conditionsOf(d.status), availability);
  return status;
}

/** Every replica updated and available, and the generation observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus | undefined): boolean {
  const replicas = replicasOf(d);
  return (
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.replicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas &&
    (status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** More pods updated, fewer old ones, or more ready or available than the stored status says. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const nextOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    nextOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress recorded for longer than the deadline. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const progressing = findCondition(conditionsOf(status), PROGRESSING);
  if (!progressing || progressing.reason === reasons.newReplicaSetAvailable) return false;
  if (progressing.reason === reasons.timedOut) return true;
  const from = parseTime(progressing.lastUpdateTime);
  return from !== undefined && from + d.spec!.progressDeadlineSeconds! * 1000 < now;
}

/**
 * The status after a rollout step (upstream syncRolloutStatus): the counts, then Progressing as
 * the rollout moved, completed or timed out, then ReplicaFailure from the ReplicaSets. Also when
 * to look again to notice a deadline passing with no event to tell.
 */
export function rolloutStatus(d: Deployment, all: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, now: number): { status: DeploymentStatus; recheckAfterMs?: number } {
  const status = calculateStatus(d, all, newRS, now);
  if (!hasProgressDeadline(d)) status.conditions = withoutCondition(status.conditions, PROGRESSING);
  const current = findCondition(conditionsOf(d.status), PROGRESSING);
  const completed = status.replicas === status.updatedReplicas && current?.reason === reasons.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !completed) {
    if (deploymentComplete(d, status)) {
      const message = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      status.conditions = withCondition(status.conditions, condition(PROGRESSING, 'True', reasons.newReplicaSetAvailable, message, now));
    } else if (deploymentProgressing(d, status)) {
      const message = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const moving = condition(PROGRESSING, 'True', reasons.replicaSetUpdated, message, now);
      // Progress moves lastUpdateTime even when the reason stays the same; a True condition keeps its transition time.
      if (current?.status === 'True') moving.lastTransitionTime = current.lastTransitionTime;
      status.conditions = [...withoutCondition(status.conditions, PROGRESSING), moving];
    } else if (deploymentTimedOut(d, status, now)) {
      const message = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      status.conditions = withCondition(status.conditions, condition(PROGRESSING, 'False', reasons.timedOut, message, now));
    }
  }
  const failure = replicaFailure(all, newRS);
  status.conditions = failure ? withCondition(status.conditions, failure) : withoutCondition(status.conditions, REPLICA_FAILURE);
  return { status, recheckAfterMs: recheckAfter(d, status, now) };
}

/** A ReplicaFailure of the new ReplicaSet, else of any, as a Deployment condition. */
function replicaFailure(all: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const found = findCondition(newRS?.status?.conditions, REPLICA_FAILURE) ?? all.map((rs) => findCondition(rs?.status?.conditions, REPLICA_FAILURE)).find(Boolean);
  if (!found) return undefined;
  return { type: REPLICA_FAILURE, status: found.status, reason: found.reason, message: found.message, lastTransitionTime: found.lastTransitionTime, lastUpdateTime: found.lastTransitionTime };
}

/**
 * When a rollout that is neither complete nor timed out would pass its deadline (upstream
 * requeueStuckDeployment): a second after it, so the next look finds it passed.
 */
function recheckAfter(d: Deployment, next: DeploymentStatus, now: number): number | undefined {
  const current = findCondition(conditionsOf(d.status), PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, next) || current.reason === reasons.timedOut) return undefined;
  const from = parseTime(current.lastUpdateTime);
  if (from === undefined) return undefined;
  const after = from + d.spec!.progressDeadlineSeconds! * 1000 - now;
  return after < 1000 ? 1 : after + 1000;
}

/** The Progressing condition for a pause or a resume, when it needs to change (upstream checkPausedConditions). */
export function pausedCondition(d: Deployment, now: number): DeploymentCondition[] | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const current = findCondition(conditionsOf(d.status), PROGRESSING);
  // Lack of progress, once reported, is not overwritten by a pause.
  if (current?.reason === reasons.timedOut) return undefined;
  const pausedNoted = current?.reason === reasons.paused;
  if (d.spec?.paused && !pausedNoted) return withCondition(conditionsOf(d.status), condition(PROGRESSING, 'Unknown', reasons.paused, 'Deployment is paused', now));
  if (!d.spec?.paused && pausedNoted) return withCondition(conditionsOf(d.status), condition(PROGRESSING, 'Unknown', reasons.resumed, 'Deployment is resumed', now));
  return undefined;
}
