/**
 * Why a pod goes where it goes, or why it goes nowhere: what `berth explain` and the
 * FailedScheduling event show. Per node, the filter that rejected it and its reasons; for the
 * feasible nodes, their scores; upstream's one-line summary; and, for a pod that fits nowhere,
 * what would make it fit — the largest free amount of each resource it lacks on any ready node,
 * the tolerations and labels it lacks, the ports in the way.
 */
import type { Pod, Taint } from '../../src/api/types';
import { formatBytes, formatCpu } from '../../src/util/quantity';
import type { NodeInfo } from './node-info';
import { firstUntolerated, nodeAffinityMatches } from './node-match';
import type { PodInfo } from './pod-info';
import { evaluate, Evaluation, NodeScore, PlaceOptions, Rejection } from './place';
import { insufficientReason, tooManyPodsReason } from './reasons';
import type { Snapshot } from './snapshot';

export interface Explanation {
  /** namespace/name */
  readonly pod: string;
  readonly nodes: number;
  readonly chosen?: string;
  /** "0/5 nodes are available: ..." when it fits nowhere. */
  readonly message?: string;
  readonly rejections: readonly Rejection[];
  readonly feasible: readonly NodeScore[];
  /** What would make it fit; empty when it fits. */
  readonly hints: readonly string[];
}

/** A resource amount as kubectl prints it: cpu in cores or millicores, byte sizes with binary suffixes. */
export function formatAmount(resource: string, value: number): string {
  if (resource === 'cpu') return formatCpu(value);
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) return formatBytes(value);
  return String(value);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `1 node is` / `3 nodes are`: a count with the words that agree with it. */
const count = (n: number, singular: string, several: string): string => `${n} ${n === 1 ? singular : several}`;

/**
 * For each resource the pod lacked somewhere: the most any node offers among the nodes where
 * resources were what stood in the way (they passed readiness, cordon, taints, affinity, ports).
 */
function resourceHints(pod: PodInfo, nodes: readonly NodeInfo[], reasons: ReadonlySet<string>): string[] {
  const hints: string[] = [];
  const wanted: Array<[string, number]> = [
    ['cpu', pod.requests.cpu],
    ['memory', pod.requests.memory],
    ['ephemeral-storage', pod.requests.ephemeralStorage],
    ...pod.requests.scalar.map(([name, value]): [string, number] => [name, value]),
  ];
  for (const [resource, want] of wanted) {
    if (!reasons.has(insufficientReason(resource))) continue;
    const largest = Math.max(0, ...nodes.map((n) => n.allocatable(resource) - n.requested(resource)));
    hints.push(`the largest free ${resource} on any ready node it may use is ${formatAmount(resource, largest)}; this pod asks ${formatAmount(resource, want)}`);
  }
  if (reasons.has(tooManyPodsReason)) {
    const full = nodes.filter((n) => n.pods.size >= n.allocatablePods).length;
    hints.push(`${count(full, 'node already runs as many pods as its', 'nodes already run as many pods as their')} status.allocatable.pods allows`);
  }
  return hints;
}

const tolerationFor = (t: Taint): string =>
  t.value ? `{key: ${t.key}, operator: Equal, value: ${t.value}, effect: ${t.effect}}` : `{key: ${t.key}, operator: Exists, effect: ${t.effect}}`;

function taintHints(pod: PodInfo, nodes: readonly NodeInfo[]): string[] {
  const byTaint = new Map<string, { taint: Taint; nodes: number }>();
  for (const node of nodes) {
    const taint = firstUntolerated(node.blockingTaints, pod.tolerations);
    if (!taint) continue;
    const key = `${taint.key}=${taint.value ?? ''}:${taint.effect}`;
    const entry = byTaint.get(key) ?? { taint, nodes: 0 };
    entry.nodes++;
    byTaint.set(key, entry);
  }
  return [...byTaint.values()].map(
    ({ taint, nodes: n }) =>
      `${count(n, 'node has', 'nodes have')} the taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}; the pod would need the toleration ${tolerationFor(taint)}`,
  );
}

