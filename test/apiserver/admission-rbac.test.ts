/**
 * Roles, ClusterRoles and their bindings with upstream's paths and messages
 * (pkg/apis/rbac/validation): rules, role references, subjects, path-segment names, the v1
 * defaults, and a roleRef that never changes.
 */
import { admit, admitUpdate, described } from './admission-support';

const rbac = 'rbac.authorization.k8s.io';
const apiVersion = `${rbac}/v1`;
const causesOf = (obj: object): string[] => described(admit(obj).causes);
const role = (rules: object[], kind = 'Role') => ({ apiVersion, kind, metadata: { name: 'reader' }, rules });
const binding = (roleRef: object, subjects: object[] = [], kind = 'RoleBinding') => ({ apiVersion, kind, metadata: { name: 'readers' }, roleRef, subjects });
const clusterRole = (name: string) => ({ apiGroup: rbac, kind: 'ClusterRole', name });

describe('Role and ClusterRole rules', () => {
  it('accepts resource rules, and non-resource URLs in a ClusterRole', () => {
    expect(causesOf(role([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]))).toEqual([]);
    expect(causesOf(role([{ verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] }], 'ClusterRole'))).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['no verbs, groups or resources', { verbs: [] }, [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]],
    ['resource names over several resources', { verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['x'] }, [
      'rules[0].resourceNames: Required value: resource names cannot apply to multiple resources',
    ]],
    ['non-resource URLs in a namespaced Role, with resources', { verbs: ['get'], resources: ['pods'], nonResourceURLs: ['/healthz'] }, [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
    ]],
  ])('rejects a Role rule with %s', (_what, rule, expected) => {
    expect(causesOf(role([rule]))).toEqual(expected);
  });

  it('requires verbs in every rule', () => {
    expect(causesOf(role([{ apiGroups: [''], resources: ['pods'] }], 'ClusterRole'))).toEqual(['rules[0].verbs: Required value']);
  });

  it('takes names that are path segments, such as system:controller:foo, and refuses "." and "/"', () => {
    const named = (name: string) => ({ ...role([], 'ClusterRole'), metadata: { name } });
    expect(causesOf(named('system:controller:job-controller'))).toEqual([]);
    expect(causesOf(named('..'))).toEqual(['metadata.name: Invalid value: "..": may not be \'..\'']);
    expect(causesOf(named('a/b'))).toEqual(['metadata.name: Invalid value: "a/b": may not contain \'/\'']);
  });
});

describe('RoleBinding and ClusterRoleBinding', () => {
  it('defaults the role group and the group of User and Group subjects, as upstream v1 does', () => {
    const { object, causes } = admit(binding({ kind: 'Role', name: 'reader' }, [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'ci' }]));
    expect(causes).toEqual([]);
    expect(object).toMatchObject({
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice', apiGroup: rbac }, { kind: 'ServiceAccount', name: 'ci' }],
    });
    expect((object.subjects as object[])[1]).not.toHaveProperty('apiGroup');
  });

  it('refuses a role of another group or kind, naming the roleRef fields', () => {
    expect(causesOf(binding({ apiGroup: 'example.com', kind: 'Policy', name: 'a/b' }))).toEqual([
      'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Policy": supported values: "Role", "ClusterRole"',
      'roleRef.name: Invalid value: "a/b": may not contain \'/\'',
    ]);
    expect(causesOf(binding({ apiGroup: rbac, kind: 'Role', name: '' }, [], 'ClusterRoleBinding'))).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'roleRef.name: Required value',
    ]);
    expect(causesOf({ apiVersion, kind: 'RoleBinding', metadata: { name: 'x' } })).toEqual(['roleRef: Required value']);
  });

  it('checks subjects: their kind, group, names, and the namespace of a service account bound cluster-wide', () => {
    const subjects = [
      { kind: 'ServiceAccount', apiGroup: rbac, name: 'Builder' },
      { kind: 'User', apiGroup: 'example.com', name: 'alice' },
      { kind: 'Group', name: '' },
      { kind: 'Robot', name: 'r2' },
    ];
    expect(causesOf(binding(clusterRole('view'), subjects, 'ClusterRoleBinding'))).toEqual([
      expect.stringMatching(/^subjects\[0\]\.name: Invalid value: "Builder": a lowercase RFC 1123 subdomain/),
      'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
      'subjects[0].namespace: Required value',
      'subjects[1].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'subjects[2].name: Required value',
      'subjects[2].name: Invalid value: "": group name cannot be empty',
      'subjects[3].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    expect(causesOf(binding(clusterRole('view'), [{ kind: 'ServiceAccount', name: 'ci' }]))).toEqual([]);
  });

  it.each(['RoleBinding', 'ClusterRoleBinding'])('%s: the roleRef cannot change, the subjects can', (kind) => {
    const old = binding(clusterRole('view'), [{ kind: 'User', name: 'alice' }], kind);
    expect(described(admitUpdate(old, (o) => ((o.roleRef as { name: string }).name = 'edit')).causes)).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    ]);
    expect(admitUpdate(old, (o) => (o.subjects = [{ kind: 'Group', apiGroup: rbac, name: 'devs' }])).causes).toEqual([]);
  });
});
