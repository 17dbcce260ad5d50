import { builtinKinds, fromCustomResourceDefinition } from '../../../crds';
import type { CustomResourceDefinition } from '../../api/types';
import { Registry } from '../registry';
import { OpenApiDocuments } from './documents';

const widgets = fromCustomResourceDefinition({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Cluster',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
} as CustomResourceDefinition);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function documentsOf(registry = new Registry(builtinKinds)) {
  const documents = new OpenApiDocuments(registry);
  const index = (): Json => JSON.parse(documents.index().text);
  const document = (path: string): Json => JSON.parse(documents.groupVersion(path)!.text);
  return { registry, documents, index, document };
}

/** Every operation of a document with its path and method. */
function operations(document: Json): Array<{ path: string; method: string; op: Json }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Json>)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => ({ path, method, op })),
  );
}

describe('OpenAPI v3 documents', () => {
  it('lists one document per served group-version, each with the hash of its text', () => {
    const { index, documents } = documentsOf();
    const paths = index().paths;
    expect(Object.keys(paths).sort()).toEqual([
      'api/v1',
      'apis/apiextensions.k8s.io/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/coordination.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/networking.k8s.io/v1',
      'apis/policy/v1',
      'apis/rbac.authorization.k8s.io/v1',
    ]);
    expect(paths['apis/apps/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${documents.groupVersion('apis/apps/v1')!.etag}`);
  });

  it('gives every kind a PATCH operation with its kind and a fieldValidation parameter, and no strategic merge patch', () => {
    const { document } = documentsOf();
    for (const decl of builtinKinds) {
      const gv = decl.group ? `apis/${decl.group}/${decl.version}` : `api/${decl.version}`;
      const patches = operations(document(gv)).filter(({ method, op }) => method === 'patch' && op['x-kubernetes-group-version-kind'].kind === decl.kind);
      expect(patches.length).toBeGreaterThan(0);
      for (const { op } of patches) {
        expect(op['x-kubernetes-group-version-kind']).toEqual({ group: decl.group, version: decl.version, kind: decl.kind });
        expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
        expect(Object.keys(op.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
      }
    }
  });

  it('lays out paths as the API serves them', () => {
    const { document } = documentsOf();
    const apps = document('apis/apps/v1');
    expect(Object.keys(apps.paths)).toEqual(
      expect.arrayContaining([
        '/apis/apps/v1/namespaces/{namespace}/deployments',
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}',
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status',
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale',
        '/apis/apps/v1/deployments',
      ]),
    );
    expect(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.operationId).toBe('patchAppsV1NamespacedDeployment');
    expect(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const core = document('api/v1');
    expect(core.paths['/api/v1/nodes/{name}'].get.operationId).toBe('readCoreV1Node');
    expect(core.paths['/api/v1/namespaces/{namespace}/pods'].get['x-kubernetes-action']).toBe('list');
    expect(core.paths['/api/v1/namespaces/{namespace}/pods'].parameters).toContainEqual(expect.objectContaining({ name: 'namespace', in: 'path', required: true }));
  });

  it('holds each kind schema under its upstream name, marked with its kind, with every reference resolvable', () => {
    const { document } = documentsOf();
    const apps = document('apis/apps/v1');
    const schemas = apps.components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(schemas['io.k8s.api.apps.v1.Deployment'].properties.spec).toEqual({ description: expect.any(String), allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }] });
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy).toMatchObject({
      description: 'How existing pods are replaced by new ones.',
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
    });
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec'].required).toEqual(['selector', 'template']);
    expect(schemas['io.k8s.api.apps.v1.DeploymentList'].properties.items.items).toEqual({ $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });
    expect(document('api/v1').components.schemas['io.k8s.api.core.v1.Pod']).toBeDefined();
    expect(document('apis/apiextensions.k8s.io/v1').components.schemas['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition']).toBeDefined();
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/batch/v1']) {
      const doc = document(gv);
      const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
      for (const ref of new Set(refs)) expect(doc.components.schemas).toHaveProperty([ref.slice('"#/components/schemas/'.length, -1)]);
    }
  });

  it('names nested types as upstream does: meta types in meta/v1, pod types in core/v1', () => {
    const schemas = documentsOf().document('apis/apps/v1').components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment'].properties.metadata.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect(schemas['io.k8s.api.core.v1.PodTemplateSpec'].properties.spec.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
    expect(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers.items).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
    expect(schemas['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
  });

  it('keeps custom resource schemas inline', () => {
    const { registry, document } = documentsOf();
    registry.add(widgets[0]);
    const widget = document('apis/stable.example.com/v1').components.schemas['com.example.stable.v1.Widget'];
    expect(widget.properties.spec).toEqual({ type: 'object', properties: { size: { type: 'integer' } } });
  });

  it('adds, changes and removes a custom resource group-version with the registry', () => {
    const { registry, index, document } = documentsOf();
    const before = index();
    const appsHash = before.paths['apis/apps/v1'].serverRelativeURL;
    registry.add(widgets[0]);
    const after = index();
    expect(after.paths['apis/stable.example.com/v1']).toBeDefined();
    expect(after.paths['apis/apps/v1'].serverRelativeURL).toBe(appsHash);
    const doc = document('apis/stable.example.com/v1');
    expect(doc.components.schemas['com.example.stable.v1.Widget']['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', version: 'v1', kind: 'Widget' }]);
    expect(doc.paths['/apis/stable.example.com/v1/widgets/{name}'].patch.operationId).toBe('patchStableExampleComV1Widget');
    const firstHash = after.paths['apis/stable.example.com/v1'].serverRelativeURL;
    registry.add({ ...widgets[0], schema: { ...widgets[0].schema, description: 'A widget, described.' } });
    expect(index().paths['apis/stable.example.com/v1'].serverRelativeURL).not.toBe(firstHash);
    registry.removeResource('stable.example.com', 'widgets');
    expect(index().paths['apis/stable.example.com/v1']).toBeUndefined();
  });

  it('builds the documents once per registry revision', () => {
    const { documents } = documentsOf();
    expect(documents.index()).toBe(documents.index());
    expect(documents.groupVersion('apis/nothing/v1')).toBeUndefined();
  });
});
