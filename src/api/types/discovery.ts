/**
 * discovery.k8s.io/v1 EndpointSlice: a slice of the endpoints behind a Service. Its Endpoint and
 * EndpointPort are exported as DiscoveryEndpoint and DiscoveryEndpointPort, apart from core/v1's.
 */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, enumOf, setList, struct } from '../codecs';
import { int32, stringMap } from '../scalars';
import { ObjectReference, Protocol } from './core-common';
import { resource } from './meta';

export const AddressType = enumOf('AddressType', ['FQDN', 'IPv4', 'IPv6']);

export const EndpointConditions = struct(
  'EndpointConditions',
  {},
  {
    ready: described(t.boolean, 'Whether the endpoint is ready for traffic; absent means true.'),
    serving: described(t.boolean, 'Whether the endpoint can take traffic (its pod is ready), terminating or not; absent means true.'),
    terminating: described(t.boolean, 'Whether the endpoint is terminating; absent means false.'),
  },
);

const zoneOrNode = (name: string, what: string) => struct(name, { name: described(t.string, `Name of the ${what}.`) });

export const EndpointHints = struct(
  'EndpointHints',
  {},
  {
    forZones: described(atomicList(zoneOrNode('ForZone', 'zone')), 'Zones that should use this endpoint with topology aware routing.'),
    forNodes: described(atomicList(zoneOrNode('ForNode', 'node')), 'Nodes that should use this endpoint with topology aware routing.'),
  },
);

export const DiscoveryEndpoint = struct(
  'Endpoint',
  { addresses: described(setList(t.string), 'Addresses of the endpoint (IPs for IPv4 and IPv6 slices), 1 to 100; consumers use the first.') },
  {
    conditions: described(EndpointConditions, 'The current condition of the endpoint.'),
    hostname: described(t.string, 'Hostname of the endpoint, a DNS label (e.g. in DNS names).'),
    targetRef: described(ObjectReference, 'The object this endpoint is, usually a pod.'),
    deprecatedTopology: described(stringMap, 'Topology of the v1beta1 API; ignored on write.'),
    nodeName: described(t.string, 'The node hosting the endpoint.'),
    zone: described(t.string, 'The zone the endpoint is in.'),
    hints: described(EndpointHints, 'How the endpoint should be consumed.'),
  },
);
export type DiscoveryEndpoint = t.TypeOf<typeof DiscoveryEndpoint>;

export const DiscoveryEndpointPort = atomicMap(
  struct(
    'EndpointPort',
    {},
    {
      name: described(t.string, 'Name of the port, unique in the slice: a Service port name, a DNS label or empty. Defaults to "".'),
      protocol: described(Protocol, 'TCP, UDP or SCTP. Defaults to TCP.'),
      port: described(int32, "The port number of the endpoints: the Service's target port; absent means all ports."),
      appProtocol: described(t.string, 'The application protocol of this port, a hint to implementations.'),
    },
  ),
);
export type DiscoveryEndpointPort = t.TypeOf<typeof DiscoveryEndpointPort>;

export const EndpointSlice = resource(
  'discovery.k8s.io/v1',
  'EndpointSlice',
  'EndpointSlice is a set of the endpoints of a Service; all slices labelled kubernetes.io/service-name=<service> together make the whole set.',
  { addressType: described(AddressType, 'The type of every address in the slice: IPv4, IPv6 or FQDN (deprecated). Immutable.') },
  {
    endpoints: described(atomicList(DiscoveryEndpoint), 'Unique endpoints of the slice, at most 1000.'),
    ports: described(atomicList(DiscoveryEndpointPort), 'Ports every endpoint of the slice exposes, each named uniquely.'),
  },
);
export type EndpointSlice = t.TypeOf<typeof EndpointSlice>;
