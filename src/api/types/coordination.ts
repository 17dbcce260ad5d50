/** coordination.k8s.io/v1 Lease: leader election and node heartbeats. */
import * as t from 'io-ts';
import { described, struct } from '../codecs';
import { int32, microTime } from '../scalars';
import { resource } from './meta';

export const LeaseSpec = struct(
  'LeaseSpec',
  {},
  {
    holderIdentity: described(t.string, 'Identity of the current holder of the lease.'),
    leaseDurationSeconds: described(int32, 'Seconds candidates wait after the last renewal before taking the lease.'),
    acquireTime: described(microTime, 'When the current lease was acquired.'),
    renewTime: described(microTime, 'When the current holder last renewed the lease.'),
    leaseTransitions: described(int32, 'How many times the lease changed holders.'),
    strategy: described(t.string, 'The strategy for picking the leader in coordinated leader election.'),
    preferredHolder: described(t.string, 'Signals the holder that it should give up the lease.'),
  },
);
export type LeaseSpec = t.TypeOf<typeof LeaseSpec>;

export const Lease = resource(
  'coordination.k8s.io/v1',
  'Lease',
  'Lease is a lock with a holder and an expiry, used for leader election and heartbeats.',
  {},
  { spec: described(LeaseSpec, 'The specification of the Lease.') },
);
export type Lease = t.TypeOf<typeof Lease>;
