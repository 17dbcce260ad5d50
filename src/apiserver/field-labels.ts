/**
 * The fields each kind can be selected by (`fieldSelector=`), as upstream's `GetAttrs`/field label
 * conversion functions allow. Every kind supports metadata.name and metadata.namespace; a selector
 * on any other field is a 400, so that `describe` never shows unrelated events.
 */
import type { Obj } from '../api/object';
import type { ResourceType } from './registry';

type Getter = (o: Obj) => string | undefined;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const at = (...path: string[]): Getter => (o) => {
  let v: unknown = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return str(v);
};

const common: Record<string, Getter> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

const byKind: Record<string, Record<string, Getter>> = {
  '/Pod': {
    'spec.nodeName': at('spec', 'nodeName'),
    'spec.restartPolicy': at('spec', 'restartPolicy'),
    'spec.schedulerName': at('spec', 'schedulerName'),
    'spec.serviceAccountName': at('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => String(Boolean((o.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork)),
    'status.phase': at('status', 'phase'),
    'status.podIP': at('status', 'podIP'),
    'status.nominatedNodeName': at('status', 'nominatedNodeName'),
  },
  '/Event': {
    'involvedObject.kind': at('involvedObject', 'kind'),
    'involvedObject.namespace': at('involvedObject', 'namespace'),
    'involvedObject.name': at('involvedObject', 'name'),
    'involvedObject.uid': at('involvedObject', 'uid'),
    'involvedObject.apiVersion': at('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': at('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': at('involvedObject', 'fieldPath'),
    reason: at('reason'),
    reportingComponent: at('reportingComponent'),
    source: at('source', 'component'),
    type: at('type'),
  },
  '/Node': { 'spec.unschedulable': (o) => String(Boolean((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable)) },
  '/Namespace': { 'status.phase': at('status', 'phase') },
  '/Secret': { type: at('type') },
  '/Service': { 'spec.clusterIP': at('spec', 'clusterIP'), 'spec.type': at('spec', 'type') },
  '/ReplicationController': { 'status.replicas': at('status', 'replicas') },
  'apps/ReplicaSet': { 'status.replicas': at('status', 'replicas') },
  'batch/Job': { 'status.successful': at('status', 'succeeded') },
};

/** The field labels a kind can be selected by, each with how to read it from an object. */
export function fieldLabels(type: ResourceType): Record<string, Getter> {
  return { ...common, ...byKind[`${type.group}/${type.kind}`] };
}
