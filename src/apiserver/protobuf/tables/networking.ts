/**
 * api `networking/v1` `generated.proto` (package `networking`): Ingress, which
 * `kubectl create ingress` sends as protobuf.
 */
import type { PackageTables } from '../schema';

export const networking: PackageTables = {
  Ingress: ['meta.ObjectMeta metadata = 1', 'IngressSpec spec = 2', 'IngressStatus status = 3'],
  IngressSpec: [
    'optional string ingressClassName = 4',
    'IngressBackend defaultBackend = 1',
    'repeated IngressTLS tls = 2',
    'repeated IngressRule rules = 3',
  ],
  IngressBackend: ['IngressServiceBackend service = 4', 'core.TypedLocalObjectReference resource = 3'],
  IngressServiceBackend: ['optional string name = 1', 'ServiceBackendPort port = 2'],
  ServiceBackendPort: ['string name = 1', 'int32 number = 2'],
  IngressTLS: ['repeated string hosts = 1', 'string secretName = 2'],
  IngressRule: ['string host = 1', 'inline IngressRuleValue ingressRuleValue = 2'],
  IngressRuleValue: ['HTTPIngressRuleValue http = 1'],
  HTTPIngressRuleValue: ['repeated HTTPIngressPath paths = 1'],
  HTTPIngressPath: ['string path = 1', 'optional string pathType = 3', 'IngressBackend backend = 2'],
  IngressStatus: ['IngressLoadBalancerStatus loadBalancer = 1'],
  IngressLoadBalancerStatus: ['repeated IngressLoadBalancerIngress ingress = 1'],
  IngressLoadBalancerIngress: ['string ip = 1', 'string hostname = 2', 'repeated IngressPortStatus ports = 4'],
  IngressPortStatus: ['optional int32 port = 1', 'optional string protocol = 2', 'optional string error = 3'],
};
