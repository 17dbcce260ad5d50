import { BadRequest, Conflict, Invalid } from '../../api/errors';
import type { Obj } from '../../api/object';
import { applyPatch, lastAppliedAnnotation, type ApplyOptions } from './apply';
import { recordUpdate } from './managed-fields';
import { configMapSchema, deploymentSchema } from './test-schemas';

const now = '2024-05-01T10:00:00Z';
const later = '2024-05-01T11:00:00.250Z';

function options(manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions {
  return { manager, apiVersion: 'apps/v1', kind: 'Deployment', now, schema: deploymentSchema, statusSubresource: true, ...extra };
}

/** The manifest a user applies: `kubectl apply --server-side -f web.yaml`. */
function manifest(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, ...metadata },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
      ...spec,
    },
  };
}

/** What the server stores: the apply result plus the metadata the server owns. */
function stored(object: Obj): Obj {
  return { ...object, metadata: { ...object.metadata, uid: 'u1', resourceVersion: '5', generation: 1, creationTimestamp: now } };
}

function create(manager = 'kubectl', body = manifest()): Obj {
  return stored(applyPatch(undefined, body, options(manager)).object);
}

function entry(object: Obj, manager: string): Record<string, any> | undefined {
  return object.metadata.managedFields?.find((e) => e.manager === manager) as Record<string, any> | undefined;
}

function conflictOf(run: () => unknown): Conflict {
  try {
    run();
  } catch (error) {
    if (error instanceof Conflict) return error;
    throw error;
  }
  throw new Error('expected a 409 Conflict');
}

