import type { ReplicaSet } from '../../src/api/types';
import { deployment, ownedReplicaSet, T0 } from './fixtures';
import { bySizeNewer, bySizeOlder, findNewReplicaSet, maxRevision, setNewReplicaSetAnnotations } from './replica-sets';

const d = deployment('web', 3, { annotations: { team: 'blue', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '4', 'kubernetes.io/change-cause': 'v2' } });
const names = (sets: ReplicaSet[]) => sets.map((s) => s.spec!.template!.spec!.containers[0].image);

describe("a Deployment's ReplicaSets", () => {
  it('takes the oldest ReplicaSet running the current template as the new one', () => {
    const older = ownedReplicaSet(d, 'v1', 1, { created: T0 });
    const twin = { ...ownedReplicaSet(d, 'v1', 1, { created: T0 + 5000 }), metadata: { ...older.metadata, uid: 'twin', creationTimestamp: '2025-01-01T00:00:05Z' } };
    expect(findNewReplicaSet(d, [twin, ownedReplicaSet(d, 'v0', 1), older])?.metadata.uid).toBe(older.metadata.uid);
    expect(findNewReplicaSet(d, [ownedReplicaSet(d, 'v0', 1)])).toBeUndefined();
  });

  it('finds the highest revision, skipping revisions that are not numbers', () => {
    expect(maxRevision([ownedReplicaSet(d, 'a', 0, { revision: 3 }), ownedReplicaSet(d, 'b', 0, { revision: 7 }), ownedReplicaSet(d, 'c', 0, { annotations: { 'deployment.kubernetes.io/revision': 'x' } })])).toBe(7);
    expect(maxRevision([])).toBe(0);
  });

  it('copies the Deployment annotations except its own, and sets revision and replica annotations on a new ReplicaSet', () => {
    const rs = ownedReplicaSet(d, 'v1', 3);
    rs.metadata.annotations = {};
    expect(setNewReplicaSetAnnotations(d, rs, 5, false, 1)).toBe(true);
    expect(rs.metadata.annotations).toEqual({
      team: 'blue',
      'kubernetes.io/change-cause': 'v2',
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('raises the revision of a re-used ReplicaSet, keeping the old one in revision-history', () => {
    const rs = ownedReplicaSet(d, 'v1', 0, { revision: 1, annotations: { 'deployment.kubernetes.io/revision-history': '0', team: 'blue', 'kubernetes.io/change-cause': 'v2' } });
    expect(setNewReplicaSetAnnotations(d, rs, 3, true, 1)).toBe(true);
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '0,1' });
    // Already there: nothing to change, and never lowered.
    expect(setNewReplicaSetAnnotations(d, rs, 3, true, 1)).toBe(false);
    expect(setNewReplicaSetAnnotations(d, rs, 2, true, 1)).toBe(false);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('sorts by size, ties newer first for growing and older first for shrinking', () => {
    const a = ownedReplicaSet(d, 'a', 2, { created: T0 });
    const b = ownedReplicaSet(d, 'b', 2, { created: T0 + 1000 });
    const c = ownedReplicaSet(d, 'c', 5, { created: T0 + 2000 });
    expect(names([a, b, c].sort(bySizeNewer))).toEqual(['c', 'b', 'a']);
    expect(names([a, b, c].sort(bySizeOlder))).toEqual(['c', 'a', 'b']);
  });
});
