/**
 * The kinds kubectl 1.32's default prune allow-list needs (PersistentVolumeClaim, PersistentVolume,
 * ReplicationController, Ingress, DaemonSet, StatefulSet) and the EndpointSlices `kubectl describe
 * service` reads, on both store backends: `apply --prune` deletes exactly the labelled object
 * dropped from the file, `get` prints upstream's headers, writes of a kind nothing acts on yet
 * warn, a bad DaemonSet is refused naming its field, and `kubectl create ingress` (a protobuf
 * body) works.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { KubectlSession, tableHeaders } from './session';

const labels = { app: 'x' };
const manifests = (...objects: object[]) => objects.map((o) => YAML.stringify(o)).join('---\n');
const configMap = (name: string, objectLabels: Record<string, string> = labels) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: objectLabels }, data: { name } });
const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } });
const claim = (name: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, labels },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});
const daemonSet = (name: string, templateApp = 'agent') => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: template(templateApp) },
});

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl apply --prune and the kinds of its allow-list over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;
  const status = async (path: string) => (await request('GET', `${api.url}${path}`)).status;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('prunes exactly the labelled object removed from the file', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifests(configMap('other', { app: 'other' }), configMap('unlabelled', {})) });
    const file = kubectl.file('app.yaml', manifests(configMap('keep'), configMap('drop'), claim('scratch')));
    expect(await kubectl.ok(['apply', '--prune', '-l', 'app=x', '-f', file])).toBe(
      'configmap/keep created\nconfigmap/drop created\npersistentvolumeclaim/scratch created\n',
    );

    kubectl.file('app.yaml', manifests(configMap('keep'), claim('scratch')));
    const pruned = await kubectl.run(['apply', '--prune', '-l', 'app=x', '-f', file]);
    expect(pruned.stderr).not.toContain('error');
    expect(pruned.stdout).toBe('configmap/keep unchanged\npersistentvolumeclaim/scratch unchanged\nconfigmap/drop pruned\n');
    expect(pruned.code).toBe(0);

    const configMaps = '/api/v1/namespaces/default/configmaps';
    expect(await status(`${configMaps}/drop`)).toBe(404);
    for (const name of ['keep', 'other', 'unlabelled']) expect([name, await status(`${configMaps}/${name}`)]).toEqual([name, 200]);
    expect(await status('/api/v1/namespaces/default/persistentvolumeclaims/scratch')).toBe(200);
  });

  it("prints upstream's headers for claims, volumes, controllers, ingresses, daemon and stateful sets, endpoint slices", async () => {
    const objects = [
      claim('data'),
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-data' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], hostPath: { path: '/mnt/data' } } },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' }, spec: { replicas: 2, template: template('legacy') } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'shop' },
        spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
      },
      daemonSet('agent'),
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.5'] }], ports: [{ port: 8080 }] },
    ];
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifests(...objects) });

    const output = await kubectl.ok(['get', 'pvc,pv,rc,ing,ds,sts,endpointslices']);
    expect(tableHeaders(output)).toEqual([
      ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
      ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
      ['NAME', 'READY', 'AGE'],
      ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    ]);
    expect(output).toMatch(/persistentvolume\/pv-data\s+5Gi\s+RWO,ROX\s+Retain\s+Pending\s+<unset>\s+\S+\n/);
    expect(output).toMatch(/ingress\.networking\.k8s\.io\/shop\s+<none>\s+shop\.example\.com\s+80\s+\S+\n/);
    expect(output).toMatch(/statefulset\.apps\/db\s+0\/3\s+/);
    expect(output).toMatch(/endpointslice\.discovery\.k8s\.io\/web-1\s+IPv4\s+8080\s+10\.0\.0\.5\s+/);

    const wide = await kubectl.ok(['get', 'pvc,ds,sts', '-o', 'wide']);
    expect(tableHeaders(wide)).toEqual([
      ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', 'VOLUMEMODE'],
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES'],
    ]);
    expect(wide).toMatch(/persistentvolumeclaim\/data\s+Pending\s+<unset>\s+\S+\s+Filesystem\n/);
  });

  it('scales a StatefulSet and a ReplicationController through their scale subresource', async () => {
    expect(await kubectl.ok(['scale', 'sts/db', 'rc/legacy', '--replicas=4'])).toBe('statefulset.apps/db scaled\nreplicationcontroller/legacy scaled\n');
    const scale = (await request('GET', `${api.url}/api/v1/namespaces/default/replicationcontrollers/legacy/scale`)).body;
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 4 }, status: { replicas: 0, selector: 'app=legacy' } });
  });

  it('warns that a DaemonSet is only stored, and says nothing of the kind for an EndpointSlice', async () => {
    const applied = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(daemonSet('logs')) });
    expect(applied).toMatchObject({ code: 0, stdout: 'daemonset.apps/logs created\n' });
    expect(applied.stderr).toBe('Warning: berth stores DaemonSets but no controller acts on them yet: no pods are created\n');
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-2' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.6'] }] };
    expect(await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(slice) })).toEqual({ code: 0, stdout: 'endpointslice.discovery.k8s.io/web-2 created\n', stderr: '' });
  });

  it('refuses a DaemonSet whose selector does not match its template labels, naming the field', async () => {
    const refused = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(daemonSet('bad', 'other')) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
    expect(await status('/apis/apps/v1/namespaces/default/daemonsets/bad')).toBe(404);
  });

  it('creates an Ingress with kubectl create ingress', async () => {
    const created = await kubectl.run(['create', 'ingress', 'api', '--class=nginx', '--rule=api.example.com/v1*=api:8080,tls=api-tls']);
    expect(created).toEqual({
      code: 0,
      stdout: 'ingress.networking.k8s.io/api created\n',
      stderr: 'Warning: berth stores Ingresses but no ingress controller serves them yet: no traffic is routed\n',
    });
    const row = (await kubectl.ok(['get', 'ingress', 'api', '--no-headers'])).trim().split(/\s{2,}/);
    expect(row.slice(0, 4)).toEqual(['api', 'nginx', 'api.example.com', '80, 443']);
  });

  it("describes a Service with the endpoints of its EndpointSlices", async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc12', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.7'], conditions: { ready: true } }],
      ports: [{ name: '80-8080', port: 8080, protocol: 'TCP' }],
    };
    await kubectl.ok(['apply', '-f', '-'], { stdin: YAML.stringify(slice) });
    expect(await kubectl.ok(['describe', 'service', 'web'])).toMatch(/\nEndpoints:\s+10\.0\.0\.7:8080\n/);
  });
});
