/**
 * `KindRef<T>`: what the client needs to address a kind over HTTP (group, version, plural, scope)
 * and, as a type parameter only, the TypeScript type of its objects. The built-in kinds come
 * typed from their codecs (`kinds.Pod` is a `KindRef<Pod>`); custom kinds come from a
 * `KindDeclaration` or from discovery (`Client.discover`).
 */
import { builtinKind, groupVersion } from '../../crds';
import type { KindDeclaration } from '../../crds';
import type { Obj } from '../api/object';
import type {
  ConfigMap,
  CronJob,
  CustomResourceDefinition,
  DaemonSet,
  Deployment,
  Endpoints,
  EndpointSlice,
  Event,
  Ingress,
  Job,
  Lease,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  StatefulSet,
} from '../api/types';

export interface KindRef<T extends Obj = Obj> {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Only carries the object type; never set. */
  readonly __object?: T;
}

/** A reference to a declared kind, typed as `T` (a built-in's codec type, or your CRD's). */
export function kindRef<T extends Obj = Obj>(decl: Pick<KindDeclaration, 'group' | 'version' | 'kind' | 'plural' | 'scope'>): KindRef<T> {
  return { group: decl.group, version: decl.version, kind: decl.kind, plural: decl.plural, namespaced: decl.scope === 'Namespaced' };
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(ref: Pick<KindRef, 'group' | 'version'>): string {
  return groupVersion(ref);
}

/** `deployments.apps` — how messages name a resource. */
export function resourceName(ref: Pick<KindRef, 'group' | 'plural'>): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}

/** `apps/v1` → `{ group: 'apps', version: 'v1' }`; `v1` → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function builtin<T extends Obj>(group: string, version: string, kind: string): KindRef<T> {
  const decl = builtinKind(group, version, kind);
  if (!decl) throw new Error(`the built-in kind ${group}/${version} ${kind} is not declared in crds/`);
  return kindRef<T>(decl);
}

/** Every built-in kind, typed. */
export const kinds = {
  Namespace: builtin<Namespace>('', 'v1', 'Namespace'),
  Node: builtin<Node>('', 'v1', 'Node'),
  Pod: builtin<Pod>('', 'v1', 'Pod'),
  Service: builtin<Service>('', 'v1', 'Service'),
  Endpoints: builtin<Endpoints>('', 'v1', 'Endpoints'),
  Event: builtin<Event>('', 'v1', 'Event'),
  ConfigMap: builtin<ConfigMap>('', 'v1', 'ConfigMap'),
  Secret: builtin<Secret>('', 'v1', 'Secret'),
  ReplicaSet: builtin<ReplicaSet>('apps', 'v1', 'ReplicaSet'),
  Deployment: builtin<Deployment>('apps', 'v1', 'Deployment'),
  Job: builtin<Job>('batch', 'v1', 'Job'),
  CronJob: builtin<CronJob>('batch', 'v1', 'CronJob'),
  Lease: builtin<Lease>('coordination.k8s.io', 'v1', 'Lease'),
  CustomResourceDefinition: builtin<CustomResourceDefinition>('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'),
  EndpointSlice: builtin<EndpointSlice>('discovery.k8s.io', 'v1', 'EndpointSlice'),
  PersistentVolumeClaim: builtin<PersistentVolumeClaim>('', 'v1', 'PersistentVolumeClaim'),
  PersistentVolume: builtin<PersistentVolume>('', 'v1', 'PersistentVolume'),
  ReplicationController: builtin<ReplicationController>('', 'v1', 'ReplicationController'),
  DaemonSet: builtin<DaemonSet>('apps', 'v1', 'DaemonSet'),
  StatefulSet: builtin<StatefulSet>('apps', 'v1', 'StatefulSet'),
  Ingress: builtin<Ingress>('networking.k8s.io', 'v1', 'Ingress'),
  ResourceQuota: builtin<ResourceQuota>('', 'v1', 'ResourceQuota'),
  LimitRange: builtin<LimitRange>('', 'v1', 'LimitRange'),
};

/** The cache and queue key of an object: `namespace/name`, or `name` for cluster-scoped ones (client-go's MetaNamespaceKeyFunc). */
export function keyOf(obj: Pick<Obj, 'metadata'>): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

/** The namespace and name in a key made by `keyOf`. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
