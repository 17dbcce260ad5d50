/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding. Stored so
 * that manifests and charts apply unchanged; berth does not authorize by them yet. Names are path
 * segments (`system:controller:foo`), as upstream's minimal RBAC name rule.
 */
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../src/api/types';
import { declare } from './builtin';
import type { PrinterColumn } from './kind';
import { age } from './columns';

const unmanaged = (kinds: string) => `berth stores ${kinds} but does not authorize by role yet: every authenticated user may do everything`;

/** Upstream has no printer for roles: the apiserver's default table, Name and Created At. */
const createdAt: PrinterColumn = {
  name: 'Created At',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** ROLE (`Kind/name`) and the wide subject columns are computed by the server, as upstream's printRoleBinding. */
const bindingColumns: PrinterColumn[] = [
  { name: 'Role', type: 'string', jsonPath: '.roleRef.name', description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.' },
  age,
  { name: 'Users', type: 'string', priority: 1, jsonPath: '.subjects[?(@.kind=="User")].name', description: 'Users in the roleBinding' },
  { name: 'Groups', type: 'string', priority: 1, jsonPath: '.subjects[?(@.kind=="Group")].name', description: 'Groups in the roleBinding' },
  { name: 'ServiceAccounts', type: 'string', priority: 1, jsonPath: '.subjects[?(@.kind=="ServiceAccount")].name', description: 'ServiceAccounts in the roleBinding' },
];

export const roles = declare(Role, {
  plural: 'roles',
  scope: 'Namespaced',
  nameRule: 'path-segment',
  unmanaged: unmanaged('Roles'),
  printerColumns: [createdAt],
});

export const clusterRoles = declare(ClusterRole, {
  plural: 'clusterroles',
  scope: 'Cluster',
  nameRule: 'path-segment',
  unmanaged: unmanaged('ClusterRoles'),
  printerColumns: [createdAt],
});

export const roleBindings = declare(RoleBinding, {
  plural: 'rolebindings',
  scope: 'Namespaced',
  nameRule: 'path-segment',
  unmanaged: unmanaged('RoleBindings'),
  printerColumns: bindingColumns,
});

export const clusterRoleBindings = declare(ClusterRoleBinding, {
  plural: 'clusterrolebindings',
  scope: 'Cluster',
  nameRule: 'path-segment',
  unmanaged: unmanaged('ClusterRoleBindings'),
  printerColumns: bindingColumns,
});
