/**
 * `kubectl get` reads the server's Tables: upstream's headers and the cells the server computes
 * (pod status, restarts with their age, ready counts, service ports, node roles, job status...),
 * `-o wide`, `-A` with its NAMESPACE column and `--show-labels`, on both store backends.
 */
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { Kubectl, tableRows } from '../support/kubectl';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Five restarts, the last about five minutes ago (a slow run may print 5m1s). */
const restartedFiveMinutesAgo = /^5 \(5m(\d+s)? ago\)$/;

const container = (name: string, image = 'busybox') => ({ name, image });
const pod = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: 'web' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [container('main')], ...spec },
});
const running = (name: string) => ({ name, ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: minutesAgo(10) } } });

/** Any object to create: its name is what the status write addresses. */
interface Manifest {
  metadata: { name: string; [field: string]: unknown };
  [field: string]: unknown;
}

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl get tables over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: Kubectl;

  /** Creates an object, then writes its status through the status subresource when given. */
  async function seed(collection: string, object: Manifest, status?: Record<string, unknown>): Promise<void> {
    const created = await request('POST', `${api.url}${collection}`, object);
    expect(created.status).toBe(201);
    if (status) {
      const patched = await request('PATCH', `${api.url}${collection}/${object.metadata.name}/status`, { status }, { headers: { 'Content-Type': 'application/merge-patch+json' } });
      expect(patched.status).toBe(200);
    }
  }

  /** The rows of a table as objects keyed by header. */
  const byName = (output: string): Map<string, Record<string, string>> => {
    const [header, ...rows] = tableRows(output);
    return new Map(rows.map((r) => [r[header.indexOf('NAME')], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
  };

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new Kubectl(api.url);
    const pods = '/api/v1/namespaces/default/pods';
    await seed('/api/v1/nodes', { metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/control-plane': '' } } }, {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '192.168.7.10' }],
      nodeInfo: { kubeletVersion: 'v1.32.0-berth', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'docker://27.0.1', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    });
    await seed(pods, pod('web-1', { nodeName: 'node-1' }), { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [running('main')] });
    await seed(pods, pod('crashy', { containers: [container('a'), container('b')] }), {
      phase: 'Running',
      containerStatuses: [running('a'), { ...running('b'), ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: minutesAgo(5) } } }],
    });
    await seed(pods, pod('starting', { initContainers: [container('one'), container('two')] }), {
      phase: 'Pending',
      initContainerStatuses: [{ ...running('one'), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { ...running('two'), ready: false }],
      containerStatuses: [{ ...running('main'), ready: false, state: { waiting: { reason: 'PodInitializing' } } }],
    });
    await seed(pods, pod('done', { restartPolicy: 'Never' }, { app: 'batch' }), { phase: 'Succeeded', containerStatuses: [{ ...running('main'), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    // A finalizer holds the pod after its deletion starts, so it shows as Terminating.
    await seed(pods, { ...pod('leaving'), metadata: { name: 'leaving', labels: { app: 'web' }, finalizers: ['example.com/hold'] } }, { phase: 'Running', containerStatuses: [running('main')] });
    expect((await request('DELETE', `${api.url}${pods}/leaving`)).status).toBeLessThan(300);

    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [container('main', 'nginx:1.25')] } };
    await seed('/apis/apps/v1/namespaces/default/deployments', { metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template } }, {
      replicas: 3,
      readyReplicas: 2,
      updatedReplicas: 3,
      availableReplicas: 2,
    });
    await seed('/apis/apps/v1/namespaces/default/replicasets', { metadata: { name: 'web-5d4f' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template } }, { replicas: 3, readyReplicas: 2 });
    await seed('/api/v1/namespaces/default/services', {
      metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] },
    });
    await seed('/apis/batch/v1/namespaces/default/jobs', { metadata: { name: 'backup' }, spec: { completions: 1, template: { spec: { restartPolicy: 'Never', containers: [container('main')] } } } }, {
      succeeded: 1,
      startTime: minutesAgo(3),
      completionTime: minutesAgo(2),
      conditions: [{ type: 'Complete', status: 'True' }],
    });
    await seed('/apis/batch/v1/namespaces/default/cronjobs', {
      metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container('main')] } } } } },
    });
    await seed('/api/v1/namespaces/default/events', {
      metadata: { name: 'crashy.1' },
      involvedObject: { kind: 'Pod', name: 'crashy', namespace: 'default' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container b',
      type: 'Warning',
      count: 5,
      firstTimestamp: minutesAgo(9),
      lastTimestamp: minutesAgo(1),
      source: { component: 'berth-agent' },
    });
    await seed('/api/v1/namespaces/default/configmaps', { metadata: { name: 'settings', labels: { tier: 'front' } }, data: { a: '1', b: '2' } });
    await seed('/api/v1/namespaces/default/secrets', { metadata: { name: 'token' }, type: 'Opaque', data: { token: 'c2VjcmV0' } });
    await seed('/api/v1/namespaces/default/endpoints', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.5' }, { ip: '10.0.0.6' }], ports: [{ port: 8080 }] }] });
    await seed('/apis/coordination.k8s.io/v1/namespaces/default/leases', { metadata: { name: 'scheduler' }, spec: { holderIdentity: 'berth-1' } });
    await seed('/api/v1/namespaces', { metadata: { name: 'team' } });
    await seed('/api/v1/namespaces/team/configmaps', { metadata: { name: 'other' }, data: { c: '3' } });
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('prints pods with upstream headers and computed STATUS, READY and RESTARTS', async () => {
    const output = await kubectl.ok(['get', 'pods']);
    expect(tableRows(output)[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const pods = byName(output);
    expect(pods.get('web-1')).toMatchObject({ READY: '1/1', STATUS: 'Running', RESTARTS: '0' });
    expect(pods.get('crashy')).toMatchObject({ READY: '1/2', STATUS: 'CrashLoopBackOff', RESTARTS: expect.stringMatching(restartedFiveMinutesAgo) });
    expect(pods.get('starting')).toMatchObject({ READY: '0/1', STATUS: 'Init:1/2' });
    expect(pods.get('done')).toMatchObject({ READY: '0/1', STATUS: 'Completed' });
    expect(pods.get('leaving')).toMatchObject({ STATUS: 'Terminating' });
  });

  it('adds IP, NODE, NOMINATED NODE and READINESS GATES with -o wide', async () => {
    const output = await kubectl.ok(['get', 'pods', '-o', 'wide']);
    expect(tableRows(output)[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(byName(output).get('web-1')).toMatchObject({ IP: '10.0.0.5', NODE: 'node-1', 'NOMINATED NODE': '<none>', 'READINESS GATES': '<none>' });
    expect(byName(output).get('crashy')).toMatchObject({ IP: '<none>', NODE: '<none>' });
  });

  it('prints every built-in kind with its upstream columns', async () => {
    const sections = (await kubectl.ok(['get', 'deploy,rs,svc,nodes,jobs,cronjobs,events,cm,secrets,ns'])).split('\n\n').map((s) => s.trim());
    const headers = sections.map((s) => tableRows(s)[0]);
    expect(headers).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
      ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
      ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      ['NAME', 'DATA', 'AGE'],
      ['NAME', 'TYPE', 'DATA', 'AGE'],
      ['NAME', 'STATUS', 'AGE'],
    ]);
    const [deployments, replicaSets, services, nodes, jobs, cronJobs, events, configMaps, secrets, namespaces] = sections.map((s) => tableRows(s).slice(1));
    expect(deployments).toEqual([['deployment.apps/web', '2/3', '3', '2', expect.any(String)]]);
    expect(replicaSets).toEqual([['replicaset.apps/web-5d4f', '3', '3', '2', expect.any(String)]]);
    expect(services[0].slice(0, 5)).toEqual(['service/web', 'NodePort', expect.any(String), '<none>', '80:30080/TCP']);
    expect(nodes).toEqual([['node/node-1', 'Ready', 'control-plane', expect.any(String), 'v1.32.0-berth']]);
    expect(jobs).toEqual([['job.batch/backup', 'Complete', '1/1', '60s', expect.any(String)]]);
    expect(cronJobs).toEqual([['cronjob.batch/nightly', '0 3 * * *', 'Etc/UTC', 'False', '0', '<none>', expect.any(String)]]);
    expect(events).toEqual([[expect.stringMatching(/^\d+s$/), 'Warning', 'BackOff', 'pod/crashy', 'Back-off restarting failed container b']]);
    expect(configMaps).toEqual([['configmap/settings', '2', expect.any(String)]]);
    expect(secrets).toEqual([['secret/token', 'Opaque', '1', expect.any(String)]]);
    expect(namespaces.map((r) => r[0])).toEqual(expect.arrayContaining(['namespace/default', 'namespace/team']));
    expect(namespaces.find((r) => r[0] === 'namespace/team')?.[1]).toBe('Active');
  });

  it('prints endpoints and leases', async () => {
    expect(tableRows(await kubectl.ok(['get', 'endpoints']))).toEqual([
      ['NAME', 'ENDPOINTS', 'AGE'],
      ['web', '10.0.0.5:8080,10.0.0.6:8080', expect.any(String)],
    ]);
    expect(tableRows(await kubectl.ok(['get', 'leases']))).toEqual([
      ['NAME', 'HOLDER', 'AGE'],
      ['scheduler', 'berth-1', expect.any(String)],
    ]);
  });

  it('shows the wide columns of nodes, deployments and services', async () => {
    expect(byName(await kubectl.ok(['get', 'nodes', '-o', 'wide'])).get('node-1')).toMatchObject({
      'INTERNAL-IP': '192.168.7.10',
      'EXTERNAL-IP': '<none>',
      'OS-IMAGE': 'Debian GNU/Linux 12',
      'KERNEL-VERSION': '6.1.0',
      'CONTAINER-RUNTIME': 'docker://27.0.1',
    });
    expect(byName(await kubectl.ok(['get', 'deploy', '-o', 'wide'])).get('web')).toMatchObject({ CONTAINERS: 'main', IMAGES: 'nginx:1.25', SELECTOR: 'app=web' });
    expect(byName(await kubectl.ok(['get', 'svc', '-o', 'wide'])).get('web')).toMatchObject({ SELECTOR: 'app=web' });
  });

  it('adds the NAMESPACE column with -A', async () => {
    const rows = tableRows(await kubectl.ok(['get', 'cm', '-A']));
    expect(rows[0]).toEqual(['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    expect(rows.slice(1).map((r) => `${r[0]}/${r[1]}/${r[2]}`)).toEqual(expect.arrayContaining(['default/settings/2', 'team/other/1']));
  });

  it('adds the LABELS column with --show-labels', async () => {
    const rows = tableRows(await kubectl.ok(['get', 'cm', 'settings', '--show-labels']));
    expect(rows).toEqual([
      ['NAME', 'DATA', 'AGE', 'LABELS'],
      ['settings', '2', expect.any(String), 'tier=front'],
    ]);
    expect(byName(await kubectl.ok(['get', 'pods', '--show-labels', '-l', 'app=batch'])).get('done')).toMatchObject({ STATUS: 'Completed', LABELS: 'app=batch' });
  });

  it('prints a single object as a one-row table', async () => {
    expect(tableRows(await kubectl.ok(['get', 'pod', 'crashy']))).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['crashy', '1/2', 'CrashLoopBackOff', expect.stringMatching(restartedFiveMinutesAgo), expect.any(String)],
    ]);
  });
});
