/**
 * `berth apply --wait` against a control plane with the real controllers (service, endpoints,
 * replicaset, deployment, job, placement) and plain Node objects; a stand-in kubelet reports
 * bound pods Running/Ready (or Failed) as an agent would.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Node, Pod } from '../../src/api/types';
import { Client, kinds } from '../../src/client';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { makeNode, startControlPlane, TestControlPlane } from '../support/control-plane';
import { requireCommand } from '../support/parts';
import { configMap, deployment, lines, ManifestDir, PodFate, service, standInKubelet } from './apply-support';
import { BerthCli } from './berth';

let cp: TestControlPlane;
let berth: BerthCli;
let counter = 0;
const kubelet = new AbortController();
/** Pods whose app label is here fail or stay pending; the rest become ready. */
const fates: Record<string, PodFate> = { stuck: 'pending', 'stuck-slow': 'pending', doomed: 'fail' };

beforeAll(async () => {
  cp = await startControlPlane(['service', 'endpoints', 'replicaset', 'deployment', 'job', 'placement']);
  for (const name of ['n1', 'n2']) await cp.client.resource(kinds.Node).create(makeNode(name, { cpu: '4', memory: '8Gi' }) as Node);
  standInKubelet(cp.client, (pod) => fates[pod.metadata.labels?.app ?? ''] ?? 'ready', kubelet.signal);
  berth = new BerthCli(cp.api.url);
});
afterAll(async () => {
  kubelet.abort();
  berth.dispose();
  await cp.stop();
});

const directory = (name = 'app') => new ManifestDir(path.join(berth.dir, `run-${++counter}`, name));

describe('berth apply --wait', () => {
  it('shows the rollout and exits 0 once the Deployment is rolled out and its Service has endpoints', async () => {
    const files = directory();
    files.write('web.yaml', [deployment('web', 'default', { replicas: 2 }), service('web', 'default', { app: 'web' }), configMap('web', 'default')]);
    const run = await berth.run(['apply', '-f', files.dir, '--wait', '--timeout', '60s'], { timeoutMs: 70_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out.slice(0, 3)).toEqual(['deployment.apps/web created', 'service/web created', 'configmap/web created']);
    expect(out).toContainEqual(expect.stringMatching(/^deployment\.apps\/web: waiting: /));
    expect(out).toContain('deployment.apps/web: ready: rolled out, 2/2 available');
    expect(out).toContainEqual(expect.stringMatching(/^service\/web: ready: cluster IP 10\.\d+\.\d+\.\d+, 2 ready endpoints$/));
    expect(out).toContain('configmap/web: ready: applied');
    expect(out[out.length - 1]).toMatch(/^all 3 objects ready after \d+\.\ds$/);
  });

  it('exits 2 with the placement reason when a pod is too big for every node', async () => {
    const files = directory();
    files.write('huge.yaml', [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'default', labels: { app: 'huge' } }, spec: { containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '64' } } }] } },
    ]);
    const run = await berth.run(['apply', '-f', files.dir, '--wait', '--timeout', '60s'], { timeoutMs: 70_000 });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('pod/huge:   pod huge cannot be scheduled: 0/2 nodes are available: 2 Insufficient cpu.');
    const [summary, reason] = lines(run.stdout).slice(-2);
    expect(summary).toMatch(/^1 cannot be scheduled after \d+\.\ds$/);
    expect(reason).toBe('  pod/huge: pod huge cannot be scheduled: 0/2 nodes are available: 2 Insufficient cpu.');
  });

  it('exits 2 for a Deployment whose pods cannot be placed, naming the reason', async () => {
    const files = directory();
    files.write('wide.yaml', [deployment('wide', 'default', { replicas: 1, cpu: '16' })]);
    const run = await berth.run(['apply', '-f', files.dir, '--wait', '--timeout', '60s', '-o', 'json'], { timeoutMs: 70_000 });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.objects).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'wide', action: 'created', state: 'unschedulable', reason: expect.stringMatching(/^pod wide-[a-z0-9]+-[a-z0-9]+ cannot be scheduled: 0\/2 nodes are available: 2 Insufficient cpu\.$/) })]);
    expect(report.exitCode).toBe(2);
    // The live progress went to stderr, so stdout is the JSON document alone.
    expect(run.stderr).toContain('deployment.apps/wide: waiting: ');
  });

  it('exits 1 when a rollout passes its progress deadline', async () => {
    const files = directory();
    files.write('stuck.yaml', [deployment('stuck', 'default', { replicas: 1, progressDeadlineSeconds: 2 })]);
    const run = await berth.run(['apply', '-f', files.dir, '--wait', '--timeout', '60s'], { timeoutMs: 70_000 });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/deployment\.apps\/stuck: failed: rollout exceeded its progress deadline \(2s\)/);
  });

  it('exits 1 at the timeout, saying what it was still waiting for', async () => {
    const files = directory();
    files.write('slow.yaml', [deployment('stuck-slow', 'default', { replicas: 1 })]);
    files.write('cm.yaml', [configMap('slow', 'default')]);
    const started = Date.now();
    const run = await berth.run(['apply', '-f', files.dir, '--wait', '--timeout', '3s'], { timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.stdout).toMatch(/\n1 ready, 1 timed out after \d+\.\ds\n {2}deployment\.apps\/stuck-slow: not ready after 3s: rollout 1\/1 updated, 0\/1 available\n$/);
  });

  it('exits 1 when a Job fails', async () => {
    const files = directory();
    files.write('job.yaml', [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'doomed', namespace: 'default' },
        spec: { backoffLimit: 0, template: { metadata: { labels: { app: 'doomed' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'x' }] } } },
      },
    ]);
    const run = await berth.run(['apply', '-f', files.dir, '--wait', '--timeout', '60s'], { timeoutMs: 70_000 });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/job\.batch\/doomed: failed: BackoffLimitExceeded: Job has reached the specified backoff limit/);
  });

  it('waits by default at a terminal, redrawing its lines in place', async () => {
    const files = directory();
    files.write('cm.yaml', [configMap('at-a-terminal', 'default')]);
    const script = requireCommand('script', 'util-linux');
    const main = path.resolve(__dirname, '../../src/cli/main.ts');
    const command = [process.execPath, '-r', path.join(__dirname, 'register-cached.js'), main, 'apply', '-f', files.dir].map((a) => `'${a}'`).join(' ');
    const { stdout } = await promisify(execFile)(script, ['-qec', command, '/dev/null'], { env: { ...berth.env(), TERM: 'xterm', COLUMNS: '100' } });
    expect(stdout).toContain('configmap/at-a-terminal created');
    expect(stdout).toContain('\x1b[2K');
    expect(stdout).toContain('✓');
    expect(stdout).toMatch(/all 1 object ready after/);
  });
});

