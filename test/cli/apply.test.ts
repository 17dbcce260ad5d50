/**
 * `berth apply` as a user runs it: the real command (a child process) against a real API server
 * on both store backends.
 */
import path from 'node:path';
import { kinds } from '../../src/client';
import { backends, stopSharedEtcd } from '../support/api-server';
import { startControlPlane, TestControlPlane } from '../support/control-plane';
import { closedPort } from '../support/ports';
import { absent, configMap, deployment, lineOf, lines, ManifestDir, namespace } from './apply-support';
import { BerthCli } from './berth';

afterAll(() => stopSharedEtcd());

describe.each(backends)('berth apply (%s)', (backend) => {
  let cp: TestControlPlane;
  let berth: BerthCli;
  let files: ManifestDir;

  beforeAll(async () => {
    cp = await startControlPlane([], { backend });
    berth = new BerthCli(cp.api.url);
  });
  afterAll(async () => {
    berth.dispose();
    await cp.stop();
  });
  beforeEach(() => {
    files = new ManifestDir(path.join(berth.dir, `m-${Math.random().toString(36).slice(2, 8)}`));
  });

  it('applies a directory (created), again (unchanged), and a changed field (configured)', async () => {
    files.write('a-app.yaml', [deployment('web', 'shop'), configMap('settings', 'shop', { colour: 'blue' })]);
    files.write('b-namespace.yaml', [namespace('shop')]);

    const first = await berth.run(['apply', '-f', files.dir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // The Namespace goes first although its file comes last.
    expect(lines(first.stdout)).toEqual(['namespace/shop created', 'deployment.apps/web (namespace shop) created', 'configmap/settings (namespace shop) created']);

    const again = await berth.run(['apply', '-f', files.dir]);
    expect(again.code).toBe(0);
    expect(lines(again.stdout)).toEqual(['namespace/shop unchanged', 'deployment.apps/web (namespace shop) unchanged', 'configmap/settings (namespace shop) unchanged']);

    files.write('a-app.yaml', [deployment('web', 'shop'), configMap('settings', 'shop', { colour: 'green' })]);
    const changed = await berth.run(['apply', '-f', files.dir, '-n', 'shop']);
    expect(changed.code).toBe(0);
    expect(lines(changed.stdout)).toEqual(['namespace/shop unchanged', 'deployment.apps/web unchanged', 'configmap/settings configured']);
    const stored = await cp.client.resource(kinds.ConfigMap, 'shop').get('settings');
    expect(stored.data).toEqual({ colour: 'green' });
    expect(stored.metadata.managedFields?.map((m) => [m.manager, m.operation])).toContainEqual(['berth', 'Apply']);
  });

  it('stores nothing with --dry-run=server, yet says what would happen', async () => {
    files.write('cm.yaml', [configMap('dry', 'default', { a: '1' })]);
    const created = await berth.run(['apply', '-f', files.dir, '--dry-run=server']);
    expect(created.code).toBe(0);
    expect(lines(created.stdout)).toEqual(['configmap/dry created (server dry run)']);
    expect(await absent(cp.client.resource(kinds.ConfigMap, 'default').get('dry'))).toBe(true);

    await berth.ok(['apply', '-f', files.dir]);
    files.write('cm.yaml', [configMap('dry', 'default', { a: '2' })]);
    const configured = await berth.run(['apply', '-f', files.dir, '--dry-run']);
    expect(lines(configured.stdout)).toEqual(['configmap/dry configured (server dry run)']);
    expect((await cp.client.resource(kinds.ConfigMap, 'default').get('dry')).data).toEqual({ a: '1' });
  });

  it('prints one JSON result document with -o json', async () => {
    files.write('cm.yaml', [configMap('json-a', 'default'), configMap('json-b', 'default')]);
    const run = await berth.run(['apply', '-f', files.file('cm.yaml'), '-o', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toEqual({
      apiVersion: 'berth.dev/v1',
      kind: 'ApplyResult',
      dryRun: false,
      applySet: null,
      objects: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'json-a', uid: expect.any(String), source: `${files.file('cm.yaml')}:1 (document 1)`, action: 'created' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'json-b', uid: expect.any(String), source: `${files.file('cm.yaml')}:${lineOf(files.file('cm.yaml'), '---') + 1} (document 2)`, action: 'created' },
      ],
      pruned: [],
      errors: [],
      exitCode: 0,
      durationMs: expect.any(Number),
    });
  });

  it('names the file, the line and the field of a bad manifest, and exits 4', async () => {
    const bad = deployment('bad', 'default', { replicas: -1 });
    const container = ((bad.spec as Obj).template as Obj).spec as { containers: Array<Record<string, unknown>> };
    delete container.containers[0].image;
    files.write('bad.yaml', [configMap('fine', 'default'), bad]);
    const run = await berth.run(['apply', '-f', files.dir]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('configmap/fine created');
    const file = files.file('bad.yaml');
    expect(run.stderr).toContain(`${file}:${lineOf(file, 'replicas: -1')} (document 2): Deployment "bad": spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
    // The missing image is reported at the line of its container.
    expect(run.stderr).toContain(`${file}:${lineOf(file, '- name: app')} (document 2): Deployment "bad": spec.template.spec.containers[0].image: Required value`);

    files.write('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\ndata:\n  a: "1"\nbogus:\n  field: 1\n');
    const unknown = await berth.run(['apply', '-f', files.dir]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain(`${file}:7 (document 1): ConfigMap "strict": bogus: unknown field`);

    files.write('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
    const syntax = await berth.run(['apply', '-f', files.dir]);
    expect(syntax.code).toBe(4);
    expect(syntax.stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+ \\(document 1\\): not valid YAML`));
  });

  it('applies a CustomResourceDefinition before, and its objects after it is established', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets${backend}.example.com` },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: `widgets${backend}`, singular: `widget${backend}`, kind: `Widget${backend}`, listKind: `Widget${backend}List` },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    files.write('a-widget.yaml', [{ apiVersion: 'example.com/v1', kind: `Widget${backend}`, metadata: { name: 'w', namespace: 'default' }, spec: { size: 3 } }]);
    files.write('b-crd.yaml', [crd]);
    // Under a dry run a new CRD is not served, so its objects are skipped, saying why.
    const dry = await berth.run(['apply', '-f', files.dir, '--dry-run=server']);
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual([
      `customresourcedefinition.apiextensions.k8s.io/widgets${backend}.example.com created (server dry run)`,
      `${files.file('a-widget.yaml')}:1 (document 1): Widget${backend} "w" skipped: its CustomResourceDefinition is only applied as a dry run`,
    ]);
    const run = await berth.run(['apply', '-f', files.dir]);
    expect(run.stderr).toBe('');
    expect(lines(run.stdout)).toEqual([`customresourcedefinition.apiextensions.k8s.io/widgets${backend}.example.com created`, `widget${backend}.example.com/w created`]);
    const again = await berth.run(['apply', '-f', files.dir, '--dry-run=server']);
    expect(lines(again.stdout)).toEqual([`customresourcedefinition.apiextensions.k8s.io/widgets${backend}.example.com unchanged (server dry run)`, `widget${backend}.example.com/w unchanged (server dry run)`]);
  });

  it('stops at fields another manager owns, and takes them over with --force-conflicts', async () => {
    files.write('web.yaml', [deployment('contested', 'default', { replicas: 2 })]);
    await berth.ok(['apply', '-f', files.dir]);
    await cp.client.resource(kinds.Deployment, 'default').patch('contested', 'merge', { spec: { replicas: 5 } }, { fieldManager: 'autoscaler' });
    files.write('web.yaml', [deployment('contested', 'default', { replicas: 3 })]);
    const refused = await berth.run(['apply', '-f', files.dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${files.file('web.yaml')}:1 (document 1): Deployment "contested": apply conflicts with other field managers:`);
    expect(refused.stderr).toContain('.spec.replicas: conflict with "autoscaler"');
    expect(refused.stderr).toContain('apply with --force-conflicts to take these fields over');
    const forced = await berth.run(['apply', '-f', files.dir, '--force-conflicts']);
    expect(forced.code).toBe(0);
    expect(lines(forced.stdout)).toEqual(['deployment.apps/contested configured']);
    expect((await cp.client.resource(kinds.Deployment, 'default').get('contested')).spec?.replicas).toBe(3);
  });

  it('refuses an object whose namespace differs from -n', async () => {
    files.write('cm.yaml', [configMap('elsewhere', 'shop')]);
    const run = await berth.run(['apply', '-f', files.dir, '-n', 'default']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${files.file('cm.yaml')}:${lineOf(files.file('cm.yaml'), 'namespace: shop')} (document 1): ConfigMap "elsewhere": metadata.namespace: the namespace of the object "shop" does not match the namespace "default" given with -n`);
  });
});

describe('berth apply without a server', () => {
  it('says which URL it could not reach and how to start a server', async () => {
    const port = closedPort;
    const berth = new BerthCli(`http://127.0.0.1:${port}`);
    const files = new ManifestDir(path.join(berth.dir, 'm'));
    files.write('cm.yaml', [configMap('c', 'default')]);
    const run = await berth.run(['apply', '-f', files.dir]);
    berth.dispose();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the API server at http://127.0.0.1:${port}`);
    expect(run.stderr).toContain('berth server');
    expect(run.stderr).toContain('berth up');
  });
});

type Obj = Record<string, unknown>;
