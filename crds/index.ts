/**
 * Every kind berth serves out of the box, and lookups over any list of declarations (the
 * built-ins plus the kinds users add with CustomResourceDefinitions).
 */
import { customResourceDefinitions } from './apiextensions';
import { daemonSets, deployments, replicaSets, statefulSets } from './apps';
import { cronJobs, jobs } from './batch';
import type { BuiltinKind } from './builtin';
import { leases } from './coordination';
import {
  configMaps,
  endpoints,
  events,
  limitRanges,
  namespaces,
  nodes,
  persistentVolumeClaims,
  persistentVolumes,
  pods,
  replicationControllers,
  resourceQuotas,
  secrets,
  serviceAccounts,
  services,
} from './core';
import { endpointSlices } from './discovery';
import type { KindDeclaration } from './kind';
import { ingresses } from './networking';
import { podDisruptionBudgets } from './policy';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './rbac';

export type { BuiltinKind } from './builtin';
export type { KindDeclaration, PrinterColumn, ScaleSubresource } from './kind';
export { groupVersion } from './kind';
export { fromCustomResourceDefinition, validateCustomResourceDefinition } from './custom-resource';

/** In discovery order: groups as they first appear, kinds in order within their group (`kubectl get all`). */
export const builtinKinds: BuiltinKind[] = [
  namespaces,
  nodes,
  pods,
  replicationControllers,
  services,
  endpoints,
  events,
  configMaps,
  secrets,
  persistentVolumeClaims,
  persistentVolumes,
  serviceAccounts,
  resourceQuotas,
  limitRanges,
  daemonSets,
  replicaSets,
  deployments,
  statefulSets,
  jobs,
  cronJobs,
  ingresses,
  podDisruptionBudgets,
  endpointSlices,
  leases,
  customResourceDefinitions,
  clusterRoleBindings,
  clusterRoles,
  roleBindings,
  roles,
];

/** The declaration of `group`/`version`/`kind`, if served. */
export function findKind<D extends KindDeclaration>(decls: readonly D[], group: string, version: string, kind: string): D | undefined {
  return decls.find((d) => d.group === group && d.version === version && d.kind === kind);
}

/** The declaration of a resource by its plural name (the URL segment), if served. */
export function findResource<D extends KindDeclaration>(decls: readonly D[], group: string, version: string, plural: string): D | undefined {
  return decls.find((d) => d.group === group && d.version === version && d.plural === plural);
}

/**
 * What kubectl accepts as a resource name: plural, singular, short name or kind, any case,
 * optionally qualified by group (`deployments.apps`, `deploy.apps`). Every version matches.
 */
export function resolveResource<D extends KindDeclaration>(decls: readonly D[], name: string): D[] {
  const lower = name.toLowerCase();
  return decls.filter((d) => {
    const names = [d.plural, d.singular, d.kind.toLowerCase(), ...d.shortNames];
    return names.some((n) => lower === n || (d.group !== '' && lower === `${n}.${d.group}`));
  });
}

/** The declarations in a category, e.g. `all` for `kubectl get all`. */
export function inCategory<D extends KindDeclaration>(decls: readonly D[], category: string): D[] {
  return decls.filter((d) => d.categories.includes(category));
}

/** The built-in declaration of `group`/`version`/`kind`, with its codec. */
export function builtinKind(group: string, version: string, kind: string): BuiltinKind | undefined {
  return findKind(builtinKinds, group, version, kind);
}
