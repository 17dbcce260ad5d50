/**
 * api `rbac/v1` `generated.proto` (package `rbac`): the roles and bindings that
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding` send as protobuf.
 */
import type { PackageTables } from '../schema';

export const rbac: PackageTables = {
  Role: ['meta.ObjectMeta metadata = 1', 'repeated PolicyRule rules = 2'],
  ClusterRole: ['meta.ObjectMeta metadata = 1', 'repeated PolicyRule rules = 2', 'AggregationRule aggregationRule = 3'],
  RoleBinding: ['meta.ObjectMeta metadata = 1', 'repeated Subject subjects = 2', 'RoleRef roleRef = 3'],
  ClusterRoleBinding: ['meta.ObjectMeta metadata = 1', 'repeated Subject subjects = 2', 'RoleRef roleRef = 3'],
  PolicyRule: [
    'repeated string verbs = 1',
    'repeated string apiGroups = 2',
    'repeated string resources = 3',
    'repeated string resourceNames = 4',
    'repeated string nonResourceURLs = 5',
  ],
  AggregationRule: ['repeated meta.LabelSelector clusterRoleSelectors = 1'],
  Subject: ['optional string kind = 1', 'string apiGroup = 2', 'optional string name = 3', 'string namespace = 4'],
  RoleRef: ['optional string apiGroup = 1', 'optional string kind = 2', 'optional string name = 3'],
};
