/**
 * Pod affinity and anti-affinity, as upstream's InterPodAffinity plugin decides them. Before
 * the per-node checks, one pass over the matching pods (found through the snapshot's label
 * index, never a scan of every pod) counts them per topology domain — a `topologyKey=value`
 * pair of node labels, e.g. `kubernetes.io/hostname=node-3` or `topology.kubernetes.io/zone=a`:
 *
 *   affinity       domains holding a pod that matches ALL the pod's required affinity terms
 *   anti-affinity  domains holding a pod that matches one of its required anti-affinity terms
 *   existing       domains of pods whose own required anti-affinity matches the incoming pod
 *
 * A node passes when it is in an affinity domain for every term (or no pod anywhere matches and
 * the pod matches its own terms: the first replica of a group), and in no anti-affinity or
 * existing anti-affinity domain.
 */
import { bump, NodeInfo } from './node-info';
import { AffinityTerm, PodInfo, termMatches } from './pod-info';
import type { Decision, Filter, Scorer } from './plugin';
import { affinityReason, antiAffinityReason, existingAntiAffinityReason } from './reasons';
import type { BoundPod, Snapshot } from './snapshot';

/** topologyKey → value → count. */
type DomainCounts = Map<string, Map<string, number>>;

function count(counts: DomainCounts, node: NodeInfo, topologyKey: string, delta: number): void {
  const value = node.labels[topologyKey];
  if (value === undefined) return;
  let values = counts.get(topologyKey);
  if (!values) counts.set(topologyKey, (values = new Map()));
  bump(values, value, delta);
  if (values.size === 0) counts.delete(topologyKey);
}

const countAt = (counts: DomainCounts, node: NodeInfo, topologyKey: string): number => {
  const value = node.labels[topologyKey];
  return value === undefined ? 0 : counts.get(topologyKey)?.get(value) ?? 0;
};

/** The bound pods (on placeable nodes) that one term selects. */
function* matching(snapshot: Snapshot, term: AffinityTerm): Iterable<BoundPod> {
  for (const bound of snapshot.candidates(term.selector)) {
    if (bound.node.node && termMatches(term, bound.info, snapshot.namespaceLabels(bound.info.namespace))) yield bound;
  }
}

const matchesAll = (terms: readonly AffinityTerm[], pod: PodInfo, snapshot: Snapshot): boolean =>
  terms.every((t) => termMatches(t, pod, snapshot.namespaceLabels(pod.namespace)));

export const interPodAffinityFilter: Filter = {
  name: 'InterPodAffinity',
  prepare({ pod, snapshot }: Decision) {
    const existing: DomainCounts = new Map();
    const ownNamespace = snapshot.namespaceLabels(pod.namespace);
    for (const { bound, term } of snapshot.antiAffinityTermsFor(pod.labels)) {
      if (bound.node.node && termMatches(term, pod, ownNamespace)) count(existing, bound.node, term.topologyKey, 1);
    }
    const affinity: DomainCounts = new Map();
    const required = pod.requiredAffinity;
    if (required.length > 0) {
      for (const bound of matching(snapshot, required[0])) {
        if (!matchesAll(required, bound.info, snapshot)) continue;
        for (const term of required) count(affinity, bound.node, term.topologyKey, 1);
      }
    }
    const anti: DomainCounts = new Map();
    for (const term of pod.requiredAntiAffinity) {
      for (const bound of matching(snapshot, term)) count(anti, bound.node, term.topologyKey, 1);
    }
    if (required.length === 0 && anti.size === 0 && existing.size === 0) return undefined;
    // The first pod of a group that must run together may go anywhere its topology keys exist.
    const firstOfItsGroup = affinity.size === 0 && matchesAll(required, pod, snapshot);
    return (node) => {
      let podsExist = true;
      for (const term of required) {
        if (node.labels[term.topologyKey] === undefined) return affinityReason;
        if (countAt(affinity, node, term.topologyKey) <= 0) podsExist = false;
      }
      if (!podsExist && !firstOfItsGroup) return affinityReason;
      if (anti.size > 0) {
        for (const term of pod.requiredAntiAffinity) if (countAt(anti, node, term.topologyKey) > 0) return antiAffinityReason;
      }
      if (existing.size > 0) {
        for (const topologyKey of existing.keys()) if (countAt(existing, node, topologyKey) > 0) return existingAntiAffinityReason;
      }
      return undefined;
    };
  },
};

/**
 * Preferred pod affinity and anti-affinity of the incoming pod: each matching pod in a node's
 * domain adds (affinity) or takes away (anti-affinity) the term's weight; the totals are then
 * spread over 0–100 between the lowest and the highest node, as upstream normalizes them.
 */
export function interPodAffinityScore(weight = 2): Scorer {
  return {
    name: 'InterPodAffinity',
    weight,
    score({ pod, snapshot }, feasible, scores) {
      if (pod.preferredAffinity.length === 0 && pod.preferredAntiAffinity.length === 0) return false;
      const totals: DomainCounts = new Map();
      for (const term of pod.preferredAffinity) for (const bound of matching(snapshot, term)) count(totals, bound.node, term.topologyKey, term.weight);
      for (const term of pod.preferredAntiAffinity) for (const bound of matching(snapshot, term)) count(totals, bound.node, term.topologyKey, -term.weight);
      let min = Infinity;
      let max = -Infinity;
      for (let j = 0; j < feasible.length; j++) {
        let score = 0;
        for (const topologyKey of totals.keys()) score += countAt(totals, feasible[j], topologyKey);
        scores[j] = score;
        min = Math.min(min, score);
        max = Math.max(max, score);
      }
      for (let j = 0; j < feasible.length; j++) scores[j] = max > min ? Math.trunc((100 * (scores[j] - min)) / (max - min)) : 0;
      return true;
    },
  };
}
