/**
 * Service defaults, as upstream's `SetDefaults_Service` and its service REST storage set them:
 * type ClusterIP, session affinity None, ports TCP with the target port equal to the port, the
 * traffic policies, and the IP family fields of a single-stack IPv4 cluster. On update, what the
 * server assigned (cluster IPs, node ports) is kept when the new object leaves it out, as
 * upstream does, so a PUT of the original manifest does not look like a change of them.
 */
import type { Service, ServicePort, ServiceSpec } from '../../api/types';
import { onKind } from './kinds';

/** Seconds a ClientIP session sticks to one pod unless configured (upstream's default, 3 hours). */
export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

export const serviceDefaults = onKind('service-defaults', '', 'Service', {
  mutate(obj, { old }) {
    const service = obj as Service;
    const spec = service.spec;
    if (!spec) return;
    defaultServiceSpec(spec);
    const previous = (old as Service | undefined)?.spec;
    if (previous) keepAllocated(spec, previous);
    defaultIPFields(spec);
    if (spec.type === 'LoadBalancer') {
      for (const ingress of service.status?.loadBalancer?.ingress ?? []) if (ingress.ip && !ingress.ipMode) ingress.ipMode = 'VIP';
    }
  },
});

function defaultServiceSpec(spec: ServiceSpec): void {
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
}

const usesNodePorts = (spec: ServiceSpec): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';

function keepAllocated(spec: ServiceSpec, previous: ServiceSpec): void {
  if (spec.type !== 'ExternalName' && previous.type !== 'ExternalName') {
    if (!spec.clusterIP && previous.clusterIP) spec.clusterIP = previous.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && previous.clusterIPs && spec.clusterIP === previous.clusterIP) spec.clusterIPs = [...previous.clusterIPs];
  }
  if (usesNodePorts(spec) && usesNodePorts(previous)) {
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const match = (previous.ports ?? []).find((p: ServicePort) => p.port === port.port && (p.protocol ?? 'TCP') === port.protocol);
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
  }
  if (spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort && previous.healthCheckNodePort) {
    spec.healthCheckNodePort = previous.healthCheckNodePort;
  }
}

/** Cluster IP lists and families, for a cluster whose services are single-stack IPv4. */
function defaultIPFields(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName') return;
  if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
  if (!spec.clusterIP && spec.clusterIPs?.[0]) spec.clusterIP = spec.clusterIPs[0];
  const headless = spec.clusterIP === 'None';
  // Upstream: a headless Service without a selector takes every family the cluster has.
  const policy = headless && Object.keys(spec.selector ?? {}).length === 0 ? 'RequireDualStack' : 'SingleStack';
  spec.ipFamilyPolicy ??= policy;
  if ((spec.ipFamilies ?? []).length === 0) spec.ipFamilies = [spec.clusterIP?.includes(':') ? 'IPv6' : 'IPv4'];
}