function affinityHints(pod: PodInfo, snapshot: Snapshot): string[] {
  const hints: string[] = [];
  const nodes = snapshot.nodes;
  for (const [key, value] of pod.nodeSelector) {
    const having = nodes.filter((n) => n.labels[key] === value).length;
    if (having === 0) hints.push(`no node has the label ${key}=${value} that the pod's nodeSelector asks for`);
  }
  if (hints.length === 0 && pod.nodeSelector.length > 1 && !nodes.some((n) => nodeAffinityMatches(pod.nodeSelector, undefined, n.labels, n.name))) {
    hints.push(`no node has all the labels of the pod's nodeSelector: ${pod.nodeSelector.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
  if (pod.requiredNodeTerms && !nodes.some((n) => nodeAffinityMatches([], pod.requiredNodeTerms, n.labels, n.name))) {
    hints.push("no node matches any term of the pod's requiredDuringSchedulingIgnoredDuringExecution node affinity");
  }
  return hints;
}

function hintsFor(evaluation: Evaluation, snapshot: Snapshot): string[] {
  const { pod, rejections } = evaluation;
  const byFilter = new Map<string, NodeInfo[]>();
  const reasons = new Set<string>();
  for (const r of rejections) {
    const node = snapshot.node(r.node);
    if (node) byFilter.set(r.filter, [...(byFilter.get(r.filter) ?? []), node]);
    r.reasons.forEach((reason) => reasons.add(reason));
  }
  const rejectedBy = (filter: string): number => byFilter.get(filter)?.length ?? 0;
  const hints: string[] = [];
  const notReady = byFilter.get('NodeReady') ?? [];
  if (notReady.length > 0) {
    const unknown = notReady.filter((n) => n.readiness === 'Unknown').length;
    hints.push(`${count(notReady.length, 'node is', 'nodes are')} not Ready (${unknown} unreachable: no heartbeat)`);
  }
  const cordoned = rejectedBy('NodeUnschedulable');
  if (cordoned > 0) hints.push(`${count(cordoned, 'node is', 'nodes are')} cordoned; \`kubectl uncordon\` makes ${cordoned === 1 ? 'it' : 'them'} schedulable again`);
  hints.push(...taintHints(pod, byFilter.get('TaintToleration') ?? []));
  if (rejectedBy('NodeAffinity') > 0) hints.push(...affinityHints(pod, snapshot));
  if (rejectedBy('NodePorts') > 0) {
    for (const p of pod.hostPorts) {
      const taken = (byFilter.get('NodePorts') ?? []).filter((n) => n.portTaken(p)).length;
      if (taken > 0) hints.push(`host port ${p.port}/${p.protocol}${p.ip === '0.0.0.0' ? '' : ` on ${p.ip}`} is in use on ${plural(taken, 'node')}`);
    }
  }
  if (rejectedBy('NodeResourcesFit') > 0) hints.push(...resourceHints(pod, byFilter.get('NodeResourcesFit') ?? [], reasons));
  const skewed = rejectedBy('PodTopologySpread');
  if (skewed > 0) {
    hints.push(`on ${plural(skewed, 'node')} the pod would exceed a topology spread constraint's maxSkew, or the node lacks its topologyKey label`);
  }
  const affinity = rejectedBy('InterPodAffinity');
  if (affinity > 0) {
    hints.push(`${count(affinity, 'node is', 'nodes are')} in a topology domain its pod affinity or anti-affinity rules out; nodes in other domains would take it`);
  }
  return hints;
}

/** The full explanation: every node filtered, every feasible node scored. */
export function explain(pod: Pod | PodInfo, snapshot: Snapshot, options: PlaceOptions = {}): Explanation {
  const evaluation = evaluate(pod, snapshot, options);
  return {
    pod: `${evaluation.pod.namespace}/${evaluation.pod.name}`,
    nodes: evaluation.nodes,
    chosen: evaluation.chosen,
    message: evaluation.message,
    rejections: evaluation.rejections,
    feasible: evaluation.feasible,
    hints: evaluation.chosen === undefined ? hintsFor(evaluation, snapshot) : [],
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('   ').trimEnd());
}

/** The explanation as `berth explain` prints it. */
export function formatExplanation(e: Explanation): string {
  const lines: string[] = [];
  if (e.chosen === undefined) {
    lines.push(`Pod ${e.pod}: no node can take it`, e.message ?? '');
  } else {
    const best = e.feasible[0];
    lines.push(`Pod ${e.pod}: goes to ${e.chosen} (score ${best.total}; ${plural(e.feasible.length, 'feasible node')} of ${e.nodes})`);
  }
  if (e.feasible.length > 0) {
    const names = Object.keys(e.feasible[0].scores);
    lines.push('', 'Feasible nodes:');
    lines.push(...table([['NODE', 'TOTAL', ...names.map((n) => n.toUpperCase())], ...e.feasible.map((f) => [f.node, String(f.total), ...names.map((n) => String(f.scores[n]))])]).map((l) => `  ${l}`));
  }
  if (e.rejections.length > 0) {
    lines.push('', 'Rejected nodes:');
    lines.push(...table([['NODE', 'FILTER', 'REASON'], ...e.rejections.map((r) => [r.node, r.filter, r.reasons.join(', ')])]).map((l) => `  ${l}`));
  }
  if (e.hints.length > 0) {
    lines.push('', 'What would make it fit:');
    lines.push(...e.hints.map((h) => `  - ${h}`));
  }
  return lines.join('\n');
}
