/**
 * `berth rollout` and `berth scale` with the deployment, replicaset and placement controllers
 * running and a node agent on the simulated runtime (pods turn Running and Ready): status waits
 * for the rollout and fails on the progress deadline, history is what kubectl prints, undo goes
 * back a revision (or to one named), restart rolls the pods, pause holds template changes back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningAgent, startAgent } from '../../src/agent/agent';
import type { Deployment } from '../../src/api/types';
import { kinds } from '../../src/client';
import { Kubectl } from '../support/kubectl';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';
import { BerthCli } from './berth';

let plane: TestControlPlane;
let berth: BerthCli;
let kubectl: Kubectl;
let agent: RunningAgent;
let dataDir: string;

const deployments = () => plane.client.resource(kinds.Deployment, 'default');
const replicaSets = () => plane.client.resource(kinds.ReplicaSet, 'default');

function deployment(name: string, image: string, extra: { replicas?: number; cpu?: string; progressDeadlineSeconds?: number; cause?: string } = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', annotations: extra.cause ? { 'kubernetes.io/change-cause': extra.cause } : undefined },
    spec: {
      replicas: extra.replicas ?? 2,
      progressDeadlineSeconds: extra.progressDeadlineSeconds,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image, resources: { requests: { cpu: extra.cpu ?? '10m', memory: '16Mi' } } }] },
      },
    },
  } as Deployment;
}

/** Sets the image (and the change-cause the new revision records). */
async function setImage(name: string, image: string, cause: string): Promise<void> {
  await deployments().patch(name, 'strategic', {
    metadata: { annotations: { 'kubernetes.io/change-cause': cause } },
    spec: { template: { spec: { containers: [{ name: 'main', image }] } } },
  });
}

const imageOf = async (name: string) => (await deployments().get(name)).spec?.template?.spec?.containers?.[0]?.image;

