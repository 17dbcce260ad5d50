/** discovery.k8s.io/v1: EndpointSlice. Maintained by the EndpointSlice controller, so not unmanaged. */
import { EndpointSlice } from '../src/api/types';
import { declare } from './builtin';
import { age } from './columns';

/** PORTS and ENDPOINTS (the first three, and how many more) are computed by the server. */
export const endpointSlices = declare(EndpointSlice, {
  plural: 'endpointslices',
  scope: 'Namespaced',
  printerColumns: [
    { name: 'AddressType', type: 'string', jsonPath: '.addressType', description: 'The type of every address in the slice.' },
    { name: 'Ports', type: 'string', jsonPath: '.ports[*].port', description: 'Ports every endpoint of the slice exposes.' },
    { name: 'Endpoints', type: 'string', jsonPath: '.endpoints[*].addresses', description: 'Addresses of the endpoints of the slice.' },
    age,
  ],
});
