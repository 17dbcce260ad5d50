/** networking.k8s.io/v1: Ingress. Not in `all`, as upstream. */
import { Ingress } from '../src/api/types';
import { declare } from './builtin';
import { age } from './columns';

/** HOSTS (the first three, `*` for none) and PORTS (80, or 80, 443 with TLS) are computed by the server. */
export const ingresses = declare(Ingress, {
  plural: 'ingresses',
  shortNames: ['ing'],
  scope: 'Namespaced',
  unmanaged: 'berth stores Ingresses but no ingress controller serves them yet: no traffic is routed',
  printerColumns: [
    { name: 'Class', type: 'string', jsonPath: '.spec.ingressClassName', description: 'The name of the IngressClass resource that should be used for additional configuration' },
    { name: 'Hosts', type: 'string', jsonPath: '.spec.rules[*].host', description: 'Hosts that incoming requests are matched against before the ingress rule' },
    { name: 'Address', type: 'string', jsonPath: '.status.loadBalancer.ingress[*].ip', description: 'Address is a list containing ingress points for the load-balancer' },
    { name: 'Ports', type: 'string', jsonPath: '.spec.tls', description: 'Ports of TLS configurations that open' },
    age,
  ],
});
