/**
 * The placement decision: a pure function of a pod and a snapshot.
 *
 *   nodes (by name) ─► filters ─► feasible ─► scorers (0–100 × weight) ─► highest total ─► bound
 *                         └─ every rejected node keeps its reason ─► unschedulable(message, reasons)
 *
 * At scale it does as upstream's percentageOfNodesToScore does: once enough feasible nodes are
 * found (all below 100 nodes; 42% of 1,000; 10% of 5,000; never fewer than 100) it stops
 * filtering and scores those. Upstream starts each search where the last one stopped; here the
 * start is a hash of the pod's key, so the same pod and snapshot always give the same answer
 * while successive pods still start at different nodes. An unschedulable pod has always been
 * checked against every node. Ties go to the first node by name, or, with a seed, to a seeded
 * choice among the tied nodes.
 */
import type { Pod } from '../../src/api/types';
import { defaultFilters } from './filters';
import type { NodeInfo } from './node-info';
import { isPodInfo, podInfo, PodInfo } from './pod-info';
import { Decision, Filter, reasonList, Reasons, Scorer } from './plugin';
import { unschedulableMessage } from './reasons';
import { defaultResources, defaultScorers, ResourceWeight, Strategy } from './scores';
import type { Snapshot } from './snapshot';

export interface PlaceOptions {
  /** 'spread' (default) prefers the emptiest nodes; 'binpack' the fullest that fit. */
  readonly strategy?: Strategy;
  /** The resources the resource scores look at, with their weights; default cpu 1, memory 1. */
  readonly resources?: readonly ResourceWeight[];
  /** Scorer weights by name, over the defaults (e.g. `{ PodTopologySpread: 0 }` turns it off). */
  readonly weights?: Readonly<Record<string, number>>;
  readonly filters?: readonly Filter[];
  /** Replaces the default scorers (then `strategy` and `resources` do not apply). */
  readonly scorers?: readonly Scorer[];
  /** Feasible nodes to find before scoring, as a percentage of all; 0 (default) adapts as upstream, 100 checks all. */
  readonly percentageOfNodesToScore?: number;
  /** Breaks ties by a choice seeded with this and the pod's key instead of by node name. */
  readonly seed?: number;
}

export interface Bound {
  readonly bound: string;
  /** The weighted total of the chosen node. */
  readonly score: number;
  /** The chosen node's score per scorer, 0–100 before weighting. */
  readonly scores: Readonly<Record<string, number>>;
  readonly feasible: number;
  readonly evaluated: number;
}

export interface Rejection {
  readonly node: string;
  readonly filter: string;
  readonly reasons: readonly string[];
}

export interface Unschedulable {
  readonly unschedulable: {
    /** Upstream's FailedScheduling message: "0/5 nodes are available: 3 Insufficient cpu, ...". */
    readonly message: string;
    /** Every node's rejection, by node name. */
    readonly rejections: readonly Rejection[];
  };
}

export type Placement = Bound | Unschedulable;

export interface NodeScore {
  readonly node: string;
  readonly total: number;
  readonly scores: Readonly<Record<string, number>>;
}

/** Everything a decision saw: for explanations, not for the hot path. */
export interface Evaluation {
  readonly pod: PodInfo;
  readonly nodes: number;
  readonly rejections: readonly Rejection[];
  /** Feasible nodes, best first. */
  readonly feasible: readonly NodeScore[];
  readonly chosen?: string;
  /** The unschedulable message when no node is feasible. */
  readonly message?: string;
}

/** Upstream's numFeasibleNodesToFind. */
export function nodesToFind(nodes: number, percentage = 0): number {
  if (nodes < 100 || percentage >= 100) return nodes;
  const p = percentage > 0 ? percentage : Math.max(50 - Math.trunc(nodes / 125), 5);
  return Math.max(Math.trunc((nodes * p) / 100), 100);
}

