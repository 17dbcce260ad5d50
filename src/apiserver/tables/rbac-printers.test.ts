import { builtinKinds } from '../../../crds';
import type { Obj } from '../../api/object';
import { ResourceType } from '../registry';
import { printerFor } from './table';

const now = Date.parse('2024-05-01T12:00:00Z');
const created = new Date(now - 300_000).toISOString();

function row(kind: string, object: Record<string, unknown>): Record<string, unknown> {
  const printer = printerFor(new ResourceType(builtinKinds.find((d) => d.kind === kind)!));
  const cells = printer.cells({ kind, ...object } as Obj, now);
  expect(cells).toHaveLength(printer.columns.length);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]]));
}

const rbac = 'rbac.authorization.k8s.io';

describe('RoleBinding and ClusterRoleBinding', () => {
  it('prints the role as Kind/name and the subjects by kind, service accounts as namespace/name', () => {
    const binding = {
      metadata: { name: 'readers', namespace: 'team-a', creationTimestamp: created },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', apiGroup: rbac, name: 'alice' },
        { kind: 'Group', apiGroup: rbac, name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
        { kind: 'User', apiGroup: rbac, name: 'bob' },
        { kind: 'ServiceAccount', name: 'local' },
      ],
    };
    expect(row('RoleBinding', binding)).toEqual({
      Name: 'readers',
      Role: 'ClusterRole/view',
      Age: '5m',
      Users: 'alice, bob',
      Groups: 'devs',
      ServiceAccounts: 'ci/builder, /local',
    });
  });

  it('prints empty subject cells for a binding without subjects', () => {
    const binding = { metadata: { name: 'nobody', creationTimestamp: created }, roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'admin' } };
    expect(row('ClusterRoleBinding', binding)).toEqual({ Name: 'nobody', Role: 'ClusterRole/admin', Age: '5m', Users: '', Groups: '', ServiceAccounts: '' });
  });
});

describe('Role and ClusterRole', () => {
  it.each(['Role', 'ClusterRole'])('%s prints the name and the creation time itself, as the default table', (kind) => {
    expect(row(kind, { metadata: { name: 'system:controller:pods', creationTimestamp: '2024-05-01T11:55:00Z' }, rules: [] })).toEqual({
      Name: 'system:controller:pods',
      'Created At': '2024-05-01T11:55:00Z',
    });
  });
});
