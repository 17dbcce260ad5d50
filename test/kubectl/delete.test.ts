/**
 * kubectl delete against the API server on both store backends: by name, by file, by label,
 * with cascade policies, and waiting (kubectl's default) for an object held by a finalizer.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { waitFor } from '../support/ports';
import { KubectlSession } from './session';

const configMap = (name: string, labels: Record<string, string> = {}, finalizers?: string[]) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels, finalizers },
  data: { a: '1' },
});

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } },
  },
});

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl delete over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;
  const cms = () => `${api.url}/api/v1/namespaces/default/configmaps`;
  const status = async (url: string) => (await request('GET', url)).status;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('deletes by name and the object is gone', async () => {
    await request('POST', cms(), configMap('doomed'));
    expect(await kubectl.ok(['delete', 'configmap', 'doomed'])).toBe('configmap "doomed" deleted\n');
    expect(await status(`${cms()}/doomed`)).toBe(404);
  });

  it('deletes what a file declares', async () => {
    const file = kubectl.file('pair.yaml', [configMap('pair-a'), deployment('pair-b')].map((m) => YAML.stringify(m)).join('---\n'));
    await kubectl.ok(['apply', '-f', file]);
    expect(await kubectl.ok(['delete', '-f', file])).toBe('configmap "pair-a" deleted\ndeployment.apps "pair-b" deleted\n');
    expect(await status(`${cms()}/pair-a`)).toBe(404);
    expect(await status(`${api.url}/apis/apps/v1/namespaces/default/deployments/pair-b`)).toBe(404);
  });

  it('deletes by label and leaves the rest', async () => {
    for (const [name, group] of [['l1', 'x'], ['l2', 'x'], ['l3', 'y']]) await request('POST', cms(), configMap(name, { group }));
    const out = await kubectl.ok(['delete', 'configmaps', '-l', 'group=x']);
    expect(out.trim().split('\n').sort()).toEqual(['configmap "l1" deleted', 'configmap "l2" deleted']);
    expect(await status(`${cms()}/l3`)).toBe(200);
  });

  it('fails with NotFound for a missing object, and --ignore-not-found makes that fine', async () => {
    const missing = await kubectl.run(['delete', 'configmap', 'never-was']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): configmaps "never-was" not found\n');
    expect(await kubectl.run(['delete', 'configmap', 'never-was', '--ignore-not-found'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('waits for a finalizer to be removed by another client before it returns', async () => {
    await request('POST', cms(), configMap('held', {}, ['example.com/hold']));
    let finished = false;
    const deleting = kubectl.run(['delete', 'configmap', 'held', '--timeout=20s']).finally(() => (finished = true));
    const marked = await waitFor('the deletion to be marked', async () => {
      const held = (await request('GET', `${cms()}/held`)).body;
      return held.metadata.deletionTimestamp ? held : undefined;
    });
    // Still there, and kubectl still waiting.
    expect(marked.metadata.finalizers).toEqual(['example.com/hold']);
    await new Promise((r) => setTimeout(r, 500));
    expect(finished).toBe(false);
    expect(
      (await request('PATCH', `${cms()}/held`, { metadata: { finalizers: null } }, { headers: { 'Content-Type': 'application/merge-patch+json' } })).status,
    ).toBe(200);
    const done = await deleting;
    expect(done).toMatchObject({ code: 0, stdout: 'configmap "held" deleted\n' });
    expect(await status(`${cms()}/held`)).toBe(404);
  });

  it('records --cascade=foreground and --cascade=orphan as finalizers for the garbage collector', async () => {
    const deployments = `${api.url}/apis/apps/v1/namespaces/default/deployments`;
    await request('POST', deployments, deployment('fore'));
    await request('POST', deployments, deployment('orphaned'));
    await kubectl.ok(['delete', 'deployment', 'fore', '--cascade=foreground', '--wait=false']);
    await kubectl.ok(['delete', 'deployment', 'orphaned', '--cascade=orphan', '--wait=false']);
    const fore = (await request('GET', `${deployments}/fore`)).body;
    expect(fore.metadata.deletionTimestamp).toBeDefined();
    expect(fore.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await request('GET', `${deployments}/orphaned`)).body.metadata.finalizers).toEqual(['orphan']);
  });

  it('deletes a namespace and everything in it', async () => {
    await kubectl.ok(['create', 'namespace', 'scratch']);
    await request('POST', `${api.url}/api/v1/namespaces/scratch/configmaps`, configMap('inside'));
    expect(await kubectl.ok(['delete', 'namespace', 'scratch', '--timeout=30s'])).toBe('namespace "scratch" deleted\n');
    expect(await status(`${api.url}/api/v1/namespaces/scratch`)).toBe(404);
    expect(await status(`${api.url}/api/v1/namespaces/scratch/configmaps/inside`)).toBe(404);
  });
});
