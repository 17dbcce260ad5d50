/**
 * Services and Endpoints (upstream's ValidateService and ValidateEndpoints): ports (required but
 * for headless and ExternalName services, named when there are several, unique, in range), target
 * and node ports (30000-32767, only for NodePort and LoadBalancer), the cluster IP (fixed once
 * set), external names and IPs, addresses of endpoints.
 */
import { isIP } from 'node:net';
import type { Cause } from '../../api/errors';
import type { EndpointAddress, Endpoints, Service, ServiceSpec } from '../../api/types';
import { child, duplicate, forbidden, index, invalid, required } from './field-errors';
import { onKind } from './kinds';
import { dnsLabelCauses, dnsSubdomainCauses, labelCauses, portNumberCauses, portNumOrNameCauses } from './validate-common';

/** The node port range berth allocates from and accepts, upstream's default. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
const MAX_CLIENT_IP_TIMEOUT = 86400;
const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export const serviceValidation = onKind('service-validation', '', 'Service', {
  validate(obj, { operation, old }) {
    const spec = (obj as Service).spec;
    if (!spec) return [required('spec')];
    const causes = serviceSpecCauses(spec);
    const previous = (old as Service | undefined)?.spec;
    if (operation === 'UPDATE' && previous) causes.push(...clusterIPUpdateCauses(spec, previous));
    return causes;
  },
});

function serviceSpecCauses(spec: ServiceSpec): Cause[] {
  const causes: Cause[] = [];
  const type = spec.type ?? 'ClusterIP';
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') causes.push(required('spec.ports'));
  const names = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const at = index('spec.ports', i);
    if (ports.length > 1 && !port.name) causes.push(required(child(at, 'name')));
    else if (port.name) {
      causes.push(...dnsLabelCauses(port.name, child(at, 'name')));
      if (names.has(port.name)) causes.push(duplicate(child(at, 'name'), port.name));
      else names.add(port.name);
    }
    causes.push(...portNumberCauses(port.port, child(at, 'port')));
    if (port.targetPort !== undefined) causes.push(...portNumOrNameCauses(port.targetPort, child(at, 'targetPort')));
    if (!port.nodePort) return;
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      causes.push(forbidden(child(at, 'nodePort'), `may not be used when \`type\` is '${type}'`));
      return;
    }
    if (port.nodePort < NODE_PORT_RANGE.min || port.nodePort > NODE_PORT_RANGE.max) {
      causes.push(
        invalid(child(at, 'nodePort'), port.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`),
      );
    }
    const id = `${port.protocol ?? 'TCP'}/${port.nodePort}`;
    if (nodePorts.has(id)) causes.push(duplicate(child(at, 'nodePort'), port.nodePort));
    else nodePorts.add(id);
  });
  if (type === 'ExternalName') {
    const name = (spec.externalName ?? '').replace(/\.$/, '');
    if (!name) causes.push(required('spec.externalName'));
    else causes.push(...dnsSubdomainCauses(name, 'spec.externalName'));
    if (spec.clusterIP) causes.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  } else {
    (spec.clusterIPs ?? []).forEach((ip, i) => {
      const at = index('spec.clusterIPs', i);
      if (ip === 'None') {
        if (type === 'NodePort' || type === 'LoadBalancer') causes.push(invalid(at, ip, `may not be set to 'None' for ${type} services`));
      } else if (ip && !isIP(ip)) causes.push(invalid(at, ip, "must be empty, 'None', or a valid IP address"));
    });
    if (spec.clusterIP && spec.clusterIPs?.[0] !== undefined && spec.clusterIP !== spec.clusterIPs[0]) {
      causes.push(invalid('spec.clusterIPs', spec.clusterIPs, 'element [0] must match clusterIP'));
    }
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip)) causes.push(invalid(index('spec.externalIPs', i), ip, IP_MESSAGE));
  });
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined && (timeout <= 0 || timeout > MAX_CLIENT_IP_TIMEOUT)) {
    causes.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
  }
  causes.push(...labelCauses(spec.selector, 'spec.selector'));
  return causes;
}

/** A cluster IP, once set, stays; changing to or from ExternalName is the exception. */
function clusterIPUpdateCauses(spec: ServiceSpec, previous: ServiceSpec): Cause[] {
  if (spec.type === 'ExternalName' || previous.type === 'ExternalName') return [];
  const before = previous.clusterIP ?? '';
  const after = spec.clusterIP ?? '';
  return before && before !== after ? [invalid('spec.clusterIPs[0]', after, 'may not change once set')] : [];
}

export const endpointsValidation = onKind('endpoints-validation', '', 'Endpoints', {
  validate(obj) {
    const causes: Cause[] = [];
    ((obj as Endpoints).subsets ?? []).forEach((subset, i) => {
      const at = index('subsets', i);
      if ((subset.addresses ?? []).length === 0 && (subset.notReadyAddresses ?? []).length === 0) {
        causes.push(required(at, 'must specify `addresses` or `notReadyAddresses`'));
      }
      for (const field of ['addresses', 'notReadyAddresses'] as const) {
        (subset[field] ?? []).forEach((address, j) => causes.push(...addressCauses(address, index(child(at, field), j))));
      }
      const ports = subset.ports ?? [];
      ports.forEach((port, j) => {
        const portAt = index(child(at, 'ports'), j);
        if (ports.length > 1 && !port.name) causes.push(required(child(portAt, 'name')));
        else if (port.name) causes.push(...dnsLabelCauses(port.name, child(portAt, 'name')));
        causes.push(...portNumberCauses(port.port, child(portAt, 'port')));
        if (!port.protocol) causes.push(required(child(portAt, 'protocol')));
      });
    });
    return causes;
  },
});

function addressCauses(address: EndpointAddress, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!isIP(address.ip)) causes.push(invalid(child(path, 'ip'), address.ip, IP_MESSAGE));
  if (address.hostname) causes.push(...dnsLabelCauses(address.hostname, child(path, 'hostname')));
  if (address.nodeName) causes.push(...dnsSubdomainCauses(address.nodeName, child(path, 'nodeName')));
  return causes;
}
