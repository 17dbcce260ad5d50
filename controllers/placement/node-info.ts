/**
 * One node as placement sees it: what it offers (allocatable), what the pods bound to it ask
 * (summed requests, host ports in use), and what it demands (labels, taints, cordon, readiness).
 * Sums move by one pod at a time, so keeping a node current costs O(pod), never O(pods on it).
 */
import { Invalid } from '../../src/api/errors';
import type { Node, Taint } from '../../src/api/types';
import { amount, QuantityError } from '../../src/util/quantity';
import { HostPort, hostnameLabel, PodInfo } from './pod-info';
import {
  ALLOCATABLE_CPU,
  ALLOCATABLE_MEMORY,
  BLOCKING_TAINTS,
  FLAGS,
  FREE_CPU,
  FREE_MEMORY,
  FREE_PODS,
  FREE_STORAGE,
  NodeTable,
  PREFER_NO_SCHEDULE_TAINTS,
  READINESS,
  SCORING_CPU,
  SCORING_MEMORY,
  UNSCHEDULABLE,
  WIDTH,
} from './node-table';

const anyAddress = '0.0.0.0';

/** Ready condition status; a node that never reported one counts as not ready. */
export type Readiness = 'True' | 'False' | 'Unknown';

export class NodeInfo {
  /** Where the figures decisions read are kept (see node-table.ts): first, so they share the object's first cache line. */
  readonly table: NodeTable;
  readonly slot: number;
  /** The Node object, or undefined while pods name a node the snapshot has not seen (yet). */
  node?: Node;
  labels: Readonly<Record<string, string>> = {};
  readiness: Readiness = 'False';
  unschedulable = false;
  /** NoSchedule and NoExecute taints: the ones that keep pods off. */
  blockingTaints: readonly Taint[] = [];
  preferNoScheduleTaints: readonly Taint[] = [];

  allocatableCpu = 0;
  allocatableMemory = 0;
  allocatableEphemeralStorage = 0;
  /** Infinity when the node does not say how many pods it takes. */
  allocatablePods = Infinity;
  readonly allocatableScalar = new Map<string, number>();

  requestedCpu = 0;
  requestedMemory = 0;
  requestedEphemeralStorage = 0;
  readonly requestedScalar = new Map<string, number>();
  /** cpu and memory as scores count them (100m and 200Mi for containers that ask none). */
  scoringCpu = 0;
  scoringMemory = 0;

  readonly pods = new Map<string, PodInfo>();
  /** `protocol/port` → how many bindings of it, on any address. */
  private readonly portsAnyAddress = new Map<string, number>();
  /** `address protocol/port` → how many bindings. */
  private readonly portsByAddress = new Map<string, number>();
  private released = false;

  constructor(
    readonly name: string,
    table = new NodeTable(1),
  ) {
    this.table = table;
    this.slot = table.allocate();
    this.writeRow();
  }

  /** One figure of this node's row (a column of node-table.ts): what decisions read. */
  figure(column: number): number {
    return this.table.rows[this.slot * WIDTH + column];
  }

  /** Gives the slot back; the NodeInfo is not used again (and writes no row if it is). */
  release(): void {
    this.released = true;
    this.table.release(this.slot);
  }

  /** Takes the node's labels, taints, readiness and allocatable. Bad quantities are Invalid and change nothing. */
  setNode(node: Node): void {
    const allocatable = node.status?.allocatable ?? node.status?.capacity ?? {};
    const parsed = new Map<string, number>();
    for (const [resource, quantity] of Object.entries(allocatable)) {
      try {
        parsed.set(resource, amount(resource, quantity));
      } catch (e) {
        if (e instanceof QuantityError) throw new Invalid(`node ${this.name}: status.allocatable.${resource}: ${e.message}`);
        throw e;
      }
    }
    this.node = node;
    const labels = node.metadata.labels ?? {};
    // Every kubelet labels its node with its hostname; a node registered without it counts as
    // carrying its own name there, so hostname spreading and anti-affinity still apply to it.
    this.labels = hostnameLabel in labels ? labels : { ...labels, [hostnameLabel]: this.name };
    this.readiness = node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'False';
    this.unschedulable = node.spec?.unschedulable === true;
    const taints = node.spec?.taints ?? [];
    this.blockingTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.preferNoScheduleTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    this.allocatableCpu = parsed.get('cpu') ?? 0;
    this.allocatableMemory = parsed.get('memory') ?? 0;
    this.allocatableEphemeralStorage = parsed.get('ephemeral-storage') ?? 0;
    this.allocatablePods = parsed.get('pods') ?? Infinity;
    this.allocatableScalar.clear();
    for (const [resource, value] of parsed) {
      if (resource !== 'cpu' && resource !== 'memory' && resource !== 'ephemeral-storage' && resource !== 'pods') this.allocatableScalar.set(resource, value);
    }
    this.writeRow();
  }