describe('server-side apply', () => {
  it('creates an object from an apply and records the managedFields upstream would', () => {
    const { object, managedFields } = applyPatch(undefined, manifest(), options('kubectl'));
    expect(object.spec).toEqual(manifest().spec);
    expect(managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
    expect(object.metadata.managedFields).toEqual(managedFields);
  });

  it('encodes managedFields exactly as the Kubernetes documentation example shows', () => {
    const { managedFields } = applyPatch(
      undefined,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default', labels: { 'test-label': 'test' } }, data: { key: 'some value' } },
      { manager: 'kubectl', apiVersion: 'v1', kind: 'ConfigMap', now: '2010-10-10T00:00:00Z', schema: configMapSchema },
    );
    // website content/en/docs/reference/using-api/server-side-apply.md, the first example.
    expect(managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2010-10-10T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:test-label': {} } }, 'f:data': { 'f:key': {} } },
      },
    ]);
  });

  it('deletes fields a re-apply no longer sets: a label, an env var, a whole container', () => {
    const first = manifest(
      {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
              { name: 'sidecar', image: 'busybox' },
            ],
          },
        },
      },
      { labels: { app: 'web', tier: 'front' } },
    );
    const live = create('kubectl', first);
    const second = manifest({
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }] }] } },
    });
    const { object } = applyPatch(live, second, options('kubectl', { now: later }));
    expect(object.metadata.labels).toEqual({ app: 'web' });
    expect((object.spec as any).template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }] }]);
    expect(object.metadata.uid).toBe('u1');
    expect(entry(object, 'kubectl')?.time).toBe('2024-05-01T11:00:00Z');
  });

  it('keeps a field one applier drops while another applier still owns it', () => {
    const live = create('alice');
    const shared = stored(applyPatch(live, manifest(), options('bob')).object);
    const withoutReplicas = manifest();
    delete (withoutReplicas.spec as Record<string, unknown>).replicas;
    const { object } = applyPatch(shared, withoutReplicas, options('alice'));
    expect((object.spec as any).replicas).toBe(2);
    expect(entry(object, 'alice')?.fieldsV1['f:spec']).not.toHaveProperty('f:replicas');
    expect(entry(object, 'bob')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
  });

  it('rejects a second applier changing a field the first owns with the exact upstream 409', () => {
    const live = create('alice');
    const conflict = conflictOf(() => applyPatch(live, manifest({ replicas: 5 }), options('bob')));
    expect(conflict.code).toBe(409);
    expect(conflict.reason).toBe('Conflict');
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect(conflict.toStatus().details).toEqual({
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }],
    });
  });

  it('lists every conflict, grouped by manager, when there are several', () => {
    const live = create('alice');
    const body = manifest({
      replicas: 5,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    });
    const conflict = conflictOf(() => applyPatch(live, body, options('bob')));
    expect(conflict.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(conflict.toStatus().details?.causes?.map((cause) => cause.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="nginx"].image',
    ]);
  });

  it('shares a field two appliers set to the same value, without conflict', () => {
    const live = create('alice');
    const { object } = applyPatch(live, manifest(), options('bob'));
    expect(entry(object, 'alice')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
    expect(entry(object, 'bob')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
  });

  it('takes ownership with force', () => {
    const live = create('alice');
    const { object } = applyPatch(live, manifest({ replicas: 5 }), options('bob', { force: true }));
    expect((object.spec as any).replicas).toBe(5);
    expect(entry(object, 'alice')?.fieldsV1['f:spec']).not.toHaveProperty('f:replicas');
    expect(entry(object, 'bob')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
  });

  it('conflicts with an Update manager, naming it with its API version', () => {
    const body = manifest();
    const created: Obj = { ...(body as Obj), metadata: { ...(body.metadata as object), uid: 'u1' } };
    created.metadata.managedFields = recordUpdate(undefined, created, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now, schema: deploymentSchema });
    const conflict = conflictOf(() => applyPatch(created, manifest({ replicas: 5 }), options('kubectl')));
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(conflict.toStatus().details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
    ]);
  });

  it('lets kubectl take over fields whose live value still matches its last client-side apply', () => {
    const body = manifest();
    const annotated: Obj = { ...(body as Obj), metadata: { ...(body.metadata as object), annotations: { [lastAppliedAnnotation]: JSON.stringify(body) + '\n' } } };
    annotated.metadata.managedFields = recordUpdate(undefined, annotated, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now, schema: deploymentSchema });

    const { object } = applyPatch(annotated, manifest({ replicas: 5 }), options('kubectl'));
    expect((object.spec as any).replicas).toBe(5);
    expect(entry(object, 'kubectl')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
    expect(entry(object, 'kubectl-client-side-apply')?.fieldsV1['f:spec']).not.toHaveProperty('f:replicas');
    expect(JSON.parse(object.metadata.annotations?.[lastAppliedAnnotation] as string).spec.replicas).toBe(5);

    // Someone else's manager gets no such pass.
    expect(() => applyPatch(annotated, manifest({ replicas: 5 }), options('argocd'))).toThrow(Conflict);
  });

  it('attributes an object nobody owns to before-first-apply', () => {
    const body = manifest();
    const unowned: Obj = { ...(body as Obj), metadata: { ...(body.metadata as object), uid: 'u1' } };
    const conflict = conflictOf(() => applyPatch(unowned, manifest({ replicas: 5 }), options('kubectl')));
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });

  it('leaves the spec alone when kubectl-last-applied applies only the annotation', () => {
    const live = create('kubectl');
    const annotated = stored(
      applyPatch(
        live,
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', annotations: { [lastAppliedAnnotation]: '{}\n' } } },
        options('kubectl-last-applied'),
      ).object,
    );
    expect(annotated.spec).toEqual(live.spec);
    expect(annotated.metadata.labels).toEqual({ app: 'web' });
    expect(entry(annotated, 'kubectl-last-applied')?.fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { [`f:${lastAppliedAnnotation}`]: {} } },
    });
    // And kubectl's next apply neither conflicts with it nor removes the annotation.
    const { object } = applyPatch(annotated, manifest({ replicas: 3 }), options('kubectl'));
    expect(object.metadata.annotations).toHaveProperty([lastAppliedAnnotation]);
    expect((object.spec as any).replicas).toBe(3);
  });

  it('merges list-map items by key: each applier keeps its own container', () => {
    const live = create('alice');
    const withSidecar = stored(
      applyPatch(
        live,
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy' }] } } } },
        options('mesh'),
      ).object,
    );
    expect((withSidecar.spec as any).template.spec.containers.map((c: any) => c.name)).toEqual(['nginx', 'sidecar']);

    const body = manifest({
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }] } },
    });
    const { object } = applyPatch(withSidecar, body, options('alice'));
    expect((object.spec as any).template.spec.containers).toEqual([
      { name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'envoy' },
    ]);
  });

  it('merges sets as a union and replaces atomic lists', () => {
    const live = create('alice', manifest({}, { finalizers: ['a.example/x'] }));
    const second = manifest({}, { finalizers: ['a.example/y'] });
    const { object } = applyPatch(live, second, options('bob'));
    expect(object.metadata.finalizers).toEqual(['a.example/x', 'a.example/y']);
    expect(entry(object, 'bob')?.fieldsV1['f:metadata']['f:finalizers']).toEqual({ 'v:"a.example/y"': {} });
  });

  it('never lets apply own status or server-owned metadata when the kind has a status subresource', () => {
    const body = manifest();
    const withStatus = { ...body, metadata: { ...(body.metadata as object), uid: 'u1' }, status: { replicas: 9 } };
    const { object, managedFields } = applyPatch(undefined, withStatus, options('kubectl'));
    expect(object).not.toHaveProperty('status');
    const fields = managedFields[0].fieldsV1 as Record<string, any>;
    expect(fields).not.toHaveProperty('f:status');
    expect(fields['f:metadata']).toEqual({ 'f:labels': { 'f:app': {} } });
  });

  it('keeps the time of an apply that changes nothing', () => {
    const live = create('kubectl');
    const { object } = applyPatch(live, manifest(), options('kubectl', { now: later }));
    expect(entry(object, 'kubectl')?.time).toBe('2024-05-01T10:00:00Z');
    expect(object.spec).toEqual(live.spec);
  });

  it.each([
    ['a body with managedFields', { ...manifest(), metadata: { name: 'web', managedFields: [] } }, BadRequest, 'metadata.managedFields must be nil'],
    ['another kind', { ...manifest(), kind: 'StatefulSet' }, BadRequest, 'invalid object type: apps/v1, Kind=StatefulSet'],
    ['another version', { ...manifest(), apiVersion: 'apps/v1beta2' }, BadRequest, 'invalid object type: apps/v1beta2, Kind=Deployment'],
    [
      'two containers with one name',
      manifest({ template: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } } }),
      Invalid,
      'spec.template.spec.containers[1]: Duplicate value: duplicate entries for key [name="a"]',
    ],
    [
      'a container without a name',
      manifest({ template: { spec: { containers: [{ image: 'x' }] } } }),
      Invalid,
      'spec.template.spec.containers[0]: Invalid value: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    ],
  ])('rejects %s', (_name, body, Class, message) => {
    expect(() => applyPatch(undefined, body, options('kubectl'))).toThrow(Class);
    expect(() => applyPatch(undefined, body, options('kubectl'))).toThrow(message);
  });
});