async function rolledOut(name: string): Promise<string> {
  const r = await berth.run(['rollout', 'status', `deploy/${name}`, '--timeout', '60s'], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`rollout status ${name} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  plane = await startControlPlane(['deployment', 'replicaset', 'placement']);
  berth = new BerthCli(plane.api.url);
  kubectl = new Kubectl(plane.api.url);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-rollout-'));
  agent = await startAgent({ client: plane.client, node: 'node-a', runtime: 'simulated', dataDir, serviceProxy: false, nodeIP: '127.0.0.1', capacity: { cpu: '8', memory: '16Gi' }, checkEveryMs: 500 });
  await eventually('node-a to be Ready', async () => (await plane.client.resource(kinds.Node).get('node-a')).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  await deployments().create(deployment('web', 'busybox:1.35', { cause: 'first' }));
}, 60_000);

afterAll(async () => {
  berth.dispose();
  kubectl.dispose();
  await agent.stop();
  await plane.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('berth rollout', () => {
  it('status waits until the rollout is done and ends as kubectl does', async () => {
    const out = await rolledOut('web');
    expect(out.trimEnd().split('\n').pop()).toBe('deployment "web" successfully rolled out');
    expect(await kubectl.ok(['rollout', 'status', 'deploy/web'])).toBe('deployment "web" successfully rolled out\n');
    const once = await berth.run(['rollout', 'status', 'deploy/web', '--watch=false']);
    expect(once).toEqual({ code: 0, stdout: 'deployment "web" successfully rolled out\n', stderr: '' });
  });

  it('history lists the revisions with their change-causes, as kubectl prints them', async () => {
    await setImage('web', 'busybox:1.36', 'second');
    await rolledOut('web');
    const history = await berth.ok(['rollout', 'history', 'deploy/web']);
    expect(history).toBe(await kubectl.ok(['rollout', 'history', 'deploy/web']));
    expect(history).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         second\n\n');
    const one = await berth.ok(['rollout', 'history', 'deploy/web', '--revision', '1']);
    expect(one).toBe(await kubectl.ok(['rollout', 'history', 'deploy/web', '--revision=1']));
    expect(one).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n/);
    expect(one).toMatch(/Image:\s+busybox:1\.35/);
  });

  it('undo goes back to the previous revision, and --to-revision to a named one', async () => {
    expect(await berth.ok(['rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    expect(await imageOf('web')).toBe('busybox:1.35');
    await rolledOut('web');
    expect(await berth.ok(['rollout', 'history', 'deploy/web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         second\n3         first\n\n');
    expect(await berth.ok(['rollout', 'undo', 'deploy/web', '--to-revision', '2'])).toBe('deployment.apps/web rolled back\n');
    expect(await imageOf('web')).toBe('busybox:1.36');
    await rolledOut('web');
    expect(await berth.ok(['rollout', 'undo', 'deploy/web', '--to-revision', '4'])).toBe('deployment.apps/web skipped rollback (current template already matches revision 4)\n');
    const missing = await berth.run(['rollout', 'undo', 'deploy/web', '--to-revision', '99']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'error: unable to find specified revision 99 in history\n' });
  });

  it('restart rolls every pod: the template gets restartedAt and a new revision rolls out', async () => {
    const before = (await replicaSets().list()).items.length;
    expect(await berth.ok(['rollout', 'restart', 'deploy/web'])).toBe('deployment.apps/web restarted\n');
    const template = (await deployments().get('web')).spec?.template;
    expect(Date.parse(template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '')).toBeGreaterThan(Date.now() - 60_000);
    await rolledOut('web');
    expect((await replicaSets().list()).items.length).toBe(before + 1);
    const pods = await plane.client.resource(kinds.Pod, 'default').list({ labelSelector: 'app=web' });
    const current = (await deployments().get('web')).metadata.annotations?.['deployment.kubernetes.io/revision'];
    const sets = (await replicaSets().list()).items;
    const currentSet = sets.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === current);
    expect(pods.items.filter((p) => !p.metadata.deletionTimestamp).every((p) => p.metadata.ownerReferences?.[0]?.uid === currentSet?.metadata.uid)).toBe(true);
  });

  it('pause holds template changes back (undo and restart refuse) until resume', async () => {
    expect(await berth.ok(['rollout', 'pause', 'deploy/web'])).toBe('deployment.apps/web paused\n');
    expect((await deployments().get('web')).spec?.paused).toBe(true);
    expect(await berth.run(['rollout', 'pause', 'deploy/web'])).toEqual({ code: 1, stdout: '', stderr: 'error: deployments.apps "web" is already paused\n' });
    const sets = (await replicaSets().list()).items.length;
    await setImage('web', 'busybox:1.37', 'paused change');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await replicaSets().list()).items.length).toBe(sets);
    expect((await berth.run(['rollout', 'undo', 'deploy/web'])).stderr).toMatch(/you cannot rollback a paused deployment/);
    expect((await berth.run(['rollout', 'restart', 'deploy/web'])).stderr).toMatch(/can't restart paused deployment/);
    expect(await berth.ok(['rollout', 'resume', 'deploy/web'])).toBe('deployment.apps/web resumed\n');
    expect((await deployments().get('web')).spec?.paused).toBeUndefined();
    await rolledOut('web');
    expect((await replicaSets().list()).items.length).toBe(sets + 1);
    expect(await berth.run(['rollout', 'resume', 'deploy/web'])).toEqual({ code: 1, stdout: '', stderr: 'error: deployments.apps "web" is not paused\n' });
  });

  it('describe shows the deployment with its old and new ReplicaSets, the ReplicaSet with its pods, as kubectl does', async () => {
    const withoutAges = (text: string) => text.replace(/\b\d+(d|h|m|s)(\d+(h|m|s))?\b/g, '<age>');
    await rolledOut('web');
    const current = (await replicaSets().list()).items.find((rs) => (rs.spec?.replicas ?? 0) > 0)!;
    const runningPod = (await plane.client.resource(kinds.Pod, 'default').list({ labelSelector: 'app=web' })).items.find((p) => p.status?.phase === 'Running')!;
    for (const args of [
      ['describe', 'deployment', 'web'],
      ['describe', 'rs', current.metadata.name!],
      ['describe', 'pod', runningPod.metadata.name!],
    ]) {
      const expected = withoutAges(await kubectl.ok(args));
      const actual = withoutAges(await berth.ok(args));
      // Events of the same second keep the server's order here; kubectl's unstable sort may swap them past 12 events.
      // Their columns are as wide as the widest age, which may have gained a digit between the two runs.
      const [before, events = ''] = actual.split('\nEvents:\n');
      const [expectedBefore, expectedEvents = ''] = expected.split('\nEvents:\n');
      const rows = (text: string) => text.split('\n').map((line) => line.replace(/\s+/g, ' ')).sort();
      expect(before).toBe(expectedBefore);
      expect(rows(events)).toEqual(rows(expectedEvents));
    }
    const described = await berth.ok(['describe', 'deploy', 'web']);
    expect(described).toMatch(new RegExp(`^NewReplicaSet:\\s+${current.metadata.name} \\(2/2 replicas created\\)$`, 'm'));
    expect(described).toMatch(/^ {2}Normal\s+ScalingReplicaSet\s+/m);
  });

  it('status exits 1 when the rollout exceeds its progress deadline', async () => {
    await deployments().create(deployment('stuck', 'busybox:1.35', { replicas: 1, cpu: '100', progressDeadlineSeconds: 2 }));
    const r = await berth.run(['rollout', 'status', 'deploy/stuck', '--timeout', '60s'], { timeoutMs: 90_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Waiting for deployment "stuck" rollout to finish: 0 of 1 updated replicas are available\.\.\.\n/m);
    expect(r.stderr).toBe('error: deployment "stuck" exceeded its progress deadline\n');
  });

  it('status gives up after --timeout, saying where the rollout stood', async () => {
    await deployments().create(deployment('slow', 'busybox:1.35', { replicas: 1, cpu: '100' }));
    const r = await berth.run(['rollout', 'status', 'deploy/slow', '--timeout', '2s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: timed out waiting for the rollout of deployment "slow": Waiting for deployment "slow" rollout to finish: /);
  });

  it('refuses kinds it cannot roll out', async () => {
    const r = await berth.run(['rollout', 'status', 'svc/web']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('error: berth rollout works on deployments, not services\n');
  });
});

describe('berth scale', () => {
  it('sets the replicas through the scale subresource and the controllers follow', async () => {
    expect(await berth.ok(['scale', 'deploy/web', '--replicas', '3'])).toBe('deployment.apps/web scaled\n');
    expect((await deployments().get('web')).spec?.replicas).toBe(3);
    await rolledOut('web');
    await eventually('three pods of web', async () => (await plane.client.resource(kinds.Pod, 'default').list({ labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp).length === 3);
  });

  it('with --current-replicas scales only from that count', async () => {
    const wrong = await berth.run(['scale', 'deployment', 'web', '--current-replicas', '5', '--replicas', '1']);
    expect(wrong).toEqual({ code: 1, stdout: '', stderr: 'error: Expected replicas to be 5, was 3\n' });
    expect(await berth.ok(['scale', 'deployment', 'web', '--current-replicas', '3', '--replicas', '1'])).toBe('deployment.apps/web scaled\n');
    expect((await deployments().get('web')).spec?.replicas).toBe(1);
  });

  it('refuses kinds without a scale subresource and bad counts', async () => {
    expect(await berth.run(['scale', 'svc/web', '--replicas', '2'])).toEqual({ code: 4, stdout: '', stderr: 'error: services cannot be scaled: the server gives them no scale subresource\n' });
    expect((await berth.run(['scale', 'deploy/web', '--replicas', '-1'])).code).toBe(4);
  });
});
