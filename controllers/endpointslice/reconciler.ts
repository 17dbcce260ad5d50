/**
 * The EndpointSlice reconciler: keeps the slices labelled kubernetes.io/service-name=<service>
 * (and managed by this controller) equal to slices.ts's contents for each Service with a
 * selector. Existing slices are reused in name order, so a change rewrites the slices it touches
 * instead of replacing them all; new ones are created with generateName `<service>-`. Each slice
 * is owned by its Service, so the garbage collector removes them with it; the reconciler also
 * deletes them when the Service is gone, so this loop works alone too.
 */
import { selectorFromSet } from '../../src/api/selector';
import type { EndpointSlice, Pod, Service } from '../../src/api/types';
import type { ObjectCache, Reconciler, Result } from '../../src/client';
import { splitKey } from '../../src/client';
import { deepEqual } from '../../src/util/json';
import { desiredSlices, SliceContent } from './slices';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

export interface EndpointSliceApi {
  create(slice: EndpointSlice): Promise<EndpointSlice>;
  /** A compare-and-swap on the resourceVersion the object carries. */
  update(slice: EndpointSlice): Promise<EndpointSlice>;
  delete(namespace: string, name: string): Promise<void>;
}

export interface EndpointSliceReconcilerOptions {
  services: ObjectCache<Service>;
  pods: ObjectCache<Pod>;
  slices: ObjectCache<EndpointSlice>;
  api: EndpointSliceApi;
}

/** The slices this controller wrote for the Service `namespace/name`, in name order. */
export function slicesOf(slices: ObjectCache<EndpointSlice>, namespace: string, name: string): EndpointSlice[] {
  return slices
    .list({ namespace })
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY)
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/** The labels of a Service's slices: the Service's own, then ours (as upstream). */
export function sliceLabels(service: Service): Record<string, string> {
  return { ...service.metadata.labels, [SERVICE_NAME_LABEL]: service.metadata.name!, [MANAGED_BY_LABEL]: MANAGED_BY };
}

export class EndpointSliceReconciler implements Reconciler {
  constructor(private readonly options: EndpointSliceReconcilerOptions) {}

  async reconcile(_ctx: unknown, key: string): Promise<Result | void> {
    const { services, pods, slices, api } = this.options;
    const { namespace = '', name } = splitKey(key);
    const service = services.get(key);
    const existing = slicesOf(slices, namespace, name);
    if (!service || service.spec?.selector === undefined) {
      // Gone (or no longer selecting): its slices go. A Service without a selector has none of ours.
      for (const slice of existing) await api.delete(namespace, slice.metadata.name!);
      return;
    }
    const matched = pods.list({ namespace, labelSelector: selectorFromSet(service.spec.selector) });
    const wanted = desiredSlices(service, matched);
    const labels = sliceLabels(service);
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: service.metadata.uid!, controller: true, blockOwnerDeletion: true };
    for (let i = 0; i < Math.max(wanted.length, existing.length); i++) {
      const content = wanted[i];
      const current = existing[i];
      if (!content) await api.delete(namespace, current.metadata.name!);
      else if (!current) await api.create(slice({ generateName: `${name}-`, namespace, labels, ownerReferences: [owner] }, content));
      else if (!same(current, content, labels, owner.uid)) await api.update(slice({ ...current.metadata, labels, ownerReferences: [owner] }, content));
    }
  }
}

function slice(metadata: EndpointSlice['metadata'], content: SliceContent): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: content.endpoints, ports: content.ports };
}

function same(current: EndpointSlice, content: SliceContent, labels: Record<string, string>, ownerUid: string): boolean {
  return (
    deepEqual(current.endpoints ?? [], content.endpoints) &&
    deepEqual(current.ports ?? [], content.ports) &&
    deepEqual(current.metadata.labels ?? {}, labels) &&
    current.metadata.ownerReferences?.[0]?.uid === ownerUid
  );
}
