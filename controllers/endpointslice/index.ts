/**
 * The `endpointslice` controller loop (see README.md).
 */
import type { EndpointSlice, Pod, Service } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, kinds } from '../../src/client';
import type { ControllerEntry } from '..';
import { unlessNotFound } from '../../src/api/errors';
import { servicesSelecting } from '../endpoints';
import { EndpointSliceReconciler, MANAGED_BY, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './reconciler';

export { EndpointSliceReconciler, MANAGED_BY, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './reconciler';
export { desiredSlices, MAX_ENDPOINTS_PER_SLICE } from './slices';

export function createEndpointSliceController(tools: ControllerTools): ControllerDeclaration<Service> {
  const services = tools.informers.for(kinds.Service);
  const pods = tools.informers.for(kinds.Pod);
  const slices = tools.informers.for(kinds.EndpointSlice);
  const client = tools.client.resource(kinds.EndpointSlice);
  const options = { fieldManager: 'endpointslice-controller' };
  return {
    name: 'endpointslice',
    for: kinds.Service,
    watches: [
      { kind: kinds.Pod, map: (pod: Pod) => servicesSelecting(services.cache, pod) },
      // Ours changed or deleted by someone else: put them right.
      {
        kind: kinds.EndpointSlice,
        map: (s: EndpointSlice) => {
          const service = s.metadata.labels?.[SERVICE_NAME_LABEL];
          return service && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? [`${s.metadata.namespace}/${service}`] : [];
        },
      },
    ],
    workers: 4,
    reconciler: new EndpointSliceReconciler({
      services: services.cache,
      pods: pods.cache,
      slices: slices.cache,
      api: {
        create: (s) => client.create(s, options),
        update: (s) => client.update(s, options),
        delete: async (namespace, name) => {
          await unlessNotFound(client.namespace(namespace).delete(name));
        },
      },
    }),
  };
}

export const endpointSliceEntry: ControllerEntry = {
  name: 'endpointslice',
  description: "keeps each Service's EndpointSlices (discovery.k8s.io/v1) equal to the pods its selector matches, ready, serving or terminating",
  create: (tools) => createEndpointSliceController(tools),
};