/** FNV-1a: a stable 32-bit hash of a string. */
function hash(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The outcome of the filters; reused between decisions so the hot path allocates little. */
interface Pass {
  readonly feasible: NodeInfo[];
  readonly rejectedNodes: NodeInfo[];
  readonly rejectedFilters: string[];
  readonly rejectedReasons: Reasons[];
  evaluated: number;
}

const shared: Pass = { feasible: [], rejectedNodes: [], rejectedFilters: [], rejectedReasons: [], evaluated: 0 };

function filterNodes(decision: Decision, filters: readonly Filter[], toFind: number, pass: Pass): void {
  pass.feasible.length = 0;
  pass.rejectedNodes.length = 0;
  pass.rejectedFilters.length = 0;
  pass.rejectedReasons.length = 0;
  const checks: Array<(node: NodeInfo) => Reasons | undefined> = [];
  const names: string[] = [];
  for (const filter of filters) {
    const check = filter.prepare(decision);
    if (check) {
      checks.push(check);
      names.push(filter.name);
    }
  }
  const nodes = decision.snapshot.nodes;
  const count = nodes.length;
  const start = toFind < count ? hash(decision.pod.key) % count : 0;
  let evaluated = 0;
  for (let j = 0; j < count && pass.feasible.length < toFind; j++) {
    const node = nodes[(start + j) % count];
    evaluated++;
    let rejected = false;
    for (let f = 0; f < checks.length; f++) {
      const reasons = checks[f](node);
      if (reasons !== undefined) {
        pass.rejectedNodes.push(node);
        pass.rejectedFilters.push(names[f]);
        pass.rejectedReasons.push(reasons);
        rejected = true;
        break;
      }
    }
    if (!rejected) pass.feasible.push(node);
  }
  pass.evaluated = evaluated;
}

interface Column {
  readonly name: string;
  readonly weight: number;
  readonly scores: Float64Array;
}

let sharedTotals: Float64Array = new Float64Array(0);
const sharedColumns: Float64Array[] = [];

const grown = (buffer: Float64Array | undefined, n: number): Float64Array =>
  buffer && buffer.length >= n ? buffer : new Float64Array(Math.max(n, 2 * (buffer?.length ?? 0)));

function scorersFor(options: PlaceOptions): Array<{ scorer: Scorer; weight: number }> {
  const scorers = options.scorers ?? defaultScorers(options.strategy, options.resources ?? defaultResources);
  return scorers.map((scorer) => ({ scorer, weight: options.weights?.[scorer.name] ?? scorer.weight })).filter((s) => s.weight > 0);
}

/** Scores the feasible nodes; returns the weighted totals and each scorer's normalized column. */
function scoreNodes(decision: Decision, options: PlaceOptions, feasible: readonly NodeInfo[], fresh: boolean): { totals: Float64Array; columns: Column[] } {
  const n = feasible.length;
  const totals = fresh ? new Float64Array(n) : (sharedTotals = grown(sharedTotals, n));
  totals.fill(0, 0, n);
  const columns: Column[] = [];
  scorersFor(options).forEach(({ scorer, weight }, index) => {
    const scores = fresh ? new Float64Array(n) : (sharedColumns[index] = grown(sharedColumns[index], n));
    if (!scorer.score(decision, feasible, scores)) scores.fill(0, 0, n);
    for (let i = 0; i < n; i++) totals[i] += weight * scores[i];
    columns.push({ name: scorer.name, weight, scores });
  });
  return { totals, columns };
}

/** The index of the best total: the first by node name among ties, or a seeded choice among them. */
function pick(feasible: readonly NodeInfo[], totals: Float64Array, podKey: string, seed: number | undefined): number {
  let best = 0;
  for (let i = 1; i < feasible.length; i++) {
    if (totals[i] > totals[best] || (totals[i] === totals[best] && feasible[i].name < feasible[best].name)) best = i;
  }
  if (seed === undefined) return best;
  const ties: number[] = [];
  for (let i = 0; i < feasible.length; i++) if (totals[i] === totals[best]) ties.push(i);
  ties.sort((a, b) => (feasible[a].name < feasible[b].name ? -1 : 1));
  return ties[hash(podKey, hash(String(seed))) % ties.length];
}

const breakdown = (columns: readonly Column[], index: number): Record<string, number> =>
  Object.fromEntries(columns.map((c) => [c.name, c.scores[index]]));

function rejections(pass: Pass): Rejection[] {
  return pass.rejectedNodes
    .map((node, i) => ({ node: node.name, filter: pass.rejectedFilters[i], reasons: reasonList(pass.rejectedReasons[i]) }))
    .sort((a, b) => (a.node < b.node ? -1 : 1));
}

/** Where `pod` should go in `snapshot`, or why it cannot go anywhere. Does not change the snapshot. */
export function place(pod: Pod | PodInfo, snapshot: Snapshot, options: PlaceOptions = {}): Placement {
  const decision: Decision = { pod: isPodInfo(pod) ? pod : podInfo(pod), snapshot };
  const count = snapshot.nodes.length;
  filterNodes(decision, options.filters ?? defaultFilters, nodesToFind(count, options.percentageOfNodesToScore), shared);
  const { feasible } = shared;
  if (feasible.length === 0) {
    const rejected = rejections(shared);
    return { unschedulable: { message: unschedulableMessage(count, rejected.map((r) => r.reasons)), rejections: rejected } };
  }
  const { totals, columns } = scoreNodes(decision, options, feasible, false);
  const chosen = pick(feasible, totals, decision.pod.key, options.seed);
  return {
    bound: feasible[chosen].name,
    score: totals[chosen],
    scores: breakdown(columns, chosen),
    feasible: feasible.length,
    evaluated: shared.evaluated,
  };
}

/** The same decision with every node filtered and every feasible node's scores kept. */
export function evaluate(pod: Pod | PodInfo, snapshot: Snapshot, options: PlaceOptions = {}): Evaluation {
  const decision: Decision = { pod: isPodInfo(pod) ? pod : podInfo(pod), snapshot };
  const pass: Pass = { feasible: [], rejectedNodes: [], rejectedFilters: [], rejectedReasons: [], evaluated: 0 };
  const count = snapshot.nodes.length;
  filterNodes(decision, options.filters ?? defaultFilters, count, pass);
  const rejected = rejections(pass);
  if (pass.feasible.length === 0) {
    return { pod: decision.pod, nodes: count, rejections: rejected, feasible: [], message: unschedulableMessage(count, rejected.map((r) => r.reasons)) };
  }
  const { totals, columns } = scoreNodes(decision, options, pass.feasible, true);
  const chosen = pick(pass.feasible, totals, decision.pod.key, options.seed);
  const feasible = pass.feasible
    .map((node, i) => ({ node: node.name, total: totals[i], scores: breakdown(columns, i) }))
    .sort((a, b) => b.total - a.total || (a.node < b.node ? -1 : 1));
  return { pod: decision.pod, nodes: count, rejections: rejected, feasible, chosen: pass.feasible[chosen].name };
}
