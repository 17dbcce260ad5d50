/**
 * rbac.authorization.k8s.io/v1 (upstream's pkg/apis/rbac/validation and v1 defaults). Rules need
 * verbs, and either resources (with API groups) or non-resource URLs, the latter only in a
 * ClusterRole. A binding refers to a role of this group (a Role or ClusterRole from a
 * RoleBinding, a ClusterRole from a ClusterRoleBinding) and may never change it; its subjects are
 * Users, Groups (of this group) and ServiceAccounts (of the core group, with a namespace in a
 * ClusterRoleBinding). Names of roles and bindings are path segments (see crds/rbac.ts).
 */
import type { Cause } from '../../api/errors';
import { isValidPathSegmentName } from '../../api/names';
import type { Obj } from '../../api/object';
import type { ClusterRole, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '../../api/types';
import { RBAC_GROUP } from '../../api/types';
import type { AdmissionRequest } from './admission';
import { child, index, invalid, notSupported, required, Unquoted } from './field-errors';
import type { AdmissionPlugin } from './index';
import { onKind } from './kinds';
import { dnsSubdomainCauses } from './validate-common';

export const roleValidation = onKind('role-validation', RBAC_GROUP, 'Role', {
  validate: (obj) => rulesCauses((obj as Role).rules, true),
});

export const clusterRoleValidation = onKind('cluster-role-validation', RBAC_GROUP, 'ClusterRole', {
  validate: (obj) => rulesCauses((obj as ClusterRole).rules, false),
});

function rulesCauses(rules: PolicyRule[] | undefined, namespaced: boolean): Cause[] {
  return (rules ?? []).flatMap((rule, i) => policyRuleCauses(rule, namespaced, index('rules', i)));
}

/** upstream `validatePolicyRule`. */
export function policyRuleCauses(rule: PolicyRule, namespaced: boolean, path: string): Cause[] {
  const causes: Cause[] = [];
  if (rule.verbs.length === 0) causes.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const apiGroups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  const resourceNames = rule.resourceNames ?? [];
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    const field = child(path, 'nonResourceURLs');
    if (namespaced) causes.push(invalid(field, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (apiGroups.length > 0 || resources.length > 0 || resourceNames.length > 0) {
      causes.push(invalid(field, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (apiGroups.length === 0) causes.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (resources.length === 0) causes.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  // upstream reports this one as Required too.
  if (resourceNames.length > 0 && resources.length > 1) causes.push(required(child(path, 'resourceNames'), 'resource names cannot apply to multiple resources'));
  return causes;
}

/** upstream's v1 defaults: the role's group when roleRef names none, the group each subject kind belongs to. */
function bindingDefaults(obj: Obj): void {
  const binding = obj as RoleBinding;
  if (!binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  for (const subject of binding.subjects ?? []) {
    if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = RBAC_GROUP;
  }
}

function bindingValidation(name: string, kind: 'RoleBinding' | 'ClusterRoleBinding'): AdmissionPlugin {
  const namespaced = kind === 'RoleBinding';
  const roleKinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  return onKind(name, RBAC_GROUP, kind, {
    mutate: bindingDefaults,
    validate(obj: Obj, { old }: AdmissionRequest) {
      const binding = obj as RoleBinding;
      const causes = [
        ...roleRefCauses(binding.roleRef, roleKinds),
        ...(binding.subjects ?? []).flatMap((subject, i) => subjectCauses(subject, namespaced, index('subjects', i))),
      ];
      const before = old && (old as RoleBinding).roleRef;
      if (before && !sameRoleRef(before, binding.roleRef)) causes.push(invalid('roleRef', goRoleRef(binding.roleRef), 'cannot change roleRef'));
      return causes;
    },
  });
}

export const roleBindingValidation = bindingValidation('role-binding-validation', 'RoleBinding');
export const clusterRoleBindingValidation = bindingValidation('cluster-role-binding-validation', 'ClusterRoleBinding');

function roleRefCauses(roleRef: RoleRef, kinds: string[]): Cause[] {
  const causes: Cause[] = [];
  if (roleRef.apiGroup !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', roleRef.apiGroup, [RBAC_GROUP]));
  if (!kinds.includes(roleRef.kind)) causes.push(notSupported('roleRef.kind', roleRef.kind, kinds));
  if (!roleRef.name) causes.push(required('roleRef.name'));
  else causes.push(...isValidPathSegmentName(roleRef.name).map((p) => invalid('roleRef.name', roleRef.name, p)));
  return causes;
}

/** upstream `validateRoleBindingSubject`. */
function subjectCauses(subject: Subject, namespaced: boolean, path: string): Cause[] {
  const causes: Cause[] = [];
  const name = child(path, 'name');
  if (!subject.name) causes.push(required(name));
  switch (subject.kind) {
    case 'ServiceAccount':
      // upstream's ValidateServiceAccountName: a DNS subdomain.
      if (subject.name) causes.push(...dnsSubdomainCauses(subject.name, name));
      if (subject.apiGroup) causes.push(notSupported(child(path, 'apiGroup'), subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) causes.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (!subject.name) causes.push(invalid(name, subject.name, `${subject.kind.toLowerCase()} name cannot be empty`));
      if (subject.apiGroup !== RBAC_GROUP) causes.push(notSupported(child(path, 'apiGroup'), subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(child(path, 'kind'), subject.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

function sameRoleRef(a: RoleRef, b: RoleRef): boolean {
  return a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name;
}

/** The roleRef as Go's `%#v` prints it in upstream's message. */
function goRoleRef(roleRef: RoleRef): Unquoted {
  return new Unquoted(`rbac.RoleRef{APIGroup:${JSON.stringify(roleRef.apiGroup)}, Kind:${JSON.stringify(roleRef.kind)}, Name:${JSON.stringify(roleRef.name)}}`);
}
