/** Nodes and pods for placement tests and benchmarks, written tersely. */
import type { Affinity, Node, Pod, Taint, Toleration, TopologySpreadConstraint } from '../../src/api/types';

export interface NodeShape {
  cpu?: string;
  memory?: string;
  pods?: string;
  storage?: string;
  /** Extra allocatable entries, e.g. `{ 'nvidia.com/gpu': '4' }`. */
  extended?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  /** The Ready condition's status; null leaves the condition out. */
  ready?: 'True' | 'False' | 'Unknown' | null;
}

export function node(name: string, shape: NodeShape = {}): Node {
  const allocatable: Record<string, string> = {
    cpu: shape.cpu ?? '4',
    memory: shape.memory ?? '8Gi',
    pods: shape.pods ?? '110',
    ...(shape.storage ? { 'ephemeral-storage': shape.storage } : {}),
    ...(shape.extended ?? {}),
  };
  const ready = shape.ready === undefined ? 'True' : shape.ready;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: shape.labels ?? {} },
    spec: { ...(shape.taints ? { taints: shape.taints } : {}), ...(shape.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, conditions: ready === null ? [] : [{ type: 'Ready', status: ready }] },
  };
}

export interface PodShape {
  namespace?: string;
  uid?: string;
  cpu?: string;
  memory?: string;
  storage?: string;
  extended?: Record<string, string>;
  labels?: Record<string, string>;
  /** The uid of the controlling owner (a ReplicaSet). */
  owner?: string;
  nodeName?: string;
  hostPorts?: Array<{ port: number; protocol?: 'TCP' | 'UDP' | 'SCTP'; ip?: string }>;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  spread?: TopologySpreadConstraint[];
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  terminating?: boolean;
}

export function pod(name: string, shape: PodShape = {}): Pod {
  const requests: Record<string, string> = {
    ...(shape.cpu ? { cpu: shape.cpu } : {}),
    ...(shape.memory ? { memory: shape.memory } : {}),
    ...(shape.storage ? { 'ephemeral-storage': shape.storage } : {}),
    ...(shape.extended ?? {}),
  };
  const namespace = shape.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: shape.uid ?? `uid-${namespace}-${name}`,
      labels: shape.labels ?? {},
      ...(shape.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: shape.owner, uid: shape.owner, controller: true }] } : {}),
      ...(shape.terminating ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'busybox',
          ...(Object.keys(requests).length > 0 ? { resources: { requests } } : {}),
          ...(shape.hostPorts
            ? { ports: shape.hostPorts.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: p.protocol ?? 'TCP', ...(p.ip ? { hostIP: p.ip } : {}) })) }
            : {}),
        },
      ],
      ...(shape.nodeName ? { nodeName: shape.nodeName } : {}),
      ...(shape.tolerations ? { tolerations: shape.tolerations } : {}),
      ...(shape.nodeSelector ? { nodeSelector: shape.nodeSelector } : {}),
      ...(shape.affinity ? { affinity: shape.affinity } : {}),
      ...(shape.spread ? { topologySpreadConstraints: shape.spread } : {}),
    },
    ...(shape.phase ? { status: { phase: shape.phase } } : {}),
  };
}
