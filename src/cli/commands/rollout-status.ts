/**
 * Whether a Deployment's rollout is done, decided as kubectl's DeploymentStatusViewer decides it
 * (K8S-WIRE §8.1), as a pure function of the object so anything can use it (`rollout status`,
 * `apply --wait`):
 *
 *   spec not yet observed          → waiting for the spec update to be observed
 *   Progressing/ProgressDeadlineExceeded → failed: exceeded its progress deadline
 *   updated < desired              → n out of m new replicas have been updated
 *   total > updated                → n old replicas are pending termination
 *   available < updated            → n of m updated replicas are available
 *   otherwise                      → successfully rolled out
 */
import type { Deployment } from '../../api/types';
import { revisionOf } from './rollout-revisions';

export interface RolloutStatus {
  done: boolean;
  message: string;
  /** Set when the rollout can no longer succeed (its progress deadline passed). */
  failed?: string;
}

export function deploymentRolloutStatus(d: Deployment, revision?: number): RolloutStatus {
  const name = d.metadata.name;
  if (revision !== undefined && revision > 0) {
    const current = revisionOf(d);
    if (current !== revision) return { done: false, message: `desired revision (${revision}) is different from the running revision (${current})`, failed: `desired revision (${revision}) is different from the running revision (${current})` };
  }
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const failed = `deployment "${name}" exceeded its progress deadline`;
    return { done: false, message: failed, failed };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...` };
  if (total > updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}