describe('berth apply --wait with a crash-looping container', () => {
  let api: TestApiServer;
  let client: Client;
  let cli: BerthCli;

  beforeAll(async () => {
    // The node's log endpoint, as an agent would serve it: the crashed container's last lines.
    api = await startTestApiServer('sqlite', { nodeLogs: { open: async () => Readable.from(['starting\n', 'reading /etc/app.conf\n', 'panic: no such file\n']) } });
    client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
    await client.resource(kinds.Node).create(makeNode('n1') as Node);
    cli = new BerthCli(api.url);
  });
  afterAll(async () => {
    cli.dispose();
    client.close();
    await api.stop();
  });

  it('shows the crash with the last log lines, and goes on when the pod comes up', async () => {
    const files = new ManifestDir(path.join(cli.dir, 'crash'));
    files.write('pod.yaml', [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crashy', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'app:1' }] } }]);
    const waiting = cli.background(['apply', '-f', files.dir, '--wait', '--timeout', '60s']);
    await waiting.waitFor(/pod\/crashy: waiting/);
    const crashed = { name: 'app', image: 'app:1', imageID: 'app:1', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app' } }, lastState: { terminated: { exitCode: 2, reason: 'Error' } } };
    const pods = client.resource(kinds.Pod, 'default');
    await pods.patch('crashy', 'merge', { status: { phase: 'Running', containerStatuses: [crashed] } }, { subresource: 'status' });
    const out = await waiting.waitFor(/\| panic: no such file/);
    expect(out).toContain('pod/crashy:   crashy (app): CrashLoopBackOff: restarted 3 times, last exit code 2');
    expect(out).toContain('pod/crashy:   last log lines of crashy (app):');
    expect(out).toContain('pod/crashy:     | reading /etc/app.conf');

    const running = { ...crashed, ready: true, restartCount: 4, state: { running: { startedAt: new Date().toISOString() } } };
    await pods.patch('crashy', 'merge', { status: { containerStatuses: [running], conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    expect(await waiting.exited()).toBe(0);
    expect(waiting.stdout()).toContain('pod/crashy: ready: ready on n1');
  });
});

