/**
 * The scorers, each rating a feasible node 0–100, with upstream's default weights:
 *
 *   NodeResourcesFit                 1  least allocated (spread) or most allocated (bin-pack)
 *   NodeResourcesBalancedAllocation  1  cpu and memory used in the same proportion
 *   NodeAffinity                     2  preferred node affinity terms matched, by weight
 *   TaintToleration                  3  fewer untolerated PreferNoSchedule taints
 *   PodTopologySpread                2  fewer pods of the same group in the node's domain
 *   InterPodAffinity                 2  preferred pod (anti-)affinity
 *
 * Resource scores count a pod's requests with upstream's non-zero defaults (100m cpu, 200Mi
 * memory for a container that asks none), so best-effort pods still spread.
 */
import type { NodeInfo } from './node-info';
import { ALLOCATABLE_CPU, ALLOCATABLE_MEMORY, FLAGS, PREFER_NO_SCHEDULE_TAINTS, SCORING_CPU, SCORING_MEMORY } from './node-table';
import { interPodAffinityScore } from './inter-pod-affinity';
import { termMatches, toleratesAny } from './node-match';
import type { PodInfo } from './pod-info';
import { normalizeToMax, Scorer } from './plugin';
import { topologySpreadScore } from './topology-spread';

export interface ResourceWeight {
  readonly name: string;
  readonly weight: number;
}

