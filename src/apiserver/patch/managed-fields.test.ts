import { InternalError } from '../../api/errors';
import type { ManagedFieldsEntry, Obj } from '../../api/object';
import { FieldSet, pathString } from './field-set';
import { decodeManagedFields, formatTime, recordUpdate, type OwnershipOptions } from './managed-fields';
import { deploymentSchema } from './test-schemas';

const now = '2024-05-01T10:00:00Z';

function updateBy(manager: string, extra: Partial<OwnershipOptions> = {}): OwnershipOptions {
  return { manager, apiVersion: 'apps/v1', now, schema: deploymentSchema, statusSubresource: true, ...extra };
}

function deployment(replicas = 2, image = 'nginx:1.25'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '3', generation: 1, labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image, env: [{ name: 'A', value: '1' }] }] },
      },
    },
  };
}

function fieldsOf(entries: ManagedFieldsEntry[], manager: string): Record<string, any> | undefined {
  return entries.find((entry) => entry.manager === manager)?.fieldsV1 as Record<string, any> | undefined;
}

describe('FieldsV1', () => {
  // The shape kubectl shows with --show-managed-fields for a Deployment created by client-side apply.
  const upstream = {
    'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
            },
          },
        },
      },
    },
    'f:metadata2': { 'f:finalizers': { '.': {}, 'v:"example.com/x"': {} }, 'f:args': { 'i:10': {}, 'i:2': {} } },
  };

  it('reads and writes the upstream encoding unchanged', () => {
    expect(FieldSet.fromFieldsV1(upstream).toFieldsV1()).toEqual(upstream);
  });

  it('writes elements in structured-merge-diff order: fields, keys, values, indices', () => {
    const set = FieldSet.of(['i:10'], ['i:2'], ['v:"b"'], ['k:{"a":1}'], ['f:z'], ['f:a']);
    expect(Object.keys(set.toFieldsV1())).toEqual(['f:a', 'f:z', 'k:{"a":1}', 'v:"b"', 'i:2', 'i:10']);
  });

  it('puts keys written by others in canonical form so they match', () => {
    const set = FieldSet.fromFieldsV1({ 'k:{"protocol":"TCP", "containerPort":80}': {} });
    expect(set.has(['k:{"containerPort":80,"protocol":"TCP"}'])).toBe(true);
  });

  it('lists member paths and prints them as upstream does in conflicts', () => {
    const paths = FieldSet.fromFieldsV1(upstream).paths().map(pathString);
    expect(paths).toContain('.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort');
    expect(paths).toContain('.metadata2.finalizers[="example.com/x"]');
    expect(paths).toContain('.metadata2.args[10]');
    expect(paths).toContain('.metadata.labels');
    expect(paths).not.toContain('.spec');
  });

  it.each([
    ['union', (a: FieldSet, b: FieldSet) => a.union(b), [['f:a'], ['f:b', 'f:c'], ['f:b', 'f:d'], ['f:b']]],
    ['difference', (a: FieldSet, b: FieldSet) => a.difference(b), [['f:b', 'f:c']]],
    ['recursive difference', (a: FieldSet, b: FieldSet) => a.recursiveDifference(b), []],
    ['intersection', (a: FieldSet, b: FieldSet) => a.intersection(b), [['f:a']]],
  ])('computes the %s of two sets', (_name, operation, expected) => {
    const a = FieldSet.of(['f:a'], ['f:b', 'f:c']);
    const b = FieldSet.of(['f:a'], ['f:b'], ['f:b', 'f:d']);
    expect(operation(a, b).toFieldsV1()).toEqual(FieldSet.of(...(expected as string[][])).toFieldsV1());
  });

  it('leaves both operands as they were, with or without an empty side', () => {
    const fieldsOf = (set: FieldSet) => JSON.stringify(set.toFieldsV1());
    const a = FieldSet.of(['f:a'], ['f:b', 'f:c'], ['f:b', 'f:e', 'f:g']);
    const b = FieldSet.of(['f:a'], ['f:b'], ['f:b', 'f:d'], ['f:b', 'f:e', 'f:h']);
    const empty = new FieldSet();
    const before = [a, b].map(fieldsOf);
    const results = [a.union(b), b.union(a), a.difference(b), a.recursiveDifference(b), a.union(empty), empty.union(a), a.difference(empty), a.recursiveDifference(empty)];
    expect([a, b].map(fieldsOf)).toEqual(before);
    expect(results.slice(4).map(fieldsOf)).toEqual([before[0], before[0], before[0], before[0]]);
    expect(fieldsOf(results[0])).toBe(fieldsOf(results[1]));
    expect(results[2].paths()).toEqual([['f:b', 'f:c'], ['f:b', 'f:e', 'f:g']]);
    expect(empty.union(empty).isEmpty()).toBe(true);
  });

  it('reports unreadable records as a server fault that names the entry', () => {
    expect(() => decodeManagedFields([{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'x:y': {} } }])).toThrow(InternalError);
    expect(() => decodeManagedFields([{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'x:y': {} } }])).toThrow(
      'metadata.managedFields[0]: fieldsV1 "x:y" has no known prefix',
    );
  });

  it('formats times to the second, in UTC', () => {
    expect(formatTime(new Date('2024-05-01T12:00:00.999+02:00'))).toBe('2024-05-01T10:00:00Z');
    expect(formatTime('2024-05-01T12:00:00.250+02:00')).toBe('2024-05-01T10:00:00Z');
    expect(formatTime('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00Z');
    expect(() => formatTime('yesterday')).toThrow('not a valid time');
  });
});

