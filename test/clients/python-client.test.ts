/**
 * The Debian python3-kubernetes client, unchanged, against berth served as `berth up` serves it
 * (https, its CA and a bearer token in the kubeconfig): python_client.py lists namespaces,
 * creates a ConfigMap and reads it back, lists pods by a set-based label selector, watches the
 * ConfigMap from a list's version (ADDED, a MODIFIED made by this test, DELETED) and gets the
 * server's 410 as an ApiException. Each step prints a JSON line that this test checks.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { Backend, backends, stopSharedEtcd } from '../support/api-server';
import { SecureCluster, startSecureCluster } from './secure-cluster';

const namespace = 'default';

/** A Python that can import the Debian kubernetes package (a pyenv python3 first on PATH cannot). */
function pythonWithKubernetes(): string {
  const candidates = ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import kubernetes'], { stdio: 'ignore' });
      return python;
    } catch {
      // Not there, or without the package: try the next.
    }
  }
  throw new Error(`no ${candidates.join(' or ')} can import kubernetes (Debian's python3-kubernetes); scripts/install installs it`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Step = Record<string, any>;

/** Runs python_client.py; `onStep` sees each line as it comes (to act on "waiting"). */
function runScript(python: string, args: string[], onStep: (step: Step) => Promise<void>): Promise<{ code: number | null; steps: Step[]; stderr: string }> {
  const child: ChildProcess = spawn(python, [path.join(__dirname, 'python_client.py'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const steps: Step[] = [];
  let stderr = '';
  let acting = Promise.resolve();
  child.stderr!.on('data', (c) => (stderr += c));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const step = JSON.parse(line) as Step;
    steps.push(step);
    acting = acting.then(() => onStep(step));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`python_client.py did not finish in 60 s; steps: ${JSON.stringify(steps)}; stderr: ${stderr}`));
    }, 60000);
    child.on('close', (code) => {
      clearTimeout(timer);
      acting.then(() => resolve({ code, steps, stderr }), reject);
    });
  });
}

afterAll(stopSharedEtcd);

describe.each(backends)('the python3-kubernetes client over %s', (backend: Backend) => {
  let cluster: SecureCluster;
  let run: { code: number | null; steps: Step[]; stderr: string };
  let modified: Step | undefined;
  const configMap = `from-python-${backend}`;
  const step = (name: string) => run.steps.filter((s) => s.step === name);

  beforeAll(async () => {
    const python = pythonWithKubernetes();
    cluster = await startSecureCluster(backend);
    const pod = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
    });
    for (const [name, labels] of [
      ['py-a', { app: 'py', tier: 'web' }],
      ['py-b', { app: 'py', tier: 'worker' }],
      ['py-c', { app: 'py', tier: 'cache' }],
      ['other', { app: 'other', tier: 'web' }],
    ] as const) {
      expect((await cluster.request('POST', `/api/v1/namespaces/${namespace}/pods`, pod(name, labels))).status).toBe(201);
    }
    // A restart drops the history before it, so an old resourceVersion is Expired afterwards.
    await cluster.stop();
    await cluster.start();
    run = await runScript(python, [cluster.kubeconfig, namespace, configMap, 'app=py,tier notin (cache)'], async (step) => {
      if (step.step !== 'waiting') return;
      const reply = await cluster.request('PATCH', `/api/v1/namespaces/${namespace}/configmaps/${configMap}`, { data: { greeting: 'changed by the test' } }, { 'Content-Type': 'application/merge-patch+json' });
      expect(reply.status).toBe(200);
      modified = reply.body;
    });
  }, 90000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('runs the script to its end without an error', () => {
    expect({ failed: step('failed'), code: run.code, stderr: run.stderr }).toEqual({ failed: [], code: 0, stderr: '' });
    expect(step('done')).toHaveLength(1);
  });

  it('loads the kubeconfig berth up writes: https, verifying the server with its CA, with the bearer token', () => {
    expect(step('config')).toEqual([{ step: 'config', host: cluster.url, verifiesTls: true, hasToken: true }]);
  });

  it('lists namespaces, creates a ConfigMap and reads it back', () => {
    expect(step('namespaces')[0].names).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const [created] = step('created');
    expect(created).toMatchObject({ name: configMap, uid: expect.stringMatching(/^[0-9a-f-]{36}$/), resourceVersion: expect.stringMatching(/^\d+$/) });
    expect(step('read')).toEqual([
      // creationTimestamp parsed as a date (RFC 3339, UTC)
      { step: 'read', name: configMap, uid: created.uid, data: { greeting: 'hello' }, labels: { 'made-by': 'python' }, created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/) },
    ]);
  });

  it('lists pods by a set-based label selector', () => {
    expect(step('pods')).toEqual([{ step: 'pods', names: ['py-a', 'py-b'], phases: ['Pending'] }]);
  });

  // The Python client sends `watch=True`: read as true, as Kubernetes reads any value but "false" and "0".
  it('watches from a list version: ADDED, the MODIFIED this test made, DELETED; an expired version raises 410', async () => {
    const [created] = step('created');
    expect(modified).toBeDefined();
    expect(step('event').map(({ type, name, resourceVersion, data }) => ({ type, name, resourceVersion, data }))).toEqual([
      { type: 'ADDED', name: configMap, resourceVersion: created.resourceVersion, data: { greeting: 'hello' } },
      { type: 'MODIFIED', name: configMap, resourceVersion: modified!.metadata.resourceVersion, data: { greeting: 'changed by the test' } },
      { type: 'DELETED', name: configMap, resourceVersion: expect.stringMatching(/^\d+$/), data: { greeting: 'changed by the test' } },
    ]);
    expect(Number(step('event')[2].resourceVersion)).toBeGreaterThan(Number(modified!.metadata.resourceVersion));
    // The script deleted it after the MODIFIED.
    expect((await cluster.request('GET', `/api/v1/namespaces/${namespace}/configmaps/${configMap}`)).status).toBe(404);
    expect(step('expired')).toEqual([{ step: 'expired', status: 410, reason: expect.stringMatching(/^Expired: /) }]);
  });
});
