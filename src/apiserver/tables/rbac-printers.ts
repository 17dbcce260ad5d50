/**
 * `kubectl get rolebindings, clusterrolebindings`, cell for cell as upstream's printRoleBinding
 * and printClusterRoleBinding (kubernetes `pkg/printers/internalversion/printers.go`). Roles and
 * ClusterRoles have no printer upstream and print Name and Created At (`createdAtPrinter`).
 */
import type { Obj } from '../../api/object';
import type { RoleBinding, Subject } from '../../api/types';
import { ageColumn, column, nameColumn, objectAge } from './cells';
import type { Printer } from './table';

/** Both binding kinds share upstream's columns; ROLE is `Kind/name`, the wide cells list subjects. */
export const roleBindingPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      'Role',
      'string',
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
    ),
    ageColumn,
    column('Users', 'string', 'Users in the roleBinding', 1),
    column('Groups', 'string', 'Groups in the roleBinding', 1),
    column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1),
  ],
  cells(object: Obj, now: number): unknown[] {
    const binding = object as unknown as RoleBinding;
    const { users, groups, serviceAccounts } = subjectNames(binding.subjects ?? []);
    return [
      binding.metadata.name,
      `${binding.roleRef.kind}/${binding.roleRef.name}`,
      objectAge(object, now),
      users.join(', '),
      groups.join(', '),
      serviceAccounts.join(', '),
    ];
  },
};

/** Upstream `rbac.SubjectsStrings`: user and group names, service accounts as `namespace/name`. */
export function subjectNames(subjects: readonly Subject[]): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const names = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const subject of subjects) {
    if (subject.kind === 'User') names.users.push(subject.name);
    else if (subject.kind === 'Group') names.groups.push(subject.name);
    else if (subject.kind === 'ServiceAccount') names.serviceAccounts.push(`${subject.namespace ?? ''}/${subject.name}`);
  }
  return names;
}
