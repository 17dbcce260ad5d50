/**
 * The endpoints reconciler: keeps the v1 Endpoints named like each Service equal to what its
 * selector's pods offer (subsets.ts). Services without a selector are left alone: their Endpoints
 * are somebody else's. When the Service is gone its Endpoints go too; they have no owner
 * reference (as upstream), so nothing else would delete them.
 */
import { selectorFromSet } from '../../src/api/selector';
import type { Endpoints, Pod, Service } from '../../src/api/types';
import type { ObjectCache, Reconciler, Result } from '../../src/client';
import { splitKey } from '../../src/client';
import { deepEqual } from '../../src/util/json';
import { endpointSubsets } from './subsets';

/** Upstream's label on the Endpoints its controller writes. */
export const MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpoint-controller';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export interface EndpointsApi {
  create(endpoints: Endpoints): Promise<Endpoints>;
  /** A compare-and-swap on the resourceVersion the object carries. */
  update(endpoints: Endpoints): Promise<Endpoints>;
  delete(namespace: string, name: string): Promise<void>;
}

export interface EndpointsReconcilerOptions {
  services: ObjectCache<Service>;
  pods: ObjectCache<Pod>;
  endpoints: ObjectCache<Endpoints>;
  api: EndpointsApi;
}

/** The Services in the pod's namespace whose selector picks the pod. */
export function servicesSelecting(services: ObjectCache<Service>, pod: Pod): string[] {
  const namespace = pod.metadata.namespace ?? '';
  return services
    .list({ namespace })
    .filter((s) => s.spec?.selector !== undefined && selectorFromSet(s.spec.selector).matches(pod.metadata.labels ?? {}))
    .map((s) => `${namespace}/${s.metadata.name}`);
}

/** The labels the Endpoints of `service` carry: the Service's own, ours, and headless when it is. */
export function endpointsLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...service.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY };
  if (service.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

export class EndpointsReconciler implements Reconciler {
  constructor(private readonly options: EndpointsReconcilerOptions) {}

  async reconcile(_ctx: unknown, key: string): Promise<Result | void> {
    const { services, pods, endpoints, api } = this.options;
    const service = services.get(key);
    const current = endpoints.get(key);
    const { namespace = '', name } = splitKey(key);
    if (!service) {
      if (current) await api.delete(namespace, name);
      return;
    }
    const selector = service.spec?.selector;
    if (selector === undefined) return;
    const matched = pods.list({ namespace, labelSelector: selectorFromSet(selector) });
    const subsets = endpointSubsets(service, matched);
    const labels = endpointsLabels(service);
    if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata.labels ?? {}, labels)) return;
    const desired: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: current ? { ...current.metadata, labels } : { name, namespace, labels },
      subsets,
    };
    if (current) await api.update(desired);
    else await api.create(desired);
  }
}
