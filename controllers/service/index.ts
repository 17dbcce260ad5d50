/**
 * The `service` controller loop: ClusterIP and nodePort allocation (see README.md).
 */
import { unlessNotFound } from '../../src/api/errors';
import type { Lease, Service } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, kinds } from '../../src/client';
import type { ControllerEntry, ControllerSettings } from '..';
import { ALLOCATED_CONDITION, CLUSTER_IP_INDEX, NODE_PORT_INDEX, ServiceAllocator } from './allocator';
import { CLAIM_KIND_LABEL, CLAIM_NAMESPACE, claimSelector, HOLDER_INDEX } from './claims';
import { parseClusterIpRange, parseNodePortRange } from './ranges';

export { ALLOCATED_CONDITION, ServiceAllocator } from './allocator';
export { parseClusterIpRange, parseNodePortRange } from './ranges';

export function createServiceController(tools: ControllerTools, settings: Pick<ControllerSettings, 'serviceClusterIpRange' | 'nodePortRange' | 'now'>): ControllerDeclaration<Service> {
  const services = tools.informers.for(kinds.Service);
  const claims = tools.informers.for(kinds.Lease, { namespace: CLAIM_NAMESPACE, labelSelector: claimSelector });
  services.addIndex(CLUSTER_IP_INDEX, (s) => {
    const ip = s.spec?.clusterIP;
    return ip && ip !== 'None' ? [ip] : [];
  });
  services.addIndex(NODE_PORT_INDEX, (s) => (s.spec?.ports ?? []).map((p) => String(p.nodePort ?? 0)).filter((p) => p !== '0'));
  claims.addIndex(HOLDER_INDEX, (l) => (l.spec?.holderIdentity ? [l.spec.holderIdentity] : []));

  const serviceClient = tools.client.resource(kinds.Service);
  const claimClient = tools.client.resource(kinds.Lease, CLAIM_NAMESPACE);
  const events = tools.recorder('service-controller');
  const allocator = new ServiceAllocator({
    services: services.cache,
    claims: claims.cache,
    clusterIps: parseClusterIpRange(settings.serviceClusterIpRange),
    nodePorts: parseNodePortRange(settings.nodePortRange),
    now: settings.now,
    event: (service, type, reason, message) => events.event(service, type, reason, message),
    api: {
      getService: (namespace, name) => unlessNotFound(serviceClient.namespace(namespace).get(name)),
      updateService: (service) => serviceClient.update(service, { fieldManager: 'berth-service-controller' }),
      updateServiceStatus: (service) => serviceClient.updateStatus(service, { fieldManager: 'berth-service-controller' }),
      getClaim: (name) => unlessNotFound(claimClient.get(name)),
      listClaimNames: async (kind) => new Set((await claimClient.list({ labelSelector: `${CLAIM_KIND_LABEL}=${kind}` })).items.map((l) => l.metadata.name!)),
      createClaim: async (claim) => {
        await claimClient.create(claim, { fieldManager: 'berth-service-controller' });
      },
      deleteClaim: async (lease: Lease) => {
        await unlessNotFound(claimClient.delete(lease.metadata.name!, { preconditions: { uid: lease.metadata.uid, resourceVersion: lease.metadata.resourceVersion } }));
      },
    },
  });
  return {
    name: 'service',
    for: kinds.Service,
    // A claim changing concerns its holder; one released may be what a Service waiting on a full range needs.
    watches: [{ kind: kinds.Lease, scope: { namespace: CLAIM_NAMESPACE, labelSelector: claimSelector }, map: (l: Lease) => [...(l.spec?.holderIdentity ? [l.spec.holderIdentity] : []), ...allocator.waiting] }],
    workers: 4,
    reconciler: allocator,
  };
}

export const serviceEntry: ControllerEntry = {
  name: 'service',
  description: 'allocates ClusterIPs and nodePorts to Services, and releases them',
  create: (tools, settings) => createServiceController(tools, settings),
};
