/**
 * The EndpointSlices of a Service, from the pods its selector matches, as upstream's
 * EndpointSlice controller computes them. Pure.
 *
 *   pod in? (an IP; not finished for its restart policy; terminating pods stay, marked so)
 *     └─ each service port ──► the pod's port (a named targetPort looked up in its containers)
 *   pods offering the same ports share slices, at most `maxEndpoints` endpoints each, by address;
 *   each endpoint: ready (Ready and not terminating), serving (Ready), terminating.
 */
import type { DiscoveryEndpoint, DiscoveryEndpointPort, Pod, Service } from '../../src/api/types';
import { compareIps, findPort, isPodReady, podShouldBeInEndpoints } from '../endpoints';

/** Upstream's default --max-endpoints-per-slice. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** What one slice holds: its ports, and its endpoints in a stable order. */
export interface SliceContent {
  ports: DiscoveryEndpointPort[];
  endpoints: DiscoveryEndpoint[];
}

function endpointOf(pod: Pod, service: Service): DiscoveryEndpoint {
  const ready = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const endpoint: DiscoveryEndpoint = {
    addresses: [pod.status?.podIP || pod.status!.podIPs![0].ip],
    conditions: { ready: ready && !terminating, serving: ready, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  if (pod.spec?.hostname && pod.spec.subdomain === service.metadata.name) endpoint.hostname = pod.spec.hostname;
  return endpoint;
}

/** The slices' contents: one group per distinct port list, split every `maxEndpoints`. */
export function desiredSlices(service: Service, pods: readonly Pod[], maxEndpoints = MAX_ENDPOINTS_PER_SLICE): SliceContent[] {
  const servicePorts = service.spec?.ports ?? [];
  const groups = new Map<string, SliceContent>();
  for (const pod of pods) {
    // Terminating pods stay in, marked terminating, so proxies can drain them.
    if (!podShouldBeInEndpoints(pod, true)) continue;
    const ports: DiscoveryEndpointPort[] = [];
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      const endpointPort: DiscoveryEndpointPort = { name: servicePort.name ?? '', port, protocol: servicePort.protocol ?? 'TCP' };
      if (servicePort.appProtocol) endpointPort.appProtocol = servicePort.appProtocol;
      ports.push(endpointPort);
    }
    if (ports.length === 0 && servicePorts.length > 0) continue;
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(endpointOf(pod, service));
  }
  const slices: SliceContent[] = [];
  for (const group of [...groups.values()].sort((a, b) => compare(JSON.stringify(a.ports), JSON.stringify(b.ports)))) {
    // By address, as people read them (kubectl describe service prints them in slice order).
    const endpoints = group.endpoints.sort((a, b) => compareIps(a.addresses[0], b.addresses[0]) || compare(a.targetRef?.uid ?? '', b.targetRef?.uid ?? ''));
    for (let i = 0; i < endpoints.length; i += maxEndpoints) slices.push({ ports: group.ports, endpoints: endpoints.slice(i, i + maxEndpoints) });
  }
  // A Service without endpoints still gets one empty slice, as upstream's placeholder.
  return slices.length > 0 ? slices : [{ ports: [], endpoints: [] }];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
