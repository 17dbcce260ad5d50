/**
 * The Node an agent registers, as kubelet builds it: the well-known labels, the addresses, the
 * capacity and allocatable resources, the node info and the port its log endpoint listens on
 * (status.daemonEndpoints.kubeletEndpoint.Port, where the API server reaches it). Pure.
 */
import { Node, NodeAddress, NodeStatus } from '../../api/types';
import { kubernetesVersion } from '../../apiserver/version';
import { HostIdentity } from './host';

export interface NodeDescription {
  name: string;
  /** Labels besides the well-known ones (which they may not override). */
  labels?: Record<string, string>;
  addresses: NodeAddress[];
  capacity: Record<string, string>;
  /** What pods may use; by default all of the capacity (no reservations). */
  allocatable?: Record<string, string>;
  identity: HostIdentity;
  /** `docker://28.2.2`. */
  runtimeVersion: string;
  /** The port of the agent's log endpoint; 0 or absent: it serves none. */
  logPort?: number;
}

export const agentVersion = kubernetesVersion.gitVersion;

/** The labels every node carries (kubelet's kubernetes.io/hostname, os and arch). */
export function wellKnownLabels(name: string, identity: Pick<HostIdentity, 'operatingSystem' | 'architecture'>): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': identity.operatingSystem,
    'kubernetes.io/arch': identity.architecture,
    'beta.kubernetes.io/os': identity.operatingSystem,
    'beta.kubernetes.io/arch': identity.architecture,
  };
}

/** The status fields the agent owns (conditions aside, which the reporter keeps current). */
export function ownedStatus(d: NodeDescription): NodeStatus {
  const id = d.identity;
  return {
    capacity: d.capacity,
    allocatable: d.allocatable ?? d.capacity,
    addresses: d.addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: d.logPort ?? 0 } },
    nodeInfo: {
      machineID: id.machineID,
      systemUUID: id.systemUUID,
      bootID: id.bootID,
      kernelVersion: id.kernelVersion,
      osImage: id.osImage,
      containerRuntimeVersion: d.runtimeVersion,
      kubeletVersion: agentVersion,
      kubeProxyVersion: agentVersion,
      operatingSystem: id.operatingSystem,
      architecture: id.architecture,
    },
  };
}

export function nodeObject(d: NodeDescription): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: d.name, labels: { ...d.labels, ...wellKnownLabels(d.name, d.identity) } },
    spec: {},
    status: ownedStatus(d),
  };
}

/** The node's addresses: InternalIP (given, or the host's primary one) and Hostname. */
export function nodeAddresses(internalIP: string, hostname: string): NodeAddress[] {
  return [
    { type: 'InternalIP', address: internalIP },
    { type: 'Hostname', address: hostname },
  ];
}
