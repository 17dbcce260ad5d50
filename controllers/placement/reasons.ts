/**
 * Every reason a filter gives, worded exactly as the upstream scheduler plugins word them, and
 * the summary line `kubectl describe pod` shows under FailedScheduling, built as upstream's
 * `FitError.Error()` builds it.
 */
import type { Taint } from '../../src/api/types';

export const unschedulableReason = 'node(s) were unschedulable';
export const nodeAffinityReason = "node(s) didn't match Pod's node affinity/selector";
export const portsReason = "node(s) didn't have free ports for the requested pod ports";
export const tooManyPodsReason = 'Too many pods';
export const affinityReason = "node(s) didn't match pod affinity rules";
export const antiAffinityReason = "node(s) didn't match pod anti-affinity rules";
export const existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules";
export const spreadReason = "node(s) didn't match pod topology spread constraints";
export const spreadLabelReason = "node(s) didn't match pod topology spread constraints (missing required label)";
/** What upstream answers when the cluster has no node at all. */
export const noNodesMessage = 'no nodes available to schedule pods';

export function insufficientReason(resource: string): string {
  return `Insufficient ${resource}`;
}

const taintReasons = new WeakMap<Taint, string>();

/** `node(s) had untolerated taint {dedicated: gpu}`; a taint without a value prints `{key: }`. */
export function taintReason(taint: Taint): string {
  let reason = taintReasons.get(taint);
  if (reason === undefined) {
    reason = `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    taintReasons.set(taint, reason);
  }
  return reason;
}

/**
 * "0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu."
 * Each node counts once per reason it gave; the "<count> <reason>" entries are sorted as
 * strings, as upstream sorts them (so "10 ..." comes before "2 ...").
 */
export function unschedulableMessage(nodes: number, reasonsPerNode: Iterable<readonly string[]>): string {
  if (nodes === 0) return noNodesMessage;
  const counts = new Map<string, number>();
  for (const reasons of reasonsPerNode) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const entries = [...counts].map(([reason, count]) => `${count} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? `0/${nodes} nodes are available.` : `0/${nodes} nodes are available: ${entries.join(', ')}.`;
}
