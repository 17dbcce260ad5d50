import type { Node, Pod } from '../../src/api/types';
import { node, pod } from './fixtures';
import { podInfo } from './pod-info';
import type { Scorer } from './plugin';
import { balancedAllocationScore, nodeAffinityScore, resourceFitScore, taintTolerationScore } from './scores';
import { Snapshot } from './snapshot';

function scores(scorer: Scorer, incoming: Pod, nodes: Node[], pods: Pod[] = []): Record<string, number> {
  const snapshot = Snapshot.of(nodes, pods);
  const out = new Float64Array(snapshot.nodes.length);
  const scored = scorer.score({ pod: podInfo(incoming), snapshot }, snapshot.nodes, out);
  return scored ? Object.fromEntries(snapshot.nodes.map((n, i) => [n.name, out[i]])) : {};
}

// Two nodes of 4 cpu and 8Gi: `half` already runs 1 cpu and 2Gi, `empty` runs nothing.
const cluster = [node('empty', { cpu: '4', memory: '8Gi' }), node('half', { cpu: '4', memory: '8Gi' })];
const running = [pod('running', { nodeName: 'half', cpu: '1', memory: '2Gi' })];
const incoming = pod('p', { cpu: '1', memory: '2Gi' });

describe('NodeResourcesFit score', () => {
  it.each([
    // LeastAllocated: (allocatable − requested with the pod) × 100 / allocatable, averaged.
    ['spread prefers the emptiest node', 'spread', { empty: 75, half: 50 }],
    // MostAllocated: requested with the pod × 100 / allocatable, averaged.
    ['binpack prefers the fullest node that fits', 'binpack', { empty: 25, half: 50 }],
  ] as const)('%s', (_, strategy, expected) => {
    expect(scores(resourceFitScore(strategy), incoming, cluster, running)).toEqual(expected);
  });

  it('counts 100m cpu and 200Mi memory for a container that asks for none', () => {
    // cpu (1000 − 100) / 1000 = 90, memory (1000Mi − 200Mi) / 1000Mi = 80 → 85.
    expect(scores(resourceFitScore(), pod('best-effort'), [node('n', { cpu: '1', memory: '1000Mi' })])).toEqual({ n: 85 });
  });

  it('counts those defaults for the pods already on the node too', () => {
    expect(scores(resourceFitScore(), pod('best-effort'), [node('n', { cpu: '1', memory: '1000Mi' })], [pod('other', { nodeName: 'n' })])).toEqual({ n: 70 });
  });

  it('weighs resources as configured', () => {
    const lopsided = pod('p', { cpu: '2', memory: '1Gi' });
    const weights = [
      { name: 'cpu', weight: 3 },
      { name: 'memory', weight: 1 },
    ];
    // half: cpu (4000 − 3000) → 25, memory (8 − 3) / 8 → 62 → (3 × 25 + 62) / 4 = 34.
    expect(scores(resourceFitScore('spread', weights), lopsided, cluster, running).half).toBe(34);
  });

  it('scores an extended resource only for pods that ask for it', () => {
    const gpus = [node('g', { cpu: '4', memory: '8Gi', extended: { 'nvidia.com/gpu': '4' } })];
    const withGpu = [...[{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], { name: 'nvidia.com/gpu', weight: 2 }];
    // cpu 75, memory 75, gpu (4 − 1) / 4 = 75 → 75; with 3 GPUs asked: gpu 25 → (75 + 75 + 2 × 25) / 4 = 50.
    expect(scores(resourceFitScore('spread', withGpu), pod('p', { cpu: '1', memory: '2Gi', extended: { 'nvidia.com/gpu': '3' } }), gpus)).toEqual({ g: 50 });
    expect(scores(resourceFitScore('spread', withGpu), incoming, gpus)).toEqual({ g: 75 });
  });
});

describe('NodeResourcesBalancedAllocation score', () => {
  it('rates 100 × (1 − the standard deviation of the cpu and memory fractions)', () => {
    // busy with the pod: cpu 3/4, memory 4Gi/8Gi → |0.75 − 0.5| / 2 = 0.125 → 87;
    // idle: cpu 1/4, memory 3Gi/8Gi → 0.0625 → 93.
    const nodes = [node('busy', { cpu: '4', memory: '8Gi' }), node('idle', { cpu: '4', memory: '8Gi' })];
    const lopsided = pod('p', { cpu: '1', memory: '3Gi' });
    expect(scores(balancedAllocationScore(), lopsided, nodes, [pod('cpu-heavy', { nodeName: 'busy', cpu: '2', memory: '1Gi' })])).toEqual({ busy: 87, idle: 93 });
  });

  it('uses the standard deviation over three resources when three are configured', () => {
    const three = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
      { name: 'ephemeral-storage', weight: 1 },
    ];
    // fractions 0.25, 0.25, 1 (capped): mean 0.5, deviation √(0.125) = 0.354 → 64.
    const withStorage = [node('s', { cpu: '4', memory: '8Gi', storage: '1Gi' })];
    expect(scores(balancedAllocationScore(three), pod('p', { cpu: '1', memory: '2Gi', storage: '2Gi' }), withStorage)).toEqual({ s: 64 });
  });
});

describe('NodeAffinity score', () => {
  const labelled = [
    node('both', { labels: { zone: 'a', disktype: 'ssd' } }),
    node('ssd', { labels: { disktype: 'ssd' } }),
    node('zone-a', { labels: { zone: 'a' } }),
    node('none'),
  ];
  const prefers = pod('p', {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
          { weight: 30, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } },
        ],
      },
    },
  });

  it('sums the weights of the matched terms, the best node at 100', () => {
    expect(scores(nodeAffinityScore(), prefers, labelled)).toEqual({ both: 100, ssd: 75, 'zone-a': 25, none: 0 });
  });

  it('has nothing to say for a pod without preferences', () => {
    expect(scores(nodeAffinityScore(), pod('p'), labelled)).toEqual({});
  });
});

describe('TaintToleration score', () => {
  const soft = (key: string) => ({ key, value: 'x', effect: 'PreferNoSchedule' as const });
  const tainted = [node('two', { taints: [soft('a'), soft('b')] }), node('one', { taints: [soft('a')] }), node('clean'), node('hard', { taints: [{ key: 'c', effect: 'NoSchedule' }] })];

  it('rates nodes with fewer untolerated PreferNoSchedule taints higher; NoSchedule taints do not count', () => {
    expect(scores(taintTolerationScore(), pod('p'), tainted)).toEqual({ two: 0, one: 50, clean: 100, hard: 100 });
  });

  it('does not count a PreferNoSchedule taint the pod tolerates', () => {
    expect(scores(taintTolerationScore(), pod('p', { tolerations: [{ key: 'b', operator: 'Exists', effect: 'PreferNoSchedule' }] }), tainted)).toEqual({
      two: 0,
      one: 0,
      clean: 100,
      hard: 100,
    });
  });

  it('rates every node 100 when none has such a taint', () => {
    expect(scores(taintTolerationScore(), pod('p'), [node('a'), node('b')])).toEqual({ a: 100, b: 100 });
  });
});
