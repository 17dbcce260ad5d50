/**
 * The `endpoints` controller loop (see README.md).
 */
import type { Endpoints, Pod, Service } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, kinds } from '../../src/client';
import type { ControllerEntry } from '..';
import { unlessNotFound } from '../../src/api/errors';
import { EndpointsReconciler, MANAGED_BY, MANAGED_BY_LABEL, servicesSelecting } from './reconciler';

export { EndpointsReconciler, MANAGED_BY_LABEL, servicesSelecting } from './reconciler';
export { compareIps, endpointSubsets, findPort, isPodReady, podShouldBeInEndpoints } from './subsets';

export function createEndpointsController(tools: ControllerTools): ControllerDeclaration<Service> {
  const services = tools.informers.for(kinds.Service);
  const pods = tools.informers.for(kinds.Pod);
  const endpoints = tools.informers.for(kinds.Endpoints);
  const client = tools.client.resource(kinds.Endpoints);
  const options = { fieldManager: 'berth-endpoint-controller' };
  return {
    name: 'endpoints',
    for: kinds.Service,
    watches: [
      { kind: kinds.Pod, map: (pod: Pod) => servicesSelecting(services.cache, pod) },
      // Ours changed or deleted by someone else: put them right. Others' Endpoints are theirs.
      { kind: kinds.Endpoints, map: (e: Endpoints) => (e.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? [`${e.metadata.namespace}/${e.metadata.name}`] : []) },
    ],
    workers: 4,
    reconciler: new EndpointsReconciler({
      services: services.cache,
      pods: pods.cache,
      endpoints: endpoints.cache,
      api: {
        create: (e) => client.create(e, options),
        update: (e) => client.update(e, options),
        delete: async (namespace, name) => {
          await unlessNotFound(client.namespace(namespace).delete(name));
        },
      },
    }),
  };
}

export const endpointsEntry: ControllerEntry = {
  name: 'endpoints',
  description: "keeps each Service's Endpoints equal to the ready and unready pods its selector matches",
  create: (tools) => createEndpointsController(tools),
};
