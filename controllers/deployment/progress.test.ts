import type { Deployment } from '../../src/api/types';
import { deployment, iso, ownedReplicaSet, T0 } from './fixtures';
import { calculateStatus, conditionsOf, deploymentComplete, pausedCondition, rolloutStatus } from './progress';

const now = T0 + 60_000;
const progressing = (d: Deployment) => conditionsOf(d.status)?.find((c) => c.type === 'Progressing');

function withProgressing(d: Deployment, reason: string, status: 'True' | 'False' | 'Unknown', updatedAt: number): Deployment {
  return { ...d, status: { ...d.status, conditions: [{ type: 'Progressing', status, reason, message: 'm', lastUpdateTime: iso(updatedAt), lastTransitionTime: iso(T0) } as never] } };
}

describe('Deployment status', () => {
  it('counts from the ReplicaSets: all, updated (the new one), ready, available, unavailable', () => {
    const d = deployment('web', 4, { generation: 3 });
    const old = ownedReplicaSet(d, 'v1', 2, { available: 2 });
    const newRS = ownedReplicaSet(d, 'v2', 3, { available: 1, actual: 3 });
    const status = calculateStatus(d, [old, newRS], newRS, now);
    expect(status).toMatchObject({ observedGeneration: 3, replicas: 5, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 2 });
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' })]);
  });

  it('reports MinimumReplicasUnavailable below replicas − maxUnavailable, and no negative shortfall while scaling down', () => {
    const d = deployment('web', 4);
    const low = calculateStatus(d, [ownedReplicaSet(d, 'v1', 4, { available: 2 })], undefined, now);
    expect(low.conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    const shrinking = calculateStatus(d, [ownedReplicaSet(d, 'v1', 2, { available: 4, actual: 4 })], undefined, now);
    expect(shrinking.unavailableReplicas).toBe(0);
  });

  it('keeps the Available condition, times and all, while it does not change', () => {
    const d = deployment('web', 1);
    const first = calculateStatus(d, [ownedReplicaSet(d, 'v1', 1)], undefined, now);
    const again = calculateStatus({ ...d, status: first }, [ownedReplicaSet(d, 'v1', 1)], undefined, now + 60_000);
    expect(again.conditions).toEqual(first.conditions);
  });

  it('marks a finished rollout NewReplicaSetAvailable', () => {
    const d = withProgressing(deployment('web', 2), 'ReplicaSetUpdated', 'True', T0);
    const newRS = ownedReplicaSet(d, 'v1', 2);
    const { status, recheckAfterMs } = rolloutStatus(d, [newRS], newRS, now);
    expect(progressing({ ...d, status })).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` });
    expect(deploymentComplete(d, status)).toBe(true);
    expect(recheckAfterMs).toBeUndefined();
  });

  it('moves lastUpdateTime (not lastTransitionTime) of ReplicaSetUpdated on progress', () => {
    const d = withProgressing({ ...deployment('web', 4), status: { replicas: 4, updatedReplicas: 1, availableReplicas: 3 } }, 'ReplicaSetUpdated', 'True', T0);
    const old = ownedReplicaSet(d, 'v1', 2);
    const newRS = ownedReplicaSet(d, 'v2', 2, { available: 0 });
    const condition = progressing({ ...d, status: rolloutStatus(d, [old, newRS], newRS, now).status });
    expect(condition).toMatchObject({ reason: 'ReplicaSetUpdated', lastUpdateTime: iso(now), lastTransitionTime: iso(T0) });
  });

  it('reports ProgressDeadlineExceeded once the deadline passes without progress, and asks to look again before that', () => {
    const d = withProgressing({ ...deployment('web', 2, { progressDeadlineSeconds: 30 }), status: { replicas: 2, updatedReplicas: 2, availableReplicas: 0 } }, 'NewReplicaSetCreated', 'True', T0);
    const newRS = ownedReplicaSet(d, 'v1', 2, { available: 0 });
    const early = rolloutStatus(d, [newRS], newRS, T0 + 20_000);
    expect(progressing({ ...d, status: early.status })?.reason).toBe('NewReplicaSetCreated');
    expect(early.recheckAfterMs).toBe(11_000);
    const late = rolloutStatus(d, [newRS], newRS, T0 + 31_000);
    expect(progressing({ ...d, status: late.status })).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` });
  });

  it('leaves Progressing out without a deadline', () => {
    const d = withProgressing({ ...deployment('web', 1), spec: { ...deployment('web', 1).spec!, progressDeadlineSeconds: undefined } }, 'ReplicaSetUpdated', 'True', T0);
    const rs = ownedReplicaSet(d, 'v1', 1);
    expect(progressing({ ...d, status: rolloutStatus(d, [rs], rs, now).status })).toBeUndefined();
  });

  it('carries a ReplicaFailure of the new ReplicaSet over, and drops it once gone', () => {
    const d = deployment('web', 1);
    const failing = ownedReplicaSet(d, 'v1', 1, { available: 0 });
    failing.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: iso(T0) }];
    const { status } = rolloutStatus(d, [failing], failing, now);
    expect(status.conditions?.find((c) => c.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'quota' });
    const healed = ownedReplicaSet(d, 'v1', 1);
    expect(rolloutStatus({ ...d, status }, [healed], healed, now).status.conditions?.find((c) => c.type === 'ReplicaFailure')).toBeUndefined();
  });

  it('notes a pause and a resume in Progressing, but never over a timeout', () => {
    const paused = deployment('web', 1, { paused: true });
    expect(pausedCondition(paused, now)?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    const noted = withProgressing(paused, 'DeploymentPaused', 'Unknown', T0);
    expect(pausedCondition(noted, now)).toBeUndefined();
    expect(pausedCondition({ ...noted, spec: { ...noted.spec!, paused: false } }, now)?.[0]).toMatchObject({ reason: 'DeploymentResumed' });
    expect(pausedCondition(withProgressing(paused, 'ProgressDeadlineExceeded', 'False', T0), now)).toBeUndefined();
  });
});
