/**
 * Topology spread, as upstream's PodTopologySpread plugin decides it. A constraint counts the
 * pods of a group (its label selector, in the pod's namespace, not terminating) per domain — the
 * value of `topologyKey` on their nodes — and bounds the skew, the difference between the
 * domain the pod would join and the emptiest eligible domain:
 *
 *   DoNotSchedule   filter: count(domain) + self − min(count) must not exceed maxSkew
 *   ScheduleAnyway  score:  fewer matching pods in the node's domain scores higher
 *
 * A pod without constraints of its own that belongs to a controller is spread by the system
 * defaults (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) over the pods of that same
 * controller, as upstream spreads a ReplicaSet's pods through its selector.
 */
import { firstUntolerated, nodeAffinityMatches } from './node-match';
import type { NodeInfo } from './node-info';
import { hostnameLabel, PodGroup, PodInfo, SpreadConstraint, zoneLabel } from './pod-info';
import type { Filter, Scorer } from './plugin';
import { spreadLabelReason, spreadReason } from './reasons';
import type { Snapshot } from './snapshot';

/** Upstream's default constraints, applied to the pods of the pod's controller. */
export function defaultConstraints(owner: string): SpreadConstraint[] {
  const group = { owner };
  return [
    { maxSkew: 3, topologyKey: hostnameLabel, whenUnsatisfiable: 'ScheduleAnyway', group, minDomains: 1, honorNodeAffinity: true, honorTaints: false },
    { maxSkew: 5, topologyKey: zoneLabel, whenUnsatisfiable: 'ScheduleAnyway', group, minDomains: 1, honorNodeAffinity: true, honorTaints: false },
  ];
}

/** The pods of `group` in `namespace` per placeable node; terminating pods do not count. */
export function groupCounts(snapshot: Snapshot, group: PodGroup, namespace: string): Map<NodeInfo, number> {
  const counts = new Map<NodeInfo, number>();
  const pods = 'owner' in group ? snapshot.ownedBy(group.owner) : snapshot.candidates(group.selector);
  for (const { info, node } of pods) {
    if (!node.node || info.terminating || info.namespace !== namespace) continue;
    if ('selector' in group && !group.selector.matches(info.labels)) continue;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

const matchesGroup = (group: PodGroup, pod: PodInfo): boolean => ('owner' in group ? group.owner === pod.owner : group.selector.matches(pod.labels));

const hasKeys = (node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean => constraints.every((c) => node.labels[c.topologyKey] !== undefined);

/** Whether a node's domain counts for a constraint: its nodeAffinityPolicy and nodeTaintsPolicy. */
function included(c: SpreadConstraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.honorNodeAffinity && !nodeAffinityMatches(pod.nodeSelector, pod.requiredNodeTerms, node.labels, node.name)) return false;
  if (c.honorTaints && firstUntolerated(node.blockingTaints, pod.tolerations) !== undefined) return false;
  return true;
}

export const topologySpreadFilter: Filter = {
  name: 'PodTopologySpread',
  prepare({ pod, snapshot }) {
    const constraints = pod.spreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
    if (constraints.length === 0) return undefined;
    const domains = constraints.map(() => new Map<string, number>());
    const counts = constraints.map((c) => groupCounts(snapshot, c.group, pod.namespace));
    for (const node of snapshot.nodes) {
      if (!hasKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!included(c, pod, node)) return;
        const value = node.labels[c.topologyKey];
        domains[i].set(value, (domains[i].get(value) ?? 0) + (counts[i].get(node) ?? 0));
      });
    }
    const minimum = constraints.map((c, i) => {
      // Fewer eligible domains than minDomains: the global minimum counts as 0.
      if (domains[i].size < c.minDomains) return 0;
      let least = Infinity;
      for (const n of domains[i].values()) if (n < least) least = n;
      return least;
    });
    const self = constraints.map((c) => (matchesGroup(c.group, pod) ? 1 : 0));
    return (node) => {
      for (let i = 0; i < constraints.length; i++) {
        const value = node.labels[constraints[i].topologyKey];
        if (value === undefined) return spreadLabelReason;
        if ((domains[i].get(value) ?? 0) + self[i] - minimum[i] > constraints[i].maxSkew) return spreadReason;
      }
      return undefined;
    };
  },
};

/** Counts distinct strings: a short list while there are few (zones), a set beyond. */
class DistinctValues {
  private readonly few: string[] = [];
  private many?: Set<string>;

