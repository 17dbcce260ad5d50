/**
 * networking/v1 Ingress (upstream's ValidateIngress) and discovery/v1 EndpointSlice (upstream's
 * ValidateEndpointSlice). An Ingress needs rules or a default backend; hosts are DNS names (or
 * `*.` wildcards), never IPs; each path has a type, Exact and Prefix paths are absolute and
 * clean; each backend is a Service (by name, with a port name or number) or another object. An
 * EndpointSlice's addresses fit its address type, its ports are uniquely named, and its address
 * type never changes.
 */
import { isIP } from 'node:net';
import type { Cause } from '../../api/errors';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, isWildcardDNS1123Subdomain } from '../../api/names';
import type { DiscoveryEndpoint, DiscoveryEndpointPort, EndpointSlice, HTTPIngressPath, Ingress, IngressBackend, IngressRule, IngressTLS } from '../../api/types';
import { child, duplicate, immutable, index, invalid, required, tooMany, Unquoted } from './field-errors';
import { onKind } from './kinds';
import { dnsLabelCauses, dnsSubdomainCauses, portNameProblems, portNumberCauses } from './validate-common';

const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

export const ingressValidation = onKind('ingress-validation', 'networking.k8s.io', 'Ingress', {
  validate(obj, { subresource }) {
    if (subresource === 'status') return [];
    const spec = (obj as Ingress).spec ?? {};
    const causes: Cause[] = [];
    const rules = spec.rules ?? [];
    if (rules.length === 0 && !spec.defaultBackend) causes.push(invalid('spec', new Unquoted('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
    if (spec.defaultBackend) causes.push(...backendCauses(spec.defaultBackend, 'spec.defaultBackend'));
    rules.forEach((rule, i) => causes.push(...ruleCauses(rule, index('spec.rules', i))));
    (spec.tls ?? []).forEach((tls, i) => causes.push(...tlsCauses(tls, index('spec.tls', i))));
    if (spec.ingressClassName) causes.push(...dnsSubdomainCauses(spec.ingressClassName, 'spec.ingressClassName'));
    return causes;
  },
});

function hostCauses(host: string, path: string): Cause[] {
  const problems = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return problems.map((p) => invalid(path, host, p));
}

function ruleCauses(rule: IngressRule, path: string): Cause[] {
  const causes: Cause[] = [];
  if (rule.host) {
    if (isIP(rule.host)) causes.push(invalid(child(path, 'host'), rule.host, 'must be a DNS name, not an IP address'));
    causes.push(...hostCauses(rule.host, child(path, 'host')));
  }
  if (rule.http) {
    const paths = rule.http.paths;
    if (paths.length === 0) causes.push(required(child(path, 'http.paths')));
    paths.forEach((p, i) => causes.push(...pathCauses(p, index(child(path, 'http.paths'), i))));
  }
  return causes;
}

function pathCauses(httpPath: HTTPIngressPath, path: string): Cause[] {
  const causes: Cause[] = [];
  const value = httpPath.path ?? '';
  const at = child(path, 'path');
  if (httpPath.pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) causes.push(invalid(at, value, 'must be an absolute path'));
  } else {
    if (!value.startsWith('/')) causes.push(invalid(at, value, 'must be an absolute path'));
    for (const sequence of value ? INVALID_SEQUENCES : []) if (value.includes(sequence)) causes.push(invalid(at, value, `must not contain '${sequence}'`));
    for (const suffix of value ? INVALID_SUFFIXES : []) if (value.endsWith(suffix)) causes.push(invalid(at, value, `cannot end with '${suffix}'`));
  }
  return [...causes, ...backendCauses(httpPath.backend, child(path, 'backend'))];
}

function backendCauses(backend: IngressBackend, path: string): Cause[] {
  const { service, resource } = backend;
  if (service && resource) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (resource) {
    const causes: Cause[] = [];
    if (!resource.kind) causes.push(required(child(path, 'resource.kind')));
    if (!resource.name) causes.push(required(child(path, 'resource.name')));
    if (resource.apiGroup) causes.push(...dnsSubdomainCauses(resource.apiGroup, child(path, 'resource.apiGroup')));
    return causes;
  }
  if (!service) return [invalid(path, '', 'resource or service backend is required')];
  const causes: Cause[] = [];
  if (!service.name) causes.push(required(child(path, 'service.name')));
  else causes.push(...isDNS1035Label(service.name).map((p) => invalid(child(path, 'service.name'), service.name, p)));
  const name = service.port?.name ?? '';
  const number = service.port?.number ?? 0;
  if (name && number) causes.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (name) causes.push(...portNameProblems(name).map((p) => invalid(child(path, 'service.port.name'), name, p)));
  else if (number) causes.push(...portNumberCauses(number, child(path, 'service.port.number')));
  else causes.push(required(path, 'port name or number is required'));
  return causes;
}

function tlsCauses(tls: IngressTLS, path: string): Cause[] {
  const causes = (tls.hosts ?? []).flatMap((host, i) => hostCauses(host, index(child(path, 'hosts'), i)));
  if (tls.secretName) causes.push(...dnsSubdomainCauses(tls.secretName, child(path, 'secretName')));
  return causes;
}

const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;

export const endpointSliceValidation = onKind('endpointslice-validation', 'discovery.k8s.io', 'EndpointSlice', {
  validate(obj, { operation, old }) {
    const slice = obj as EndpointSlice;
    const causes = [...endpointCauses(slice.endpoints ?? [], slice.addressType), ...portCauses(slice.ports ?? [])];
    const previous = old as EndpointSlice | undefined;
    if (operation === 'UPDATE' && previous) causes.push(...immutable(slice.addressType, previous.addressType, 'addressType', (a, b) => a === b));
    return causes;
  },
});

function endpointCauses(endpoints: readonly DiscoveryEndpoint[], addressType: string): Cause[] {
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  return endpoints.flatMap((endpoint, i) => {
    const at = index('endpoints', i);
    const addressesPath = child(at, 'addresses');
    const causes: Cause[] = [];
    if (endpoint.addresses.length === 0) causes.push(required(addressesPath, 'must contain at least 1 address'));
    else if (endpoint.addresses.length > MAX_ADDRESSES) causes.push(tooMany(addressesPath, endpoint.addresses.length, MAX_ADDRESSES));
    endpoint.addresses.forEach((address, j) => causes.push(...addressCauses(address, addressType, index(addressesPath, j))));
    if (endpoint.nodeName !== undefined) causes.push(...dnsSubdomainCauses(endpoint.nodeName, child(at, 'nodeName')));
    if (endpoint.hostname !== undefined) causes.push(...dnsLabelCauses(endpoint.hostname, child(at, 'hostname')));
    return causes;
  });
}

/** Addresses of the known types are checked; an FQDN slice's are DNS subdomains. */
function addressCauses(address: string, addressType: string, path: string): Cause[] {
  if (addressType === 'IPv4') return isIP(address) === 4 ? specialIPCauses(address, path) : [invalid(path, address, 'must be a valid IPv4 address')];
  if (addressType === 'IPv6') return isIP(address) === 6 ? specialIPCauses(address, path) : [invalid(path, address, 'must be a valid IPv6 address')];
  return dnsSubdomainCauses(address, path);
}

/** upstream's ValidateNonSpecialIP: no unspecified, loopback or link-local addresses. */
function specialIPCauses(address: string, path: string): Cause[] {
  const ip = address.toLowerCase();
  if (ip === '0.0.0.0' || /^[0:]+$/.test(ip)) return [invalid(path, address, `may not be unspecified (${address})`)];
  if (ip.startsWith('127.') || ip === '::1') return [invalid(path, address, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (ip.startsWith('169.254.') || /^fe[89ab][0-9a-f]?:/.test(ip)) return [invalid(path, address, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (ip.startsWith('224.0.0.') || ip.startsWith('ff02:')) return [invalid(path, address, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

function portCauses(ports: readonly DiscoveryEndpointPort[]): Cause[] {
  const names = new Set<string>();
  return ports.flatMap((port, i) => {
    const at = index('ports', i);
    const name = port.name ?? '';
    const causes = name ? dnsLabelCauses(name, child(at, 'name')) : [];
    if (names.has(name)) causes.push(duplicate(child(at, 'name'), name));
    names.add(name);
    if (port.appProtocol) causes.push(...isQualifiedName(port.appProtocol).map((p) => invalid(child(at, 'appProtocol'), port.appProtocol, p)));
    return causes;
  });
}
