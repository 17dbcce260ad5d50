/**
 * kubectl apply (client-side, then server-side) and kubectl diff against the API server, on both
 * store backends: what kubectl prints, its exit code, and what the server then holds.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { KubectlSession } from './session';

const webDeployment = (options: { image: string; env: Array<{ name: string; value: string }>; sidecar: boolean }) =>
  YAML.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'main', image: options.image, env: options.env, ports: [{ containerPort: 80 }] },
            ...(options.sidecar ? [{ name: 'sidecar', image: 'busybox:1.36', command: ['sleep', '3600'] }] : []),
          ],
        },
      },
    },
  });

const configMap = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) =>
  YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl apply and diff over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;
  const get = async (path: string) => (await request('GET', `${api.url}${path}`)).body;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('creates on the first apply, patches on the second, and reports unchanged when nothing moved', async () => {
    const manifest = kubectl.file('web.yaml', `${configMap('web-config', { mode: 'fast' })}---\n${webDeployment({ image: 'nginx:1.25', env: [{ name: 'A', value: '1' }], sidecar: false })}`);

    expect(await kubectl.ok(['apply', '-f', manifest])).toBe('configmap/web-config created\ndeployment.apps/web created\n');
    const created = await get('/apis/apps/v1/namespaces/default/deployments/web');
    expect(created.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"image":"nginx:1.25"');
    expect(created.metadata.generation).toBe(1);

    expect(await kubectl.ok(['apply', '-f', manifest])).toBe('configmap/web-config unchanged\ndeployment.apps/web unchanged\n');
    const again = await get('/apis/apps/v1/namespaces/default/deployments/web');
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    kubectl.file('web.yaml', `${configMap('web-config', { mode: 'slow' })}---\n${webDeployment({ image: 'nginx:1.26', env: [{ name: 'A', value: '1' }], sidecar: false })}`);
    expect(await kubectl.ok(['apply', '-f', manifest])).toBe('configmap/web-config configured\ndeployment.apps/web configured\n');
    const patched = await get('/apis/apps/v1/namespaces/default/deployments/web');
    expect(patched.metadata.uid).toBe(created.metadata.uid);
    expect(patched.metadata.generation).toBe(2);
    expect(patched.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect((await get('/api/v1/namespaces/default/configmaps/web-config')).data).toEqual({ mode: 'slow' });
  });

  it('merges lists by key as a strategic merge patch: changed, removed and kept entries', async () => {
    const manifest = kubectl.file('smp.yaml', webDeployment({ image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], sidecar: true }).replace('name: web', 'name: smp'));
    await kubectl.ok(['apply', '-f', manifest]);
    // Another writer adds an env var kubectl never applied; a strategic merge keeps it.
    const live = await get('/apis/apps/v1/namespaces/default/deployments/smp');
    live.spec.template.spec.containers[0].env.push({ name: 'FROM_ELSEWHERE', value: 'x' });
    expect((await request('PUT', `${api.url}/apis/apps/v1/namespaces/default/deployments/smp`, live)).status).toBe(200);

    kubectl.file('smp.yaml', webDeployment({ image: 'nginx:1.26', env: [{ name: 'A', value: '3' }], sidecar: false }).replace('name: web', 'name: smp'));
    expect(await kubectl.ok(['apply', '-f', manifest])).toBe('deployment.apps/smp configured\n');

    const after = await get('/apis/apps/v1/namespaces/default/deployments/smp');
    const containers = after.spec.template.spec.containers;
    expect(containers.map((c: { name: string }) => c.name)).toEqual(['main']);
    expect(containers[0].image).toBe('nginx:1.26');
    expect(containers[0].env).toEqual([
      { name: 'A', value: '3' },
      { name: 'FROM_ELSEWHERE', value: 'x' },
    ]);
    // Patch directives never reach the stored object.
    expect(JSON.stringify(after)).not.toContain('$setElementOrder');
    expect(JSON.stringify(after)).not.toContain('$patch');
  });

  it('diff exits 0 with no output when the live object matches, 1 with a diff when it does not, and changes nothing', async () => {
    const manifest = kubectl.file('diff.yaml', configMap('diffed', { a: '1' }));
    await kubectl.ok(['apply', '-f', manifest]);
    const before = await get('/api/v1/namespaces/default/configmaps/diffed');

    const same = await kubectl.run(['diff', '-f', manifest]);
    expect(same).toMatchObject({ code: 0, stdout: '' });

    kubectl.file('diff.yaml', configMap('diffed', { a: '2' }));
    const changed = await kubectl.run(['diff', '-f', manifest]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+a: "1"$/m);
    expect(changed.stdout).toMatch(/^\+\s+a: "2"$/m);

    const after = await get('/api/v1/namespaces/default/configmaps/diffed');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.data).toEqual({ a: '1' });
  });

  it('diff of an object that does not exist shows it whole and creates nothing', async () => {
    const manifest = kubectl.file('new.yaml', configMap('not-yet', { b: '2' }));
    const r = await kubectl.run(['diff', '-f', manifest]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\+\s+name: not-yet$/m);
    expect((await request('GET', `${api.url}/api/v1/namespaces/default/configmaps/not-yet`)).status).toBe(404);
  });

  it('applies server-side: creates, records managedFields for the manager, and prunes fields the manager dropped', async () => {
    const manifest = kubectl.file('ssa.yaml', configMap('ssa', { keep: '1', drop: '2' }));
    expect(await kubectl.ok(['apply', '--server-side', '-f', manifest])).toBe('configmap/ssa serverside-applied\n');
    const created = await get('/api/v1/namespaces/default/configmaps/ssa');
    const apply = created.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl');
    expect(apply).toMatchObject({ operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1' });
    expect(apply.fieldsV1).toEqual({ 'f:data': { 'f:keep': {}, 'f:drop': {} }, 'f:metadata': { 'f:labels': {} } });

    kubectl.file('ssa.yaml', configMap('ssa', { keep: '1' }));
    expect(await kubectl.ok(['apply', '--server-side', '-f', manifest])).toBe('configmap/ssa serverside-applied\n');
    expect((await get('/api/v1/namespaces/default/configmaps/ssa')).data).toEqual({ keep: '1' });
  });

  it('refuses a server-side apply that conflicts with another manager unless forced', async () => {
    const mine = kubectl.file('owner.yaml', configMap('owned', { size: 'small' }));
    await kubectl.ok(['apply', '--server-side', '--field-manager=team-a', '-f', mine]);
    const theirs = kubectl.file('other.yaml', configMap('owned', { size: 'large' }));

    const refused = await kubectl.run(['apply', '--server-side', '--field-manager=team-b', '-f', theirs]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "team-a": .data.size');
    expect((await get('/api/v1/namespaces/default/configmaps/owned')).data).toEqual({ size: 'small' });

    await kubectl.ok(['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', theirs]);
    const forced = await get('/api/v1/namespaces/default/configmaps/owned');
    expect(forced.data).toEqual({ size: 'large' });
    const owners = forced.metadata.managedFields.filter((m: { fieldsV1: object }) => JSON.stringify(m.fieldsV1).includes('f:size'));
    expect(owners.map((m: { manager: string }) => m.manager)).toEqual(['team-b']);
  });

  it('takes over client-side applied objects with apply --server-side without losing their spec (ports keyed with the default protocol)', async () => {
    const service = YAML.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'switch' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const deployment = webDeployment({ image: 'nginx:1.25', env: [{ name: 'A', value: '1' }], sidecar: false }).replace('name: web', 'name: switch');
    const manifest = kubectl.file('switch.yaml', `${deployment}---\n${service}`);
    await kubectl.ok(['apply', '-f', manifest]);
    expect(await kubectl.ok(['apply', '--server-side', '-f', manifest])).toBe('deployment.apps/switch serverside-applied\nservice/switch serverside-applied\n');
    const after = await get('/apis/apps/v1/namespaces/default/deployments/switch');
    expect(after.spec.replicas).toBe(2);
    expect(after.spec.template.spec.containers[0]).toMatchObject({ name: 'main', image: 'nginx:1.25' });
    expect(after.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'kubectl' && m.operation === 'Apply')).toBe(true);
    const ports = (await get('/api/v1/namespaces/default/services/switch')).spec.ports;
    expect(ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8080 })]);
  });
});
