/**
 * A user's CustomResourceDefinition through kubectl on both store backends: applied, established,
 * its objects applied (created, then merge-patched as kubectl does for kinds it does not know),
 * listed with the CRD's printer columns, found by short name, and removed with the CRD.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { waitFor } from '../support/ports';
import { KubectlSession, tableRows } from './session';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' }, parts: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

const widget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });
const documents = (...objects: object[]) => objects.map((o) => YAML.stringify(o)).join('---\n');

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl with a custom resource over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;
  const widgets = () => `${api.url}/apis/example.com/v1/namespaces/default/widgets`;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
    expect(await kubectl.ok(['apply', '-f', kubectl.file('crd.yaml', YAML.stringify(crd))])).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n');
    await kubectl.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('applies custom objects, then patches them, and lists them with the printer columns', async () => {
    const file = kubectl.file('widgets.yaml', documents(widget('small', { size: 1, color: 'red', parts: ['a'] }), widget('big', { size: 10, color: 'blue' })));
    expect(await kubectl.ok(['apply', '-f', file])).toBe('widget.example.com/small created\nwidget.example.com/big created\n');
    expect(await kubectl.ok(['apply', '-f', file])).toBe('widget.example.com/small unchanged\nwidget.example.com/big unchanged\n');

    kubectl.file('widgets.yaml', documents(widget('small', { size: 2, color: 'red' }), widget('big', { size: 10, color: 'blue' })));
    expect(await kubectl.ok(['apply', '-f', file])).toBe('widget.example.com/small configured\nwidget.example.com/big unchanged\n');
    // A merge patch: the size changed and the parts kubectl applied before are gone.
    expect((await request('GET', `${widgets()}/small`)).body.spec).toEqual({ size: 2, color: 'red' });

    const table = tableRows(await kubectl.ok(['get', 'widgets']));
    expect(table[0]).toEqual(['NAME', 'SIZE', 'AGE']);
    expect(table.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ['big', '10'],
      ['small', '2'],
    ]);
    const wide = tableRows(await kubectl.ok(['get', 'wd', '-o', 'wide']));
    expect(wide[0]).toEqual(['NAME', 'SIZE', 'COLOR', 'AGE']);
    expect(wide.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['big', '10', 'blue'],
      ['small', '2', 'red'],
    ]);
  });

  it('shows the custom resource in api-resources and reads objects by short name', async () => {
    const resources = tableRows(await kubectl.ok(['api-resources', '--api-group=example.com']));
    expect(resources.slice(1)).toEqual([['widgets', 'wd', 'example.com/v1', 'true', 'Widget']]);
    await request('POST', widgets(), widget('named', { size: 5 }));
    expect(await kubectl.ok(['get', 'wd', 'named', '-o', 'jsonpath={.spec.size}'])).toBe('5');
  });

  it('rejects a custom object with a field the schema does not declare, naming it', async () => {
    const bad = kubectl.file('bad.yaml', YAML.stringify(widget('bad', { size: 1, weight: 3 })));
    const r = await kubectl.run(['apply', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown field "spec.weight"');
    expect((await request('GET', `${widgets()}/bad`)).status).toBe(404);
  });

  it('rejects a custom object whose field breaks the schema, naming the field', async () => {
    const bad = kubectl.file('typed.yaml', YAML.stringify(widget('typed', { size: 'huge' })));
    const r = await kubectl.run(['apply', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Widget "typed" is invalid');
    expect(r.stderr).toContain('spec.size');
    expect((await request('GET', `${widgets()}/typed`)).status).toBe(404);
  });

  it('deletes the custom objects with their CRD, and stops serving the kind', async () => {
    await request('POST', widgets(), widget('last', { size: 1 }));
    await kubectl.ok(['delete', 'crd', 'widgets.example.com', '--timeout=30s']);
    await waitFor('the kind to stop being served', async () => ((await request('GET', widgets())).status === 404 ? true : undefined));
    expect(await kubectl.ok(['api-resources', '--api-group=example.com', '--no-headers'])).toBe('');
    const r = await kubectl.run(['get', 'widgets']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the server doesn't have a resource type "widgets"`);
  });
});
