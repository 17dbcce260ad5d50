/**
 * Roles, ClusterRoles and their bindings through the real kubectl 1.32, on both store backends:
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding` (protobuf bodies), `apply -f`
 * of a manifest with all four kinds (created, then unchanged), upstream's `get` tables, the
 * warning that berth does not authorize by role yet, a 422 naming the roleRef fields, and a
 * roleRef that cannot change.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { KubectlSession, tableRows } from './session';

const rbac = 'rbac.authorization.k8s.io';
const apiVersion = `${rbac}/v1`;
const warning = (kinds: string) => `Warning: berth stores ${kinds} but does not authorize by role yet: every authenticated user may do everything\n`;
const manifests = (...objects: object[]) => objects.map((o) => YAML.stringify(o)).join('---\n');

const chart = [
  { apiVersion, kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-view:widgets' }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }] },
  { apiVersion, kind: 'Role', metadata: { name: 'config-editor' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }] },
  {
    apiVersion,
    kind: 'RoleBinding',
    metadata: { name: 'config-editors' },
    roleRef: { apiGroup: rbac, kind: 'Role', name: 'config-editor' },
    subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'default' }, { kind: 'Group', apiGroup: rbac, name: 'editors' }],
  },
  {
    apiVersion,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'widget-viewers' },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'system:aggregate-to-view:widgets' },
    subjects: [{ kind: 'User', apiGroup: rbac, name: 'alice' }],
  },
];

/** The rows of a table as objects keyed by header. */
const rowsOf = (output: string): Record<string, string>[] => {
  const [header, ...rows] = tableRows(output);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl and RBAC kinds over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('creates a ClusterRole and a RoleBinding with kubectl create, warning that roles are only stored', async () => {
    expect(await kubectl.run(['create', 'clusterrole', 'reader', '--verb=get,list', '--resource=pods'])).toEqual({
      code: 0,
      stdout: 'clusterrole.rbac.authorization.k8s.io/reader created\n',
      stderr: warning('ClusterRoles'),
    });
    expect(await kubectl.run(['create', 'rolebinding', 'readers', '--clusterrole=reader', '--user=bob', '--serviceaccount=default:ci'])).toEqual({
      code: 0,
      stdout: 'rolebinding.rbac.authorization.k8s.io/readers created\n',
      stderr: warning('RoleBindings'),
    });
    const role = await kubectl.json(['get', 'clusterrole', 'reader']);
    expect(role.rules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
    const binding = await kubectl.json(['get', 'rolebinding', 'readers']);
    expect(binding).toMatchObject({
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'User', apiGroup: rbac, name: 'bob' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'default' }],
    });
  });

  it('applies a chart with all four kinds, then finds nothing to change', async () => {
    const file = kubectl.file('rbac.yaml', manifests(...chart));
    const first = await kubectl.run(['apply', '-f', file]);
    expect(first.stdout).toBe(
      'clusterrole.rbac.authorization.k8s.io/system:aggregate-to-view:widgets created\n' +
        'role.rbac.authorization.k8s.io/config-editor created\n' +
        'rolebinding.rbac.authorization.k8s.io/config-editors created\n' +
        'clusterrolebinding.rbac.authorization.k8s.io/widget-viewers created\n',
    );
    expect(first.stderr).toBe(warning('ClusterRoles') + warning('Roles') + warning('RoleBindings') + warning('ClusterRoleBindings'));
    expect(first.code).toBe(0);
    expect(await kubectl.run(['apply', '-f', file])).toEqual({
      code: 0,
      stdout:
        'clusterrole.rbac.authorization.k8s.io/system:aggregate-to-view:widgets unchanged\n' +
        'role.rbac.authorization.k8s.io/config-editor unchanged\n' +
        'rolebinding.rbac.authorization.k8s.io/config-editors unchanged\n' +
        'clusterrolebinding.rbac.authorization.k8s.io/widget-viewers unchanged\n',
      stderr: '',
    });
  });

  it("prints upstream's tables: Created At for roles, Role and the subjects for bindings", async () => {
    const roles = rowsOf(await kubectl.ok(['get', 'roles']));
    expect(roles).toEqual([{ NAME: 'config-editor', 'CREATED AT': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }]);
    const clusterRoles = rowsOf(await kubectl.ok(['get', 'clusterroles']));
    expect(clusterRoles.map((r) => r.NAME)).toEqual(['reader', 'system:aggregate-to-view:widgets']);

    const bindings = rowsOf(await kubectl.ok(['get', 'rolebindings', '-o', 'wide']));
    expect(bindings).toEqual([
      { NAME: 'config-editors', ROLE: 'Role/config-editor', AGE: expect.stringMatching(/^\d+s$/), USERS: '', GROUPS: 'editors', SERVICEACCOUNTS: 'default/deployer' },
      { NAME: 'readers', ROLE: 'ClusterRole/reader', AGE: expect.stringMatching(/^\d+s$/), USERS: 'bob', GROUPS: '', SERVICEACCOUNTS: 'default/ci' },
    ]);
    const clusterBindings = rowsOf(await kubectl.ok(['get', 'clusterrolebindings']));
    expect(clusterBindings).toEqual([{ NAME: 'widget-viewers', ROLE: 'ClusterRole/system:aggregate-to-view:widgets', AGE: expect.stringMatching(/^\d+s$/) }]);
  });

  it('describes a Role rule by rule', async () => {
    const described = await kubectl.ok(['describe', 'role', 'config-editor']);
    expect(described).toMatch(/^Name:\s+config-editor\n/);
    expect(described).toMatch(/\n\s+configmaps\s+\[\]\s+\[\]\s+\[\*\]\n/);
  });

  it('refuses a binding to a role of another kind or group, naming the roleRef fields', async () => {
    const bad = { apiVersion, kind: 'ClusterRoleBinding', metadata: { name: 'bad' }, roleRef: { apiGroup: 'example.com', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ci' }] };
    const refused = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(bad) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'The ClusterRoleBinding "bad" is invalid: \n' +
        '* roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"\n' +
        '* roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"\n' +
        '* subjects[0].namespace: Required value',
    );
    expect((await kubectl.run(['get', 'clusterrolebinding', 'bad'])).code).toBe(1);
  });

  it('keeps the roleRef of a binding: a change is refused, a change of subjects is not', async () => {
    const [, , editors] = chart as [object, object, { roleRef: object; subjects: object[] }];
    const moved = { ...editors, roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'reader' } };
    const refused = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(moved) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'The RoleBinding "config-editors" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"reader"}: cannot change roleRef',
    );
    const regrouped = { ...editors, subjects: [{ kind: 'Group', apiGroup: rbac, name: 'admins' }] };
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(regrouped) })).toBe('rolebinding.rbac.authorization.k8s.io/config-editors configured\n');
    expect((await kubectl.json(['get', 'rolebinding', 'config-editors'])).roleRef).toEqual({ apiGroup: rbac, kind: 'Role', name: 'config-editor' });
  });
});
