/**
 * Store keys: `/registry/<group>/<plural>/<namespace>/<name>` for namespaced resources,
 * `/registry/<group>/<plural>/<name>` for cluster-scoped ones. The core group is spelled `core`.
 * Prefixes end with `/` so that namespace `a` never matches `ab`.
 */

const groupSegment = (group: string): string => group || 'core';

/** All objects of a resource, or those of one namespace when `namespace` is given. */
export function resourcePrefix(group: string, plural: string, namespace?: string): string {
  const base = `/registry/${groupSegment(group)}/${plural}/`;
  return namespace ? `${base}${namespace}/` : base;
}

export function objectKey(group: string, plural: string, namespace: string | undefined, name: string): string {
  return `${resourcePrefix(group, plural, namespace)}${name}`;
}
