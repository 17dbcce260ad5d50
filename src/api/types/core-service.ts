/** core/v1 Service and Endpoints. */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, enumOf, mergeList, struct, withSchema } from '../codecs';
import { int32, intOrString, stringMap } from '../scalars';
import { ObjectReference, Protocol } from './core-common';
import { Condition, resource } from './meta';

export const ServicePort = struct(
  'ServicePort',
  { port: described(int32, 'The port this Service exposes.') },
  {
    name: described(t.string, 'A DNS_LABEL naming the port; required when there is more than one. Endpoints use it.'),
    protocol: withSchema(Protocol, { description: 'TCP, UDP or SCTP. Defaults to TCP.', default: 'TCP' }),
    appProtocol: described(t.string, 'The application protocol of this port, a hint to implementations.'),
    targetPort: described(intOrString, "Number or name of the port on the pods. Defaults to port."),
    nodePort: described(int32, 'The port on each node for NodePort and LoadBalancer Services.'),
  },
);
export type ServicePort = t.TypeOf<typeof ServicePort>;

export const ServiceType = enumOf('ServiceType', ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
const TrafficPolicy = enumOf('ServiceTrafficPolicy', ['Cluster', 'Local']);

export const ServiceSpec = struct(
  'ServiceSpec',
  {},
  {
    ports: described(
      mergeList(ServicePort, 'port', { mapKeys: ['port', 'protocol'] }),
      'The ports this Service exposes.',
    ),
    selector: described(atomicMap(stringMap), 'Traffic goes to the pods whose labels match; without it, endpoints are managed by hand.'),
    clusterIP: described(t.string, 'The virtual IP of the Service; "None" makes it headless. Assigned when empty.'),
    clusterIPs: described(atomicList(t.string), 'The virtual IPs of the Service, the first equal to clusterIP.'),
    type: described(ServiceType, 'ClusterIP, NodePort, LoadBalancer or ExternalName. Defaults to ClusterIP.'),
    externalIPs: described(atomicList(t.string), 'Node IPs that also accept traffic for this Service.'),
    sessionAffinity: described(enumOf('ServiceAffinity', ['ClientIP', 'None']), 'ClientIP keeps a client on one pod. Defaults to None.'),
    loadBalancerIP: described(t.string, 'Deprecated: the IP a load balancer should use.'),
    loadBalancerSourceRanges: described(atomicList(t.string), 'Client CIDRs a load balancer accepts.'),
    externalName: described(t.string, 'The DNS name an ExternalName Service aliases.'),
    externalTrafficPolicy: described(TrafficPolicy, 'Whether external traffic may go to pods on other nodes.'),
    healthCheckNodePort: described(int32, 'The health check port for externalTrafficPolicy Local.'),
    publishNotReadyAddresses: described(t.boolean, 'Include pods that are not ready in the endpoints.'),
    sessionAffinityConfig: described(
      struct('SessionAffinityConfig', {}, { clientIP: struct('ClientIPConfig', {}, { timeoutSeconds: int32 }) }),
      'Settings of session affinity.',
    ),
    ipFamilies: described(atomicList(enumOf('IPFamily', ['IPv4', 'IPv6'])), 'IP families of the Service.'),
    ipFamilyPolicy: described(
      enumOf('IPFamilyPolicy', ['SingleStack', 'PreferDualStack', 'RequireDualStack']),
      'Whether the Service is single- or dual-stack.',
    ),
    allocateLoadBalancerNodePorts: described(t.boolean, 'Whether a LoadBalancer Service gets node ports. Defaults to true.'),
    loadBalancerClass: described(t.string, 'The load balancer implementation for this Service.'),
    internalTrafficPolicy: described(TrafficPolicy, 'Whether cluster traffic may go to pods on other nodes.'),
    trafficDistribution: described(t.string, 'A preference for how traffic is spread, e.g. PreferClose.'),
  },
);
export type ServiceSpec = t.TypeOf<typeof ServiceSpec>;

export const PortStatus = struct('PortStatus', { port: int32, protocol: Protocol }, { error: t.string });

export const LoadBalancerIngress = struct(
  'LoadBalancerIngress',
  {},
  {
    ip: described(t.string, 'IP of the load balancer ingress point.'),
    hostname: described(t.string, 'Hostname of the load balancer ingress point.'),
    ipMode: described(enumOf('LoadBalancerIPMode', ['VIP', 'Proxy']), 'How the load balancer IP behaves.'),
    ports: described(atomicList(PortStatus), 'Records of the service ports.'),
  },
);

export const ServiceStatus = struct(
  'ServiceStatus',
  {},
  {
    loadBalancer: described(
      struct('LoadBalancerStatus', {}, { ingress: atomicList(LoadBalancerIngress) }),
      'The status of the load balancer, if any.',
    ),
    conditions: described(mergeList(Condition, 'type'), 'The current conditions of the Service.'),
  },
);

export const Service = resource(
  'v1',
  'Service',
  'Service is a named abstraction of a software service: a stable address and ports in front of the pods that match its selector.',
  {},
  {
    spec: described(ServiceSpec, 'The behaviour of the Service.'),
    status: described(ServiceStatus, 'The most recently observed status of the Service.'),
  },
);
export type Service = t.TypeOf<typeof Service>;

export const EndpointAddress = struct(
  'EndpointAddress',
  { ip: described(t.string, 'The IP of this endpoint.') },
  {
    hostname: described(t.string, 'The hostname of this endpoint.'),
    nodeName: described(t.string, 'The node hosting this endpoint.'),
    targetRef: described(ObjectReference, 'The object providing the endpoint, usually a pod.'),
  },
);
export type EndpointAddress = t.TypeOf<typeof EndpointAddress>;

export const EndpointPort = struct(
  'EndpointPort',
  { port: described(int32, 'The port number of the endpoint.') },
  {
    name: described(t.string, 'The name of the port; matches a ServicePort name.'),
    protocol: described(Protocol, 'TCP, UDP or SCTP. Defaults to TCP.'),
    appProtocol: described(t.string, 'The application protocol of this port.'),
  },
);
export type EndpointPort = t.TypeOf<typeof EndpointPort>;

export const EndpointSubset = struct(
  'EndpointSubset',
  {},
  {
    addresses: described(atomicList(EndpointAddress), 'Addresses that are ready to receive traffic.'),
    notReadyAddresses: described(atomicList(EndpointAddress), 'Addresses that are not ready yet.'),
    ports: described(atomicList(EndpointPort), 'Port numbers available on the addresses.'),
  },
);
export type EndpointSubset = t.TypeOf<typeof EndpointSubset>;

export const Endpoints = resource(
  'v1',
  'Endpoints',
  'Endpoints is the set of addresses and ports behind a Service, kept by the endpoints controller.',
  {},
  { subsets: described(atomicList(EndpointSubset), 'Sets of addresses and ports that make up the Service.') },
);
export type Endpoints = t.TypeOf<typeof Endpoints>;
