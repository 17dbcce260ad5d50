/**
 * kubectl get in each output kubectl users reach for (table, -o yaml, -o json, -o wide, -l, -A)
 * and kubectl api-resources, against the API server on both store backends. The exact columns
 * of each kind are the tables' tests; these check that kubectl reads what the server holds.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { KubectlSession, tableRows as rows } from './session';

const configMap = (name: string, namespace: string, labels: Record<string, string>, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data,
});

const deployment = (name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
  },
});

/** The lines of `-o name` output. */
const names = (output: string): string[] => output.trim().split('\n');

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl get and api-resources over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
    await request('POST', `${api.url}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const manifests = [
      configMap('alpha', 'default', { tier: 'front' }, { one: '1' }),
      configMap('beta', 'default', { tier: 'back' }, { two: '2' }),
      configMap('gamma', 'team', { tier: 'front' }, { three: '3' }),
      deployment('web', 'nginx:1.25'),
    ];
    await kubectl.ok(['apply', '-f', kubectl.file('objects.yaml', manifests.map((m) => YAML.stringify(m)).join('---\n'))]);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('prints a table with a header and one row per object of the namespace', async () => {
    const table = rows(await kubectl.ok(['get', 'configmaps']));
    expect(table[0][0]).toBe('NAME');
    expect(table[0]).toContain('AGE');
    expect(table.slice(1).map((r) => r[0])).toEqual(['alpha', 'beta']);
  });

  it('prints the stored object with -o yaml and -o json', async () => {
    const stored = (await request('GET', `${api.url}/api/v1/namespaces/default/configmaps/alpha`)).body;
    const yaml = YAML.parse(await kubectl.ok(['get', 'configmap', 'alpha', '-o', 'yaml', '--show-managed-fields']));
    expect(yaml).toEqual(stored);
    const json = await kubectl.json(['get', 'cm', 'alpha', '--show-managed-fields']);
    expect(json).toEqual(stored);
  });

  it('prints a list as a v1 List with -o json', async () => {
    const list = await kubectl.json(['get', 'configmaps']);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`)).toEqual(['ConfigMap/alpha', 'ConfigMap/beta']);
  });

  it('shows more columns with -o wide', async () => {
    const plain = rows(await kubectl.ok(['get', 'deployments']));
    const wide = rows(await kubectl.ok(['get', 'deployments', '-o', 'wide']));
    expect(wide[0].length).toBeGreaterThan(plain[0].length);
    expect(wide[0]).toEqual(expect.arrayContaining(['NAME', 'IMAGES']));
    const images = wide[0].indexOf('IMAGES');
    expect(wide[1][0]).toBe('web');
    expect(wide[1][images]).toBe('nginx:1.25');
  });

  it('selects by label with -l, in one namespace and across all of them', async () => {
    expect(rows(await kubectl.ok(['get', 'cm', '-l', 'tier=front'])).slice(1).map((r) => r[0])).toEqual(['alpha']);
    expect(names(await kubectl.ok(['get', 'cm', '-l', 'tier in (front,back)', '-o', 'name']))).toEqual(['configmap/alpha', 'configmap/beta']);
    const all = rows(await kubectl.ok(['get', 'cm', '-A', '-l', 'tier=front']));
    expect(all[0].slice(0, 2)).toEqual(['NAMESPACE', 'NAME']);
    expect(all.slice(1).map((r) => `${r[0]}/${r[1]}`)).toEqual(['default/alpha', 'team/gamma']);
  });

  it('says when nothing matches, and fails with NotFound for a missing name', async () => {
    const none = await kubectl.run(['get', 'cm', '-l', 'tier=nowhere']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toBe('No resources found in default namespace.\n');
    const missing = await kubectl.run(['get', 'cm', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
  });

  it('reads one field with -o jsonpath', async () => {
    expect(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
  });

  it('lists the served resources with kubectl api-resources', async () => {
    const table = rows(await kubectl.ok(['api-resources']));
    expect(table[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const byName = new Map(table.slice(1).map((r) => [r[0], r]));
    expect(byName.get('deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(byName.get('configmaps')).toEqual(['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    expect(byName.get('namespaces')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(byName.get('customresourcedefinitions')).toEqual(['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition']);
  });

  it('filters api-resources by group and scope, and shows verbs with -o wide', async () => {
    const apps = names(await kubectl.ok(['api-resources', '--api-group=apps', '-o', 'name']));
    expect(apps).toEqual(expect.arrayContaining(['deployments.apps', 'replicasets.apps']));
    expect(apps.every((name) => name.endsWith('.apps'))).toBe(true);
    const cluster = names(await kubectl.ok(['api-resources', '--namespaced=false', '-o', 'name']));
    expect(cluster).toEqual(expect.arrayContaining(['namespaces', 'nodes']));
    expect(cluster).not.toContain('pods');
    const wide = rows(await kubectl.ok(['api-resources', '--api-group=apps', '-o', 'wide']));
    expect(wide[0]).toEqual(expect.arrayContaining(['VERBS']));
    const deployments = wide.find((r) => r[0] === 'deployments')!;
    expect(deployments[wide[0].indexOf('VERBS')]).toBe('create,delete,deletecollection,get,list,patch,update,watch');
  });
});
