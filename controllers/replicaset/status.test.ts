import { Conflict } from '../../src/api/errors';
import { pod, replicaSet, T0 } from './fixtures';
import { msUntilNextAvailable } from './pod-state';
import { replicaSetStatus, statusChanged } from './status';

describe('ReplicaSet status', () => {
  const now = T0 + 60_000;

  it('counts pods, fully labeled pods, ready pods and available pods', () => {
    const rs = replicaSet('web', 4, { labels: { app: 'web' }, minReadySeconds: 10 });
    const pods = [
      pod('ready-long', { readySince: T0 }),
      pod('ready-just-now', { readySince: now - 5_000 }),
      pod('not-ready'),
      // Matches the selector (app=web) but lacks a template label.
      pod('partial', { labels: { app: 'web' } }),
    ];
    const templated = { ...rs, spec: { ...rs.spec!, template: { ...rs.spec!.template, metadata: { labels: { app: 'web', tier: 'front' } } } } };
    const withTier = pods.slice(0, 3).map((p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'web', tier: 'front' } } }));
    expect(replicaSetStatus(templated, [...withTier, pods[3]], undefined, now)).toEqual({ replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 1 });
  });

  it('counts a ready pod as available at once without minReadySeconds', () => {
    expect(replicaSetStatus(replicaSet('web', 1), [pod('p', { readySince: now })], undefined, now).availableReplicas).toBe(1);
  });

  it('reports a failed create as ReplicaFailure/FailedCreate, and clears it after a clean pass', () => {
    const rs = replicaSet('web', 3);
    const failed = replicaSetStatus(rs, [pod('a')], new Conflict('pods "web-x" is forbidden: exceeded quota'), now);
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota', lastTransitionTime: '2025-01-01T00:01:00Z' }]);
    const again = replicaSetStatus({ ...rs, status: failed }, [pod('a')], new Error('another'), now + 1000);
    expect(again.conditions).toEqual(failed.conditions);
    expect(replicaSetStatus({ ...rs, status: failed }, [pod('a')], undefined, now).conditions).toBeUndefined();
  });

  it('reports a failed delete as FailedDelete', () => {
    const status = replicaSetStatus(replicaSet('web', 0), [pod('a')], new Error('boom'), now);
    expect(status.conditions?.[0].reason).toBe('FailedDelete');
  });

  it('needs a write only when a count, the conditions or the observed generation differ', () => {
    const rs = replicaSet('web', 1, { generation: 2, status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 } });
    expect(statusChanged(rs, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 })).toBe(false);
    expect(statusChanged(rs, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0 })).toBe(true);
    expect(statusChanged({ ...rs, metadata: { ...rs.metadata, generation: 3 } }, rs.status!)).toBe(true);
  });

  it('tells when the next ready pod becomes available', () => {
    const pods = [pod('a', { readySince: now - 4_000 }), pod('b', { readySince: now - 9_000 }), pod('c'), pod('d', { readySince: T0 })];
    expect(msUntilNextAvailable(pods, 10, now)).toBe(1_001);
    expect(msUntilNextAvailable(pods, 0, now)).toBeUndefined();
    expect(msUntilNextAvailable([pod('d', { readySince: T0 })], 10, now)).toBeUndefined();
  });
});