export const defaultResources: readonly ResourceWeight[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** spread: prefer the emptiest node (LeastAllocated); binpack: the fullest that fits (MostAllocated). */
export type Strategy = 'spread' | 'binpack';

const cpu = 0;
const memory = 1;
const storage = 2;
const scalar = 3;

interface Dimension {
  readonly kind: number;
  readonly name: string;
  readonly weight: number;
  /** What the pod asks, as scores count it. */
  readonly want: number;
}

function dimension(pod: PodInfo, r: ResourceWeight): Dimension {
  switch (r.name) {
    case 'cpu':
      return { kind: cpu, name: r.name, weight: r.weight, want: pod.requests.scoringCpu };
    case 'memory':
      return { kind: memory, name: r.name, weight: r.weight, want: pod.requests.scoringMemory };
    case 'ephemeral-storage':
      return { kind: storage, name: r.name, weight: r.weight, want: pod.requests.ephemeralStorage };
    default:
      return { kind: scalar, name: r.name, weight: r.weight, want: pod.requests.scalar.find(([name]) => name === r.name)?.[1] ?? 0 };
  }
}

/** The dimensions a pod is scored on: an extended resource it does not ask for is left out, as upstream. */
function dimensions(pod: PodInfo, resources: readonly ResourceWeight[]): Dimension[] {
  return resources.map((r) => dimension(pod, r)).filter((d) => d.kind !== scalar || d.want > 0);
}

/** What the node offers in a dimension; 0 (skipped) when it offers none or does not say. cpu and memory come from the node's row (node-table.ts). */
function allocatableOf(node: NodeInfo, d: Dimension): number {
  switch (d.kind) {
    case cpu:
      return node.figure(ALLOCATABLE_CPU);
    case memory:
      return node.figure(ALLOCATABLE_MEMORY);
    case storage:
      return node.allocatableEphemeralStorage;
    default:
      return node.allocatableScalar.get(d.name) ?? 0;
  }
}

/** What the node would have requested with the pod on it. */
function requestedOf(node: NodeInfo, d: Dimension): number {
  switch (d.kind) {
    case cpu:
      return node.figure(SCORING_CPU) + d.want;
    case memory:
      return node.figure(SCORING_MEMORY) + d.want;
    case storage:
      return node.requestedEphemeralStorage + d.want;
    default:
      return (node.requestedScalar.get(d.name) ?? 0) + d.want;
  }
}

export function resourceFitScore(strategy: Strategy = 'spread', resources: readonly ResourceWeight[] = defaultResources, weight = 1): Scorer {
  const most = strategy === 'binpack';
  return {
    name: 'NodeResourcesFit',
    weight,
    score({ pod }, feasible, scores) {
      const dims = dimensions(pod, resources);
      for (let j = 0; j < feasible.length; j++) {
        const node = feasible[j];
        let sum = 0;
        let weights = 0;
        for (let i = 0; i < dims.length; i++) {
          const have = allocatableOf(node, dims[i]);
          if (have <= 0) continue;
          const used = requestedOf(node, dims[i]);
          const score = most ? Math.trunc((Math.min(used, have) * 100) / have) : used > have ? 0 : Math.trunc(((have - used) * 100) / have);
          sum += score * dims[i].weight;
          weights += dims[i].weight;
        }
        scores[j] = weights === 0 ? 0 : Math.trunc(sum / weights);
      }
      return true;
    },
  };
}

/** 100 × (1 − the standard deviation of the requested fractions): cpu and memory used alike. */
export function balancedAllocationScore(resources: readonly ResourceWeight[] = defaultResources, weight = 1): Scorer {
  return {
    name: 'NodeResourcesBalancedAllocation',
    weight,
    score({ pod }, feasible, scores) {
      const dims = dimensions(pod, resources);
      const fractions = new Float64Array(dims.length);
      for (let j = 0; j < feasible.length; j++) {
        const node = feasible[j];
        let count = 0;
        let total = 0;
        for (let i = 0; i < dims.length; i++) {
          const have = allocatableOf(node, dims[i]);
          if (have <= 0) continue;
          const fraction = Math.min(requestedOf(node, dims[i]) / have, 1);
          fractions[count++] = fraction;
          total += fraction;
        }
        let deviation = 0;
        if (count === 2) deviation = Math.abs((fractions[0] - fractions[1]) / 2);
        else if (count > 2) {
          const mean = total / count;
          let squares = 0;
          for (let i = 0; i < count; i++) squares += (fractions[i] - mean) ** 2;
          deviation = Math.sqrt(squares / count);
        }
        scores[j] = Math.trunc((1 - deviation) * 100);
      }
      return true;
    },
  };
}

/** The summed weights of the preferred node affinity terms a node matches, the best node at 100. */
export function nodeAffinityScore(weight = 2): Scorer {
  return {
    name: 'NodeAffinity',
    weight,
    score({ pod }, feasible, scores) {
      if (pod.preferredNodeTerms.length === 0) return false;
      for (let j = 0; j < feasible.length; j++) {
        let score = 0;
        for (const p of pod.preferredNodeTerms) if (termMatches(p.term, feasible[j].labels, feasible[j].name)) score += p.weight;
        scores[j] = score;
      }
      normalizeToMax(scores, feasible.length, false);
      return true;
    },
  };
}

/** Fewer PreferNoSchedule taints the pod does not tolerate scores higher; none at all scores 100. */
export function taintTolerationScore(weight = 3): Scorer {
  return {
    name: 'TaintToleration',
    weight,
    score({ pod }, feasible, scores) {
      const tolerations = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      for (let j = 0; j < feasible.length; j++) {
        const node = feasible[j];
        let untolerated = 0;
        if (node.figure(FLAGS) & PREFER_NO_SCHEDULE_TAINTS) {
          for (const taint of node.preferNoScheduleTaints) if (!toleratesAny(tolerations, taint)) untolerated++;
        }
        scores[j] = untolerated;
      }
      normalizeToMax(scores, feasible.length, true);
      return true;
    },
  };
}

export function defaultScorers(strategy: Strategy = 'spread', resources: readonly ResourceWeight[] = defaultResources): Scorer[] {
  return [
    resourceFitScore(strategy, resources),
    balancedAllocationScore(resources),
    nodeAffinityScore(),
    taintTolerationScore(),
    topologySpreadScore(),
    interPodAffinityScore(),
  ];
}
