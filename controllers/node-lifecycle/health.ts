/**
 * Is a node still there? Its agent renews a Lease in `kube-node-lease` every few seconds and
 * posts its Ready condition now and then; the controller notes, by its own clock, when it last
 * saw either move (as upstream does: the agent's clock may be off, this one's is the judge). A
 * node silent for longer than the grace period has its conditions set to Unknown; then its
 * taints follow its Ready condition:
 *
 *   Ready=True     no not-ready / unreachable taints
 *   Ready=False    node.kubernetes.io/not-ready    NoSchedule + NoExecute
 *   Ready=Unknown  node.kubernetes.io/unreachable  NoSchedule + NoExecute
 *
 * plus upstream's condition taints (memory, disk, pid pressure, network unavailable) and the
 * unschedulable taint of a cordoned node, all NoSchedule.
 */
import type { Lease, Node, NodeCondition, Taint } from '../../src/api/types';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';

/** Conditions the agent reports and the controller marks Unknown when the agent goes silent. */
const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Condition → the status that taints the node → the NoSchedule taint's key (upstream's TaintNodesByCondition). */
const conditionTaints: Record<string, Record<string, string>> = {
  Ready: { False: notReadyTaintKey, Unknown: unreachableTaintKey },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
};

/** Every taint key this controller manages; others' taints are left as they are. */
const managedKeys = new Set([...Object.values(conditionTaints).flatMap((byStatus) => Object.values(byStatus)), unschedulableTaintKey]);

/** Timestamps as Kubernetes writes them: seconds, no fraction. */
export const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function readyStatus(node: Node): 'True' | 'False' | 'Unknown' | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

interface Observed {
  heartbeat?: string;
  renewTime?: string;
  /** When this controller last saw the node's heartbeat or its Lease move. */
  probedAt: number;
}

/** When each node last showed a sign of life, by the controller's clock. */
export class NodeHealth {
  private readonly nodes = new Map<string, Observed>();

  /** Notes the node's heartbeat and Lease as they are now; returns when it last showed a sign of life. */
  observe(node: Node, lease: Lease | undefined, now: number): number {
    const name = node.metadata.name ?? '';
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const renewTime = lease?.spec?.renewTime;
    const seen = this.nodes.get(name);
    // A node seen for the first time gets a full grace period from now, as upstream gives one.
    if (!seen) {
      this.nodes.set(name, { heartbeat, renewTime, probedAt: now });
      return now;
    }
    if (heartbeat !== seen.heartbeat || (renewTime !== undefined && renewTime !== seen.renewTime)) {
      seen.heartbeat = heartbeat;
      seen.renewTime = renewTime;
      seen.probedAt = now;
    }
    return seen.probedAt;
  }

  forget(name: string): void {
    this.nodes.delete(name);
  }
}

/**
 * The node's status with its monitored conditions Unknown, as upstream writes it when the agent
 * has been silent past the grace period; undefined when they are Unknown already.
 */
export function silentNodeStatus(node: Node, now: number): Node['status'] | undefined {
  const conditions: NodeCondition[] = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of monitoredConditions) {
    const at = conditions.findIndex((c) => c.type === type);
    if (at < 0) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: timestamp(now),
      });
      changed = true;
    } else if (conditions[at].status !== 'Unknown') {
      conditions[at] = { ...conditions[at], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: timestamp(now) };
      changed = true;
    }
  }
  return changed ? { ...node.status, conditions } : undefined;
}

/**
 * The taints the node should carry: others' as they are, this controller's as its conditions
 * and cordon say. A NoExecute taint already there keeps its timeAdded; a new one gets `now`.
 */
export function desiredTaints(node: Node, now: number): Taint[] {
  const existing = node.spec?.taints ?? [];
  const wanted: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = conditionTaints[condition.type]?.[condition.status];
    if (!key) continue;
    wanted.push({ key, effect: 'NoSchedule' });
    // Only readiness evicts: the agent handles pressure itself.
    if (condition.type === 'Ready') wanted.push({ key, effect: 'NoExecute', timeAdded: timestamp(now) });
  }
  if (node.spec?.unschedulable) wanted.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const kept = existing.filter((t) => !managedKeys.has(t.key) || wanted.some((w) => same(w, t)));
  const added = wanted.filter((w) => !existing.some((t) => same(w, t)));
  return [...kept, ...added];
}

/** Whether two taint lists say the same (order aside). */
export function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  const key = (t: Taint) => `${t.key}=${t.value ?? ''}:${t.effect}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
