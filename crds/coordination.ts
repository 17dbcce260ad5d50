/** coordination.k8s.io/v1: Lease. */
import { Lease } from '../src/api/types';
import { declare } from './builtin';
import { age } from './columns';

export const leases = declare(Lease, {
  plural: 'leases',
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity', description: 'Identity of the current holder of the lease.' },
    age,
  ],
});