describe('recordUpdate', () => {
  it('gives the creator every field it set, except what the server owns', () => {
    const entries = recordUpdate(undefined, deployment(), updateBy('kubectl-client-side-apply'));
    expect(entries).toEqual([
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: now,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  '.': {},
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:env': { '.': {}, 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                    'f:image': {},
                    'f:name': {},
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('moves a changed field to the manager that changed it and keeps the rest with its owner', () => {
    const created = deployment();
    created.metadata.managedFields = recordUpdate(undefined, created, updateBy('kubectl-client-side-apply'));
    const scaled = { ...deployment(5), metadata: { ...created.metadata } };
    const entries = recordUpdate(created, scaled, updateBy('kubectl', { now: '2024-05-01T10:05:00Z' }));

    expect(fieldsOf(entries, 'kubectl')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(fieldsOf(entries, 'kubectl-client-side-apply')?.['f:spec']).not.toHaveProperty('f:replicas');
    expect(fieldsOf(entries, 'kubectl-client-side-apply')?.['f:spec']).toHaveProperty('f:selector');
    expect(entries.map((entry) => [entry.manager, entry.time])).toEqual([
      ['kubectl-client-side-apply', now],
      ['kubectl', '2024-05-01T10:05:00Z'],
    ]);
  });

  it('drops fields a write removed from every manager, and managers left with nothing', () => {
    const created = deployment();
    created.metadata.managedFields = recordUpdate(undefined, created, updateBy('creator'));
    const scaled = { ...deployment(5), metadata: { ...created.metadata } };
    scaled.metadata.managedFields = recordUpdate(created, scaled, updateBy('scaler'));
    const unscaled = deployment(5);
    delete (unscaled.spec as Record<string, unknown>).replicas;
    unscaled.metadata.managedFields = scaled.metadata.managedFields;

    const entries = recordUpdate(scaled, unscaled, updateBy('editor'));
    expect(entries.map((entry) => entry.manager)).toEqual(['creator']);
  });

  it('records nothing for a write that changes nothing', () => {
    const created = deployment();
    created.metadata.managedFields = recordUpdate(undefined, created, updateBy('creator'));
    const entries = recordUpdate(created, { ...deployment(), metadata: { ...created.metadata, resourceVersion: '9' } }, updateBy('noop'));
    expect(entries).toEqual(created.metadata.managedFields);
  });

  it('records status writes under the status subresource and never through the main resource', () => {
    const created = deployment();
    created.metadata.managedFields = recordUpdate(undefined, { ...created, status: { replicas: 1 } }, updateBy('creator'));
    expect(fieldsOf(created.metadata.managedFields, 'creator')).not.toHaveProperty('f:status');

    const withStatus = { ...created, status: { replicas: 2, conditions: [{ type: 'Available', status: 'True' }] } };
    const entries = recordUpdate(created, withStatus, updateBy('deployment-controller', { subresource: 'status' }));
    const entry = entries.find((e) => e.manager === 'deployment-controller');
    expect(entry?.subresource).toBe('status');
    expect(entry?.fieldsV1).toEqual({
      'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:replicas': {} },
    });
  });

  it('takes the records a client sends on purpose, and clears them all for [{}]', () => {
    const created = deployment();
    created.metadata.managedFields = recordUpdate(undefined, created, updateBy('kubectl-client-side-apply'));
    const migrated = { ...created, metadata: { ...created.metadata, managedFields: [{ ...created.metadata.managedFields[0], manager: 'kubectl', operation: 'Apply' as const }] } };
    expect(recordUpdate(created, migrated, updateBy('kubectl')).map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply']]);

    const cleared = { ...deployment(3), metadata: { ...created.metadata, managedFields: [{}] } };
    expect(recordUpdate(created, cleared, updateBy('kubectl')).map((e) => [e.manager, fieldsOf([e], e.manager as string)])).toEqual([
      ['kubectl', { 'f:spec': { 'f:replicas': {} } }],
    ]);
  });
});
