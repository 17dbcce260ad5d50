import { TerminalError } from '../../src/client';
import { deployment, ownedReplicaSet, T0 } from './fixtures';
import { availableScaleDownSteps, maxSurge, maxUnavailable, newReplicaSetTarget, oldReplicaSetSteps, resolveFenceposts, scaledValue, unhealthyCleanupSteps } from './rolling-math';

const rolling = (replicas: number, surge: number | string, unavailable: number | string) => deployment('web', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } });

describe('maxSurge and maxUnavailable', () => {
  it.each([
    // Upstream's TestResolveFenceposts, plus rounding cases.
    ['0%', '0%', 0, 0, 1],
    ['39%', '39%', 10, 4, 3],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 6, 2, 1],
    ['25%', '25%', 1, 1, 0],
    [0, 0, 4, 0, 1],
    [2, 0, 4, 2, 0],
    [0, 3, 4, 0, 3],
    ['100%', '100%', 3, 3, 3],
  ])('surge %j and unavailable %j of %d resolve to %d and %d', (surge, unavailable, replicas, expectedSurge, expectedUnavailable) => {
    expect(resolveFenceposts(rolling(replicas, surge, unavailable), replicas)).toEqual({ surge: expectedSurge, unavailable: expectedUnavailable });
  });

  it.each(['oops', '55', '12.5%', '-5%'])('refuses %j as a terminal error', (value) => {
    expect(() => scaledValue(value, 10, true, 'spec.strategy.rollingUpdate.maxSurge')).toThrow(TerminalError);
    expect(() => scaledValue(value, 10, true, 'spec.strategy.rollingUpdate.maxSurge')).toThrow(`spec.strategy.rollingUpdate.maxSurge: invalid value "${value}"`);
  });

  it('caps unavailable at replicas, and is zero for Recreate or no replicas', () => {
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
    expect(maxUnavailable(deployment('web', 4, { strategy: { type: 'Recreate' } }))).toBe(0);
    expect(maxSurge(deployment('web', 4, { strategy: { type: 'Recreate' } }))).toBe(0);
  });
});

describe('how far the new ReplicaSet may grow', () => {
  it.each([
    // [replicas, surge, new RS size, old RS size, old RS pods still there, expected]
    ['up to replicas + surge', 4, 1, 0, 4, 4, 1],
    ['not past the replicas wanted', 6, 10, 3, 0, 0, 6],
    ['not at all while at the surge', 1, 1, 5, 0, 0, 5],
    ['by what the old ReplicaSet has given up', 4, 1, 1, 3, 3, 2],
    ['not while pods of a scaled-down old ReplicaSet remain', 4, 1, 1, 3, 4, 1],
  ])('%s', (_name, replicas, surge, newSize, oldSize, oldPods, expected) => {
    const d = rolling(replicas, surge, 0);
    const newRS = ownedReplicaSet(d, 'v2', newSize);
    const old = ownedReplicaSet(d, 'v1', oldSize, { actual: oldPods });
    expect(newReplicaSetTarget(d, [old, newRS], newRS)).toBe(expected);
  });

  it('is the full size at once for Recreate', () => {
    const d = deployment('web', 3, { strategy: { type: 'Recreate' } });
    const newRS = ownedReplicaSet(d, 'v2', 1);
    expect(newReplicaSetTarget(d, [newRS], newRS)).toBe(3);
  });
});

describe('how far old ReplicaSets may shrink', () => {
  it('waits while new pods are not available and no old one is unhealthy', () => {
    const d = rolling(4, 1, 1);
    const old = ownedReplicaSet(d, 'v1', 4);
    const newRS = ownedReplicaSet(d, 'v2', 1, { available: 0 });
    // 5 wanted − 3 needed − 1 new not available = 1: one available old pod may go.
    expect(oldReplicaSetSteps(d, [old, newRS], [old], newRS).map((s) => s.replicas)).toEqual([3]);
    const newRS2 = ownedReplicaSet(d, 'v2', 2, { available: 0 });
    const old3 = ownedReplicaSet(d, 'v1', 3);
    expect(oldReplicaSetSteps(d, [old3, newRS2], [old3], newRS2)).toEqual([]);
  });

  it('removes unhealthy old pods first, within the room the available minimum leaves', () => {
    const d = rolling(10, 0, 2);
    const oldest = ownedReplicaSet(d, 'v0', 3, { available: 1, created: T0 });
    const old = ownedReplicaSet(d, 'v1', 7, { available: 7, created: T0 + 1000 });
    const newRS = ownedReplicaSet(d, 'v2', 0);
    const steps = oldReplicaSetSteps(d, [oldest, old, newRS], [oldest, old], newRS);
    // Room for 10 − 8 − 0 = 2: both unhealthy pods of the oldest; 8 available = minimum, nothing more.
    expect(steps.map((s) => `${s.rs.metadata.uid}=${s.replicas}`)).toEqual(['uid-web-v0=1']);
  });

  it('after the unhealthy ones, scales down available old pods oldest ReplicaSet first', () => {
    const d = rolling(4, 1, 1);
    const oldest = ownedReplicaSet(d, 'v0', 1, { created: T0 });
    const old = ownedReplicaSet(d, 'v1', 3, { created: T0 + 1000 });
    const newRS = ownedReplicaSet(d, 'v2', 1, { available: 1 });
    const steps = availableScaleDownSteps(d, [oldest, old, newRS], [oldest, old]);
    // 5 available − 3 needed = 2: the oldest's 1, then 1 of the next.
    expect(steps.map((s) => `${s.rs.metadata.uid}=${s.replicas}`)).toEqual(['uid-web-v0=0', 'uid-web-v1=2']);
  });

  it('refuses to clean up a ReplicaSet whose status is ahead of its spec (a scale-down not carried out yet)', () => {
    const d = rolling(4, 1, 1);
    const old = ownedReplicaSet(d, 'v1', 3, { available: 4, actual: 4 });
    expect(() => unhealthyCleanupSteps([old], 2)).toThrow('invalid request to scale default/');
    const newRS = ownedReplicaSet(d, 'v2', 1, { available: 1 });
    expect(oldReplicaSetSteps(d, [old, newRS], [old], newRS)).toEqual([]);
  });

  it('does nothing without old pods', () => {
    const d = rolling(4, 1, 1);
    const newRS = ownedReplicaSet(d, 'v2', 4);
    expect(oldReplicaSetSteps(d, [newRS], [], newRS)).toEqual([]);
  });
});
