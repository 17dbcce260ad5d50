/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding. berth stores
 * them so manifests and charts apply unchanged; it does not authorize by them yet.
 */
import * as t from 'io-ts';
import { atomicList, atomicMap, described, struct, withSchema } from '../codecs';
import { LabelSelector, resource } from './meta';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const PolicyRule = struct(
  'PolicyRule',
  { verbs: described(atomicList(t.string), "Verbs that apply to every resource of the rule; '*' means all verbs.") },
  {
    apiGroups: described(atomicList(t.string), 'API groups of the resources; "" is the core group and \'*\' every group.'),
    resources: described(atomicList(t.string), "Resources the rule applies to; '*' means all resources."),
    resourceNames: described(atomicList(t.string), 'Names the rule is limited to; empty means every name.'),
    nonResourceURLs: described(
      atomicList(t.string),
      "Partial URLs (such as /healthz) the rule allows, '*' only as the whole final step; only in ClusterRoles, and not with resources.",
    ),
  },
);
export type PolicyRule = t.TypeOf<typeof PolicyRule>;

export const AggregationRule = struct(
  'AggregationRule',
  {},
  {
    clusterRoleSelectors: described(
      atomicList(LabelSelector),
      "Selectors of the ClusterRoles whose rules are aggregated into this one; any match counts.",
    ),
  },
);
export type AggregationRule = t.TypeOf<typeof AggregationRule>;

export const Subject = atomicMap(
  struct(
    'Subject',
    {
      kind: described(t.string, 'Kind of the subject: User, Group or ServiceAccount.'),
      name: described(t.string, 'Name of the subject.'),
    },
    {
      apiGroup: described(t.string, 'API group of the subject: "" for ServiceAccounts (the default), rbac.authorization.k8s.io for Users and Groups.'),
      namespace: described(t.string, 'Namespace of a ServiceAccount subject; empty for Users and Groups.'),
    },
  ),
);
export type Subject = t.TypeOf<typeof Subject>;

export const RoleRef = atomicMap(
  struct('RoleRef', {
    apiGroup: withSchema(t.string, { description: 'API group of the role; rbac.authorization.k8s.io.', default: RBAC_GROUP }),
    kind: described(t.string, 'Kind of the role: Role or ClusterRole.'),
    name: described(t.string, 'Name of the role.'),
  }),
);
export type RoleRef = t.TypeOf<typeof RoleRef>;

const rules = (whose: string) => described(atomicList(PolicyRule), `The PolicyRules of this ${whose}.`);
const subjects = described(atomicList(Subject), 'The users, groups and service accounts the role is bound to.');

export const Role = resource(
  'rbac.authorization.k8s.io/v1',
  'Role',
  'Role is a namespaced set of PolicyRules that a RoleBinding grants as a unit.',
  {},
  { rules: rules('Role') },
);
export type Role = t.TypeOf<typeof Role>;

export const ClusterRole = resource(
  'rbac.authorization.k8s.io/v1',
  'ClusterRole',
  'ClusterRole is a cluster-wide set of PolicyRules that a RoleBinding or ClusterRoleBinding grants as a unit.',
  {},
  {
    rules: rules('ClusterRole'),
    aggregationRule: described(AggregationRule, 'How the rules are built from other ClusterRoles; when set, a controller owns the rules.'),
  },
);
export type ClusterRole = t.TypeOf<typeof ClusterRole>;

export const RoleBinding = resource(
  'rbac.authorization.k8s.io/v1',
  'RoleBinding',
  "RoleBinding grants a Role of its namespace, or a ClusterRole, to subjects, within the binding's namespace.",
  { roleRef: described(RoleRef, 'The Role or ClusterRole granted. Cannot be changed.') },
  { subjects },
);
export type RoleBinding = t.TypeOf<typeof RoleBinding>;

export const ClusterRoleBinding = resource(
  'rbac.authorization.k8s.io/v1',
  'ClusterRoleBinding',
  'ClusterRoleBinding grants a ClusterRole to subjects in every namespace.',
  { roleRef: described(RoleRef, 'The ClusterRole granted. Cannot be changed.') },
  { subjects },
);
export type ClusterRoleBinding = t.TypeOf<typeof ClusterRoleBinding>;
