import type { Affinity, Node, Pod } from '../../src/api/types';
import { node, pod } from './fixtures';
import { Bound, nodesToFind, place, Placement, PlaceOptions, Unschedulable } from './place';
import { Snapshot } from './snapshot';

function bound(result: Placement): Bound {
  if (!('bound' in result)) throw new Error(`expected a node, got: ${result.unschedulable.message}`);
  return result;
}

function unschedulable(result: Placement): Unschedulable['unschedulable'] {
  if (!('unschedulable' in result)) throw new Error(`expected no node, got ${result.bound}`);
  return result.unschedulable;
}

/** Places pods one by one, each assumed before the next, as a scheduler does; returns where each went. */
function placeAll(snapshot: Snapshot, pods: Pod[], options: PlaceOptions = {}): string[] {
  return pods.map((p) => {
    const result = place(p, snapshot, options);
    if ('bound' in result) snapshot.assume(p, result.bound);
    return 'bound' in result ? result.bound : result.unschedulable.message;
  });
}

const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };

describe('the unschedulable message', () => {
  it('counts each reason across nodes, as upstream words and sorts it', () => {
    const nodes = [
      node('small-1', { cpu: '1500m' }),
      node('small-2', { cpu: '1' }),
      node('small-3', { cpu: '1' }),
      node('gpu-1', { cpu: '8', taints: [gpuTaint] }),
      node('gpu-2', { cpu: '8', taints: [gpuTaint] }),
    ];
    const result = unschedulable(place(pod('big', { cpu: '2' }), Snapshot.of(nodes, [])));
    expect(result.message).toBe('0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.');
    expect(result.rejections).toEqual([
      { node: 'gpu-1', filter: 'TaintToleration', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] },
      { node: 'gpu-2', filter: 'TaintToleration', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] },
      { node: 'small-1', filter: 'NodeResourcesFit', reasons: ['Insufficient cpu'] },
      { node: 'small-2', filter: 'NodeResourcesFit', reasons: ['Insufficient cpu'] },
      { node: 'small-3', filter: 'NodeResourcesFit', reasons: ['Insufficient cpu'] },
    ]);
  });

  it('counts every reason a node gives, and only the first filter that rejects it', () => {
    const nodes = [node('a', { cpu: '1', memory: '1Gi' }), node('b', { cpu: '1', memory: '1Gi' }), node('cordoned', { cpu: '1', memory: '1Gi', unschedulable: true })];
    expect(unschedulable(place(pod('p', { cpu: '2', memory: '2Gi' }), Snapshot.of(nodes, []))).message).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu, 2 Insufficient memory.',
    );
  });

  it('sorts the entries as strings, so a count of 10 comes before a count of 2', () => {
    const nodes = [...Array.from({ length: 10 }, (_, i) => node(`n${i}`, { cpu: '1' })), node('t1', { taints: [gpuTaint] }), node('t2', { taints: [gpuTaint] })];
    expect(unschedulable(place(pod('p', { cpu: '2' }), Snapshot.of(nodes, []))).message).toBe(
      '0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}.',
    );
  });

  it('says what upstream says when there is no node at all', () => {
    expect(unschedulable(place(pod('p'), new Snapshot())).message).toBe('no nodes available to schedule pods');
  });

  it('reports a pod too big for every node with the exact counts, even among a hundred nodes', () => {
    const nodes = Array.from({ length: 120 }, (_, i) => node(`node-${String(i).padStart(3, '0')}`, { cpu: '4', memory: i < 20 ? '2Gi' : '64Gi' }));
    const result = unschedulable(place(pod('huge', { cpu: '5', memory: '4Gi' }), Snapshot.of(nodes, [])));
    expect(result.message).toBe('0/120 nodes are available: 120 Insufficient cpu, 20 Insufficient memory.');
    expect(result.rejections).toHaveLength(120);
  });
});

