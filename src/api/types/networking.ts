/** networking.k8s.io/v1 Ingress: HTTP routes from hosts and paths to Services. */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, enumOf, struct } from '../codecs';
import { int32 } from '../scalars';
import { Protocol, TypedLocalObjectReference } from './core-common';
import { resource } from './meta';

export const ServiceBackendPort = atomicMap(
  struct(
    'ServiceBackendPort',
    {},
    {
      name: described(t.string, 'Name of the port on the Service; not with number.'),
      number: described(int32, 'Number of the port on the Service, e.g. 80; not with name.'),
    },
  ),
);

export const IngressServiceBackend = struct(
  'IngressServiceBackend',
  { name: described(t.string, "Name of the Service, in the Ingress's namespace.") },
  { port: described(ServiceBackendPort, 'The port of the Service, by name or number.') },
);

export const IngressBackend = struct(
  'IngressBackend',
  {},
  {
    service: described(IngressServiceBackend, 'A Service as the backend; not with resource.'),
    resource: described(TypedLocalObjectReference, "Another object in the Ingress's namespace as the backend; not with service."),
  },
);
export type IngressBackend = t.TypeOf<typeof IngressBackend>;

export const PathType = enumOf('PathType', ['Exact', 'ImplementationSpecific', 'Prefix']);

export const HTTPIngressPath = struct(
  'HTTPIngressPath',
  {
    pathType: described(PathType, 'How the path matches: Exact, Prefix (element by element, split on /) or ImplementationSpecific.'),
    backend: described(IngressBackend, 'Where matching requests go.'),
  },
  { path: described(t.string, 'Matched against the path of a request; must begin with / for Exact and Prefix.') },
);
export type HTTPIngressPath = t.TypeOf<typeof HTTPIngressPath>;

export const HTTPIngressRuleValue = struct('HTTPIngressRuleValue', {
  paths: described(atomicList(HTTPIngressPath), 'Paths that map requests to backends.'),
});

export const IngressRule = struct(
  'IngressRule',
  {},
  {
    host: described(t.string, 'The fully qualified domain name requests must be for, or a wildcard (*.example.com); all hosts when empty. Not an IP.'),
    http: described(HTTPIngressRuleValue, 'The HTTP paths of this host.'),
  },
);
export type IngressRule = t.TypeOf<typeof IngressRule>;

export const IngressTLS = struct(
  'IngressTLS',
  {},
  {
    hosts: described(atomicList(t.string), 'Hosts in the TLS certificate. Defaults to the wildcard host of the load balancer.'),
    secretName: described(t.string, 'Name of the Secret that terminates TLS on port 443; optional for SNI routing alone.'),
  },
);
export type IngressTLS = t.TypeOf<typeof IngressTLS>;

export const IngressSpec = struct(
  'IngressSpec',
  {},
  {
    ingressClassName: described(t.string, 'Name of the IngressClass that serves this Ingress.'),
    defaultBackend: described(IngressBackend, 'Where requests no rule matches go; required without rules.'),
    tls: described(atomicList(IngressTLS), 'TLS configuration; one port, 443, shared by SNI.'),
    rules: described(atomicList(IngressRule), 'Host rules; requests no rule matches go to the default backend.'),
  },
);
export type IngressSpec = t.TypeOf<typeof IngressSpec>;

export const IngressPortStatus = struct(
  'IngressPortStatus',
  {
    port: described(int32, 'The port number of the ingress port.'),
    protocol: described(Protocol, 'TCP, UDP or SCTP.'),
  },
  { error: described(t.string, 'The problem with the port, a CamelCase error or foo.example.com/CamelCase.') },
);

export const IngressLoadBalancerIngress = struct(
  'IngressLoadBalancerIngress',
  {},
  {
    ip: described(t.string, 'IP of an IP-based ingress point.'),
    hostname: described(t.string, 'Hostname of a DNS-based ingress point.'),
    ports: described(atomicList(IngressPortStatus), 'The ports the load balancer exposes.'),
  },
);

export const IngressStatus = struct(
  'IngressStatus',
  {},
  {
    loadBalancer: described(
      struct('IngressLoadBalancerStatus', {}, { ingress: described(atomicList(IngressLoadBalancerIngress), 'The ingress points of the load balancer.') }),
      'The current status of the load balancer.',
    ),
  },
);
export type IngressStatus = t.TypeOf<typeof IngressStatus>;

export const Ingress = resource(
  'networking.k8s.io/v1',
  'Ingress',
  'Ingress routes inbound HTTP(S) requests to Services by host and path; an ingress controller implements it.',
  {},
  {
    spec: described(IngressSpec, 'The desired state of the Ingress.'),
    status: described(IngressStatus, 'The current state of the Ingress; written by its ingress controller.'),
  },
);
export type Ingress = t.TypeOf<typeof Ingress>;