  add(value: string): void {
    if (this.many) {
      this.many.add(value);
      return;
    }
    for (let i = 0; i < this.few.length; i++) if (this.few[i] === value) return;
    this.few.push(value);
    if (this.few.length > 16) this.many = new Set(this.few);
  }

  get size(): number {
    return this.many ? this.many.size : this.few.length;
  }
}

let pendingCounts = new Float64Array(0);

/** A scratch array for per-node counts, reused between decisions. */
function pending(n: number): Float64Array {
  if (pendingCounts.length < n) pendingCounts = new Float64Array(Math.max(n, 2 * pendingCounts.length));
  return pendingCounts;
}

/**
 * Adds a non-hostname constraint's raw score: `count × log(domains + 2) + maxSkew − 1`. A pod
 * counts in its node's domain when the constraint's policies include that node. A node's score
 * reads only its own domain, so only the number of domains among the scored nodes needs every node.
 */
function addDomainScores(
  c: SpreadConstraint,
  counts: Map<NodeInfo, number>,
  decision: { pod: PodInfo; own: boolean; constraints: readonly SpreadConstraint[]; snapshot: Snapshot },
  feasible: readonly NodeInfo[],
  skipped: Uint8Array,
  scores: Float64Array,
): void {
  const key = c.topologyKey;
  const inDomain = new Map<string, number>();
  for (const [node, pods] of counts) {
    const value = node.labels[key];
    if (value === undefined || (decision.own && !hasKeys(node, decision.constraints)) || !included(c, decision.pod, node)) continue;
    inDomain.set(value, (inDomain.get(value) ?? 0) + pods);
  }
  const domains = new DistinctValues();
  const found = pending(feasible.length);
  const values = decision.snapshot.labelColumn(key);
  for (let j = 0; j < feasible.length; j++) {
    const value = values[feasible[j].slot];
    if (skipped[j] || value === undefined) {
      found[j] = -1;
      continue;
    }
    domains.add(value);
    found[j] = inDomain.get(value) ?? 0;
  }
  const topologyWeight = Math.log(domains.size + 2);
  for (let j = 0; j < feasible.length; j++) if (found[j] >= 0) scores[j] += found[j] * topologyWeight + c.maxSkew - 1;
}

/**
 * Upstream's scoring: per constraint, a node earns `count × log(domains + 2) + maxSkew − 1`
 * for the matching pods in its domain; the sums are then flipped so the emptiest scores 100.
 * Nodes missing a topology key of the pod's own constraints score 0.
 */
export function topologySpreadScore(weight = 2): Scorer {
  return {
    name: 'PodTopologySpread',
    weight,
    score({ pod, snapshot }, feasible, scores) {
      const own = pod.spreadConstraints.length > 0;
      const constraints = own
        ? pod.spreadConstraints.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway')
        : pod.owner !== undefined
          ? defaultConstraints(pod.owner)
          : [];
      if (constraints.length === 0) return false;
      const n = feasible.length;
      // The system defaults spread over whichever keys a node has; a pod's own constraints need all.
      const skipped = new Uint8Array(n);
      let scored = n;
      if (own) {
        for (let j = 0; j < n; j++) {
          if (!hasKeys(feasible[j], constraints)) {
            skipped[j] = 1;
            scored--;
          }
        }
      }
      scores.fill(0, 0, n);
      for (const c of constraints) {
        const counts = groupCounts(snapshot, c.group, pod.namespace);
        if (c.topologyKey !== hostnameLabel) {
          addDomainScores(c, counts, { pod, own, constraints, snapshot }, feasible, skipped, scores);
          continue;
        }
        // Every placeable node has a hostname, and its domain is the node itself.
        const topologyWeight = Math.log(scored + 2);
        for (let j = 0; j < n; j++) if (!skipped[j]) scores[j] += (counts.get(feasible[j]) ?? 0) * topologyWeight + c.maxSkew - 1;
      }
      let least = Infinity;
      let most = 0;
      for (let j = 0; j < n; j++) {
        if (skipped[j]) continue;
        scores[j] = Math.round(scores[j]);
        least = Math.min(least, scores[j]);
        most = Math.max(most, scores[j]);
      }
      for (let j = 0; j < n; j++) scores[j] = skipped[j] ? 0 : most === 0 ? 100 : Math.trunc((100 * (most + least - scores[j])) / most);
      return true;
    },
  };
}
