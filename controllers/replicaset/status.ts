/**
 * A ReplicaSet's status from the pods it owns (upstream's replica_set_utils.go calculateStatus).
 */
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../../src/api/types';
import { deepEqual } from '../../src/util/json';
import { selectorFromSet } from '../../src/api/selector';
import { errorMessage } from '../../src/log';
import { findCondition, timestamp, withCondition, withoutCondition } from './conditions';
import { isPodAvailable, isPodReady } from './pod-state';

export const REPLICA_FAILURE = 'ReplicaFailure';

type ReplicaSetCondition = NonNullable<ReplicaSetStatus['conditions']>[number];

/**
 * The status for `pods` (the active pods the ReplicaSet owns). A failure to create or delete
 * pods sets ReplicaFailure (FailedCreate / FailedDelete) until a sync succeeds.
 */
export function replicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], failure: unknown, now: number): ReplicaSetStatus {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  // The template's labels are a superset of the selector, so every fully labeled pod is among these.
  const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels ?? {})) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] | undefined = rs.status?.conditions ? [...rs.status.conditions] : undefined;
  const failing = findCondition(conditions, REPLICA_FAILURE);
  if (failure !== undefined && !failing) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : undefined;
    conditions = withCondition<ReplicaSetCondition>(conditions, { type: REPLICA_FAILURE, status: 'True', reason, message: errorMessage(failure), lastTransitionTime: timestamp(now) });
  } else if (failure === undefined && failing) {
    conditions = withoutCondition(conditions, REPLICA_FAILURE);
  }
  const status: ReplicaSetStatus = {
    ...rs.status,
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (conditions && conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

/** Whether `status` says something the stored one does not (the counts, the conditions, or an unobserved generation). */
export function statusChanged(rs: ReplicaSet, status: ReplicaSetStatus): boolean {
  const old = rs.status;
  return (
    (old?.replicas ?? 0) !== status.replicas ||
    (old?.fullyLabeledReplicas ?? 0) !== (status.fullyLabeledReplicas ?? 0) ||
    (old?.readyReplicas ?? 0) !== (status.readyReplicas ?? 0) ||
    (old?.availableReplicas ?? 0) !== (status.availableReplicas ?? 0) ||
    (rs.metadata.generation ?? 0) !== (old?.observedGeneration ?? 0) ||
    !deepEqual(old?.conditions ?? [], status.conditions ?? [])
  );
}