  /** The node keeps its pods and sums but no longer exists as a Node: what the Node said goes. */
  clearNode(): void {
    this.node = undefined;
    this.labels = {};
    this.readiness = 'False';
    this.unschedulable = false;
    this.blockingTaints = [];
    this.preferNoScheduleTaints = [];
    this.allocatableCpu = 0;
    this.allocatableMemory = 0;
    this.allocatableEphemeralStorage = 0;
    this.allocatablePods = Infinity;
    this.allocatableScalar.clear();
    this.writeRow();
  }

  addPod(pod: PodInfo): void {
    this.pods.set(pod.key, pod);
    this.account(pod, 1);
  }

  removePod(pod: PodInfo): void {
    if (this.pods.delete(pod.key)) this.account(pod, -1);
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    const r = pod.requests;
    this.requestedCpu += sign * r.cpu;
    this.requestedMemory += sign * r.memory;
    this.requestedEphemeralStorage += sign * r.ephemeralStorage;
    this.scoringCpu += sign * r.scoringCpu;
    this.scoringMemory += sign * r.scoringMemory;
    for (const [resource, value] of r.scalar) bump(this.requestedScalar, resource, sign * value);
    for (const p of pod.hostPorts) {
      const protocolPort = `${p.protocol}/${p.port}`;
      bump(this.portsAnyAddress, protocolPort, sign);
      bump(this.portsByAddress, `${p.ip} ${protocolPort}`, sign);
    }
    this.writeRow();
  }

  /** Copies what decisions read into this node's row of the table. */
  private writeRow(): void {
    if (this.released) return;
    const rows = this.table.rows;
    const at = this.slot * WIDTH;
    rows[at + READINESS] = this.readiness === 'True' ? 0 : this.readiness === 'False' ? 1 : 2;
    rows[at + FLAGS] =
      (this.unschedulable ? UNSCHEDULABLE : 0) |
      (this.blockingTaints.length > 0 ? BLOCKING_TAINTS : 0) |
      (this.preferNoScheduleTaints.length > 0 ? PREFER_NO_SCHEDULE_TAINTS : 0);
    rows[at + FREE_PODS] = this.allocatablePods - this.pods.size;
    rows[at + FREE_CPU] = this.allocatableCpu - this.requestedCpu;
    rows[at + FREE_MEMORY] = this.allocatableMemory - this.requestedMemory;
    rows[at + FREE_STORAGE] = this.allocatableEphemeralStorage - this.requestedEphemeralStorage;
    rows[at + ALLOCATABLE_CPU] = this.allocatableCpu;
    rows[at + ALLOCATABLE_MEMORY] = this.allocatableMemory;
    rows[at + SCORING_CPU] = this.scoringCpu;
    rows[at + SCORING_MEMORY] = this.scoringMemory;
  }

  /** Upstream `HostPortInfo.CheckConflict`: 0.0.0.0 conflicts with any address, an address with itself and 0.0.0.0. */
  portTaken(p: HostPort): boolean {
    const protocolPort = `${p.protocol}/${p.port}`;
    if (p.ip === anyAddress) return this.portsAnyAddress.has(protocolPort);
    return this.portsByAddress.has(`${anyAddress} ${protocolPort}`) || this.portsByAddress.has(`${p.ip} ${protocolPort}`);
  }

  /** Host ports in use as `address protocol/port` → bindings, sorted; for explanations and tests. */
  usedPorts(): Array<[string, number]> {
    return [...this.portsByAddress.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  requested(resource: string): number {
    switch (resource) {
      case 'cpu':
        return this.requestedCpu;
      case 'memory':
        return this.requestedMemory;
      case 'ephemeral-storage':
        return this.requestedEphemeralStorage;
      case 'pods':
        return this.pods.size;
      default:
        return this.requestedScalar.get(resource) ?? 0;
    }
  }

  /** What scores count as requested: cpu and memory with the defaults for containers that ask none. */
  scoringRequested(resource: string): number {
    if (resource === 'cpu') return this.scoringCpu;
    if (resource === 'memory') return this.scoringMemory;
    return this.requested(resource);
  }

  allocatable(resource: string): number {
    switch (resource) {
      case 'cpu':
        return this.allocatableCpu;
      case 'memory':
        return this.allocatableMemory;
      case 'ephemeral-storage':
        return this.allocatableEphemeralStorage;
      case 'pods':
        return this.allocatablePods;
      default:
        return this.allocatableScalar.get(resource) ?? 0;
    }
  }
}

/** Adds `delta` to a count, dropping the entry at zero so that an emptied map equals a fresh one. */
export function bump<K>(map: Map<K, number>, key: K, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}
