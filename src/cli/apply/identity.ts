/**
 * Which object a manifest or a recorded apply-set member means, independent of version:
 * group, kind, namespace and name (kubectl's "GKNN"). Prune compares these, never labels.
 */
import type { Obj } from '../../api/object';
import { parseApiVersion } from '../../client';

export interface ObjectIdentity {
  /** '' for the core group. */
  group: string;
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

export function identityOf(obj: Obj): ObjectIdentity {
  const { group } = parseApiVersion(obj.apiVersion ?? '');
  return { group, kind: obj.kind ?? '', namespace: obj.metadata.namespace || undefined, name: obj.metadata.name ?? '' };
}

/** A map key: `apps/Deployment/team/web`, `/Namespace//team`. */
export function identityKey(id: ObjectIdentity): string {
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** `Deployment.apps`, `ConfigMap`: a group-kind as the ApplySet annotations write it. */
export function groupKind(id: Pick<ObjectIdentity, 'group' | 'kind'>): string {
  return id.group ? `${id.kind}.${id.group}` : id.kind;
}

/** `deployment.apps/web`, as kubectl names objects in what it prints. */
export function displayName(id: ObjectIdentity): string {
  return `${groupKind({ group: id.group, kind: id.kind.toLowerCase() })}/${id.name}`;
}

/** `deployment.apps/web`, followed by its namespace when it is not the one the command works in. */
export function describeObject(id: ObjectIdentity, commandNamespace: string): string {
  return id.namespace && id.namespace !== commandNamespace ? `${displayName(id)} (namespace ${id.namespace})` : displayName(id);
}
