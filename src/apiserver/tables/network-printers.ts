/**
 * `kubectl get ingresses, endpointslices`, cell for cell as upstream's `printIngress` (with
 * `formatHosts`, `formatPorts` and the load balancer's addresses) and `printEndpointSlice` (with
 * `formatDiscoveryPorts` and `formatDiscoveryEndpoints`). The server prints wide, so addresses
 * are never clipped.
 */
import type { Obj } from '../../api/object';
import type { DiscoveryEndpoint, DiscoveryEndpointPort, EndpointSlice, Ingress, IngressRule } from '../../api/types';
import { ageColumn, column, nameColumn, objectAge } from './cells';
import type { Printer } from './table';

/** How many entries a cell lists before it says how many more there are. */
const MAX_LISTED = 3;

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells(object: Obj, now: number): unknown[] {
    const ingress = object as unknown as Ingress;
    const spec = ingress.spec ?? {};
    return [
      ingress.metadata.name,
      spec.ingressClassName ?? '<none>',
      formatHosts(spec.rules ?? []),
      ingressAddresses(ingress),
      (spec.tls ?? []).length > 0 ? '80, 443' : '80',
      objectAge(object, now),
    ];
  },
};

/** The first three hosts and how many rules more, or `*` when no rule names a host. */
export function formatHosts(rules: readonly IngressRule[]): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === MAX_LISTED) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  // As upstream counts it: every rule past the third, with a host or not.
  return more ? `${list.join(',')} + ${rules.length - MAX_LISTED} more...` : list.join(',');
}

/** The IPs (or else hostnames) of the load balancer, each once, sorted. */
function ingressAddresses(ingress: Ingress): string {
  const found = new Set<string>();
  for (const point of ingress.status?.loadBalancer?.ingress ?? []) {
    if (point.ip) found.add(point.ip);
    else if (point.hostname) found.add(point.hostname);
  }
  return [...found].sort().join(',');
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells(object: Obj, now: number): unknown[] {
    const slice = object as unknown as EndpointSlice;
    return [slice.metadata.name, slice.addressType, formatSlicePorts(slice.ports ?? []), formatSliceEndpoints(slice.endpoints ?? []), objectAge(object, now)];
  },
};

/** Each port's number, else its name, else `*` (all ports). */
export function formatSlicePorts(ports: readonly DiscoveryEndpointPort[]): string {
  return listWithMore(ports.map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))));
}

/** Every address of every endpoint. */
export function formatSliceEndpoints(endpoints: readonly DiscoveryEndpoint[]): string {
  return listWithMore(endpoints.flatMap((e) => e.addresses));
}

/** `a,b,c + 2 more...`, or `<unset>` for nothing (upstream `listWithMoreString`). */
function listWithMore(all: readonly string[]): string {
  const listed = all.slice(0, MAX_LISTED).join(',');
  if (all.length > MAX_LISTED) return `${listed} + ${all.length - MAX_LISTED} more...`;
  return listed === '' ? '<unset>' : listed;
}
