import type { ReplicaSet } from '../../src/api/types';
import { deployment, ownedReplicaSet, T0 } from './fixtures';
import { activeOrLatest, isSaturated, proportionalSteps } from './proportion';

const rolling = (replicas: number, surge: number, unavailable: number, lastSize?: number) =>
  deployment('web', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, status: lastSize === undefined ? undefined : { replicas: lastSize } });

/** A ReplicaSet sized `replicas`, annotated as last scaled for a Deployment of `desired` (max `max`). */
function rs(image: string, replicas: number, annotated?: { desired: number; max: number }, created = T0): ReplicaSet {
  const d = deployment('web', 1);
  const annotations = annotated ? { 'deployment.kubernetes.io/desired-replicas': String(annotated.desired), 'deployment.kubernetes.io/max-replicas': String(annotated.max) } : undefined;
  return ownedReplicaSet(d, image, replicas, { created, annotations });
}

const result = (steps: { rs: ReplicaSet; replicas: number }[]) => Object.fromEntries(steps.map((s) => [s.rs.spec!.template!.spec!.containers[0].image, s.replicas]));

describe('scaling a Deployment in the middle of a rollout', () => {
  it.each([
    // Upstream's TestScale cases (deployment_controller_test / sync_test).
    ['scales a lone active ReplicaSet to the new size', rolling(12, 0, 0), rs('new', 10), [rs('old', 0)], { new: 12 }],
    ['gives the whole size to the newest when none is active', rolling(3, 0, 0), rs('new', 0), [rs('old', 0)], { new: 3 }],
    ['shares an increase in proportion', rolling(12, 2, 0), rs('new', 6, { desired: 10, max: 12 }, T0 + 1000), [rs('old', 6, { desired: 10, max: 12 })], { new: 7, old: 7 }],
    ['shares a decrease in proportion', rolling(8, 2, 0), rs('new', 6, { desired: 10, max: 12 }, T0 + 1000), [rs('old', 6, { desired: 10, max: 12 })], { new: 5, old: 5 }],
    ['gives the leftover of an increase to the larger, newer first on a tie', rolling(5, 2, 0), rs('new', 2, { desired: 4, max: 6 }, T0 + 1000), [rs('old', 2, { desired: 4, max: 6 }), rs('older', 2, { desired: 4, max: 6 }, T0 - 1000)], { new: 3, old: 2, older: 2 }],
    ['scales everything to zero', rolling(0, 2, 0), rs('new', 3, { desired: 5, max: 7 }), [rs('old', 4, { desired: 5, max: 7 })], { new: 0, old: 0 }],
    ['uses the last reported size when the max annotation is missing', rolling(20, 3, 0, 13), rs('new', 3, undefined, T0 + 1000), [rs('old', 10)], { new: 5, old: 18 }],
  ])('%s', (_name, d, newRS, old, expected) => {
    expect(result(proportionalSteps(d, newRS, old))).toEqual(expected);
  });

  it('scales old ReplicaSets to zero once the new one is saturated', () => {
    const d = rolling(3, 1, 0);
    const newRS = ownedReplicaSet(d, 'new', 3, { available: 3, annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } });
    expect(isSaturated(d, newRS)).toBe(true);
    expect(result(proportionalSteps(d, newRS, [rs('old', 2), rs('older', 1)]))).toEqual({ old: 0, older: 0 });
  });

  it('finds the one active ReplicaSet, or none when several are', () => {
    const a = rs('a', 1);
    expect(activeOrLatest(undefined, [rs('b', 0), a])).toBe(a);
    expect(activeOrLatest(undefined, [a, rs('c', 2)])).toBeUndefined();
    expect(activeOrLatest(undefined, [])).toBeUndefined();
  });

  it('does not share out for Recreate', () => {
    const d = deployment('web', 5, { strategy: { type: 'Recreate' } });
    expect(proportionalSteps(d, rs('new', 2), [rs('old', 2)])).toEqual([]);
  });
});