describe('choosing among feasible nodes', () => {
  // `busy` runs 6 of its 8 cpu and 6 of its 8Gi; `idle` runs nothing.
  const cluster = () => Snapshot.of([node('busy', { cpu: '8', memory: '8Gi' }), node('idle', { cpu: '8', memory: '8Gi' })], [pod('load', { nodeName: 'busy', cpu: '6', memory: '6Gi' })]);

  it('spreads to the emptiest node by default and bin-packs onto the fullest with binpack', () => {
    const incoming = pod('p', { cpu: '1', memory: '1Gi' });
    expect(bound(place(incoming, cluster())).bound).toBe('idle');
    expect(bound(place(incoming, cluster(), { strategy: 'binpack' })).bound).toBe('busy');
  });

  it('returns the chosen node’s weighted total and its score per scorer', () => {
    const result = bound(place(pod('p', { cpu: '1', memory: '1Gi' }), cluster()));
    // idle: least allocated 87 (× 1), balanced 100 (× 1), no taints 100 (× 3).
    expect(result.scores).toEqual({
      NodeResourcesFit: 87,
      NodeResourcesBalancedAllocation: 100,
      NodeAffinity: 0,
      TaintToleration: 100,
      PodTopologySpread: 0,
      InterPodAffinity: 0,
    });
    expect(result.score).toBe(87 + 100 + 3 * 100);
    expect(result).toMatchObject({ feasible: 2, evaluated: 2 });
  });

  it('lets weights turn a scorer off or make it count more', () => {
    const incoming = pod('p', { cpu: '1', memory: '1Gi' });
    expect(bound(place(incoming, cluster(), { weights: { NodeResourcesFit: 0 } })).scores).not.toHaveProperty('NodeResourcesFit');
    expect(bound(place(incoming, cluster(), { weights: { TaintToleration: 1 } })).score).toBe(87 + 100 + 100);
  });

  it('breaks ties by node name, and with a seed by a choice that is the same every time', () => {
    const twins = Snapshot.of(['c', 'a', 'b'].map((n) => node(n)), []);
    expect(bound(place(pod('p'), twins)).bound).toBe('a');
    const chosen = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => bound(place(pod('p'), twins, { seed })).bound);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => bound(place(pod('p'), twins, { seed })).bound)).toEqual(chosen);
    expect(new Set(chosen).size).toBeGreaterThan(1);
  });

  it('does not change the snapshot', () => {
    const snapshot = cluster();
    const before = snapshot.summary();
    place(pod('p', { cpu: '1' }), snapshot);
    place(pod('q', { cpu: '100' }), snapshot);
    expect(snapshot.summary()).toEqual(before);
  });
});

describe('spreading replicas', () => {
  const three = () => Snapshot.of([node('n1'), node('n2'), node('n3')], []);

  it('keeps replicas with required hostname anti-affinity on different nodes, then leaves the next pending', () => {
    const antiAffinity: Affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] },
    };
    const replicas = [1, 2, 3, 4].map((i) => pod(`web-${i}`, { labels: { app: 'web' }, affinity: antiAffinity, cpu: '100m' }));
    const placed = placeAll(three(), replicas);
    expect(new Set(placed.slice(0, 3))).toEqual(new Set(['n1', 'n2', 'n3']));
    expect(placed[3]).toBe("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
  });

  it("spreads a controller's replicas over nodes without any constraint of their own", () => {
    // Best-effort pods: only the default spread of the ReplicaSet's pods tells the nodes apart.
    const replicas = [1, 2, 3, 4, 5, 6].map((i) => pod(`rs-${i}`, { owner: 'rs-web' }));
    const placed = placeAll(three(), replicas);
    expect(placed.slice(0, 3).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(placed.slice(3).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('keeps zones within maxSkew 1 with a DoNotSchedule constraint, even when one zone is emptier', () => {
    const zone = 'topology.kubernetes.io/zone';
    // Zone a has three big nodes, zone b one small one: resources alone would fill zone a.
    const nodes = [...['a1', 'a2', 'a3'].map((n) => node(n, { cpu: '16', labels: { [zone]: 'a' } })), node('b1', { cpu: '4', labels: { [zone]: 'b' } })];
    const snapshot = Snapshot.of(nodes, []);
    const spread = [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'api' } } }];
    const placed = placeAll(snapshot, [1, 2, 3, 4, 5, 6].map((i) => pod(`api-${i}`, { labels: { app: 'api' }, cpu: '500m', spread })));
    const inZone = (z: string) => placed.filter((n) => n.startsWith(z)).length;
    expect([inZone('a'), inZone('b')]).toEqual([3, 3]);
  });
});

describe('sampling at scale', () => {
  it.each([
    [0, 0, 0],
    [50, 0, 50],
    [99, 0, 99],
    [100, 0, 100],
    [1000, 0, 420],
    [5000, 0, 500],
    [6000, 0, 300],
    [1000, 10, 100],
    [5000, 50, 2500],
    [5000, 100, 5000],
  ])('finds %i nodes × %i%% → %i feasible nodes before scoring, as upstream', (nodes, percentage, expected) => {
    expect(nodesToFind(nodes, percentage)).toBe(expected);
  });

  const many = (count: number, shape: Parameters<typeof node>[1] = {}): Node[] => Array.from({ length: count }, (_, i) => node(`node-${String(i).padStart(4, '0')}`, shape));

  it('stops filtering once it has enough feasible nodes, and answers the same for the same pod', () => {
    const snapshot = Snapshot.of(many(300), []);
    const first = bound(place(pod('p', { cpu: '1' }), snapshot));
    expect(first).toMatchObject({ feasible: 144, evaluated: 144 });
    expect(bound(place(pod('p', { cpu: '1' }), snapshot)).bound).toBe(first.bound);
    expect(bound(place(pod('p', { cpu: '1' }), snapshot, { percentageOfNodesToScore: 100 }))).toMatchObject({ feasible: 300, evaluated: 300 });
  });

  it('starts different pods at different nodes', () => {
    const snapshot = Snapshot.of(many(300), []);
    const chosen = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => bound(place(pod(`p${i}`, { cpu: '1' }), snapshot)).bound));
    expect(chosen.size).toBeGreaterThan(1);
  });
});
