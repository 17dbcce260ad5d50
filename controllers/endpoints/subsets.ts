/**
 * The subsets of a Service's Endpoints, from the pods its selector matches, as upstream's
 * endpoints controller computes them. Pure.
 *
 *   pod in? (an IP; not terminating unless publishNotReadyAddresses; not finished for its restart policy)
 *     └─ each service port ──► the pod's port (a named targetPort looked up in its containers)
 *          ready (or publishNotReadyAddresses) ──► addresses       else ──► notReadyAddresses
 *   then repacked: pods offering the same ports share one subset (pods resolving a named port
 *   to different numbers land in different subsets), in a stable order.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from '../../src/api/types';

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podIp(pod: Pod): string | undefined {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
}

/** Upstream's ShouldPodBeInEndpoints. */
export function podShouldBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!podIp(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  switch (pod.spec?.restartPolicy ?? 'Always') {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/** The pod's port for a service port: a number as is, a name through the containers' ports of the same protocol. */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^[0-9]+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

function addressOf(pod: Pod, service: Service): EndpointAddress {
  const address: EndpointAddress = {
    ip: podIp(pod)!,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  // A pod's hostname is published only when it names this Service as its subdomain.
  if (pod.spec?.hostname && pod.spec.subdomain === service.metadata.name && pod.metadata.namespace === service.metadata.namespace) address.hostname = pod.spec.hostname;
  return address;
}

interface Group {
  ports: EndpointPort[];
  addresses: EndpointAddress[];
  notReadyAddresses: EndpointAddress[];
}

export function endpointSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const headless = service.spec?.clusterIP === 'None';
  const groups = new Map<string, Group>();
  for (const pod of pods) {
    if (!podShouldBeInEndpoints(pod, publishNotReady)) continue;
    const ports: EndpointPort[] = [];
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      const endpointPort: EndpointPort = { port, protocol: servicePort.protocol ?? 'TCP' };
      if (servicePort.name) endpointPort.name = servicePort.name;
      if (servicePort.appProtocol) endpointPort.appProtocol = servicePort.appProtocol;
      ports.push(endpointPort);
    }
    // A pod offering none of the ports is of no use, except to a headless Service without ports.
    if (ports.length === 0 && !(servicePorts.length === 0 && headless)) continue;
    ports.sort(comparePorts);
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, addresses: [], notReadyAddresses: [] }));
    (publishNotReady || isPodReady(pod) ? group.addresses : group.notReadyAddresses).push(addressOf(pod, service));
  }
  const subsets = [...groups.values()].map((g) => {
    const subset: EndpointSubset = {};
    if (g.addresses.length > 0) subset.addresses = g.addresses.sort(compareAddresses);
    if (g.notReadyAddresses.length > 0) subset.notReadyAddresses = g.notReadyAddresses.sort(compareAddresses);
    if (g.ports.length > 0) subset.ports = g.ports;
    return subset;
  });
  return subsets.sort((a, b) => compareText(firstIp(a), firstIp(b)) || compareText(JSON.stringify(a.ports ?? []), JSON.stringify(b.ports ?? [])));
}

function firstIp(subset: EndpointSubset): string {
  return (subset.addresses ?? subset.notReadyAddresses ?? [])[0]?.ip ?? '';
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  return compareText(a.name ?? '', b.name ?? '') || a.port - b.port || compareText(a.protocol ?? '', b.protocol ?? '');
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return compareIps(a.ip, b.ip) || compareText(a.targetRef?.uid ?? '', b.targetRef?.uid ?? '');
}

/** IPv4 addresses in numeric order; anything else as text. */
export function compareIps(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && [...pa, ...pb].every(Number.isInteger)) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
    return 0;
  }
  return compareText(a, b);
}
