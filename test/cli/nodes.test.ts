/**
 * `berth cordon`, `uncordon` and `drain` against a real API server and a real node agent on the
 * simulated runtime (which finishes the graceful deletions an eviction starts, as a kubelet
 * would): the node turns unschedulable, evictable pods go through the eviction API and are gone
 * when drain returns, DaemonSet and mirror pods stay, unmanaged and emptyDir pods need a flag.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningAgent, startAgent } from '../../src/agent/agent';
import type { Obj } from '../../src/api/object';
import type { Pod } from '../../src/api/types';
import { kinds } from '../../src/client';
import { eventually, makeNode, startControlPlane, TestControlPlane } from '../support/control-plane';
import { BerthCli } from './berth';

let plane: TestControlPlane;
let berth: BerthCli;
let agent: RunningAgent;
let dataDir: string;

const owner = (kind: string, name: string, uid: string) => [{ apiVersion: 'apps/v1', kind, name, uid, controller: true }];

function pod(name: string, node: string, extra: { owners?: Obj['metadata']['ownerReferences']; annotations?: Record<string, string>; emptyDir?: boolean; grace?: number } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ownerReferences: extra.owners, annotations: extra.annotations },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: extra.grace ?? 1,
      containers: [{ name: 'main', image: 'busybox' }],
      volumes: extra.emptyDir ? [{ name: 'scratch', emptyDir: {} }] : undefined,
    },
  } as Pod;
}

const podsOn = async (node: string) =>
  (await plane.client.resource(kinds.Pod).listAll({ fieldSelector: `spec.nodeName=${node}` })).items.map((p) => p.metadata.name).sort();

beforeAll(async () => {
  plane = await startControlPlane([]);
  berth = new BerthCli(plane.api.url);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-nodes-'));
  agent = await startAgent({ client: plane.client, node: 'node-a', runtime: 'simulated', dataDir, serviceProxy: false, nodeIP: '127.0.0.1', checkEveryMs: 500 });
  await eventually('node-a to register', async () => (await plane.client.resource(kinds.Node).get('node-a')).metadata.uid);
  await plane.client.resource(kinds.Node).create(makeNode('node-c') as never);
  const rs = await plane.client.resource(kinds.ReplicaSet, 'default').create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
  } as never);
  const pods = plane.client.resource(kinds.Pod, 'default');
  const byRs = owner('ReplicaSet', 'web', rs.metadata.uid!);
  await pods.create(pod('web-1', 'node-a', { owners: byRs }));
  await pods.create(pod('web-2', 'node-a', { owners: byRs }));
  await pods.create(pod('cache', 'node-a', { owners: byRs, emptyDir: true }));
  await pods.create(pod('solo', 'node-a'));
  await pods.create(pod('logger-x1', 'node-a', { owners: owner('DaemonSet', 'logger', 'ds-uid') }));
  await pods.create(pod('static-node-a', 'node-a', { annotations: { 'kubernetes.io/config.mirror': 'abc' } }));
  await pods.create(pod('stuck', 'node-c', { owners: byRs, grace: 600 }));
  await eventually('the pods on node-a to run', async () => (await pods.get('web-1')).status?.phase === 'Running', 30_000);
});

afterAll(async () => {
  berth.dispose();
  await agent.stop();
  await plane.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('berth cordon / uncordon', () => {
  it('marks a node unschedulable and schedulable again, saying when nothing changed', async () => {
    const nodes = plane.client.resource(kinds.Node);
    expect(await berth.ok(['cordon', 'node-c'])).toBe('node/node-c cordoned\n');
    expect((await nodes.get('node-c')).spec?.unschedulable).toBe(true);
    expect(await berth.ok(['cordon', 'node-c'])).toBe('node/node-c already cordoned\n');
    expect(await berth.ok(['get', 'node', 'node-c'])).toMatch(/node-c\s+Ready,SchedulingDisabled/);
    expect(await berth.ok(['uncordon', 'node-c'])).toBe('node/node-c uncordoned\n');
    expect((await nodes.get('node-c')).spec?.unschedulable).toBeUndefined();
    expect(await berth.ok(['uncordon', 'node-c'])).toBe('node/node-c already uncordoned\n');
  });

  it('names a node that does not exist', async () => {
    const r = await berth.run(['cordon', 'nowhere']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: nodes "nowhere" not found\n');
  });
});

describe('berth drain', () => {
  it('refuses unmanaged and emptyDir pods without the flags, touching no pod but leaving the node cordoned', async () => {
    const before = await podsOn('node-a');
    const r = await berth.run(['drain', 'node-a']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot delete Pods that declare no controller \(use --force to override\): default\/solo/);
    expect(r.stderr).toMatch(/cannot delete Pods with local storage \(use --delete-emptydir-data to override\): default\/cache/);
    expect((await plane.client.resource(kinds.Node).get('node-a')).spec?.unschedulable).toBe(true);
    expect(await podsOn('node-a')).toEqual(before);
  });

  it('evicts every pod but DaemonSet and mirror ones and returns once they are gone', async () => {
    const r = await berth.run(['drain', 'node-a', '--force', '--delete-emptydir-data', '--timeout', '60s'], { timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('node/node-a already cordoned');
    expect(lines.filter((l) => l.startsWith('evicting pod ')).sort()).toEqual(['evicting pod default/cache', 'evicting pod default/solo', 'evicting pod default/web-1', 'evicting pod default/web-2']);
    expect(lines.filter((l) => l.endsWith(' evicted')).sort()).toEqual(['pod/cache evicted', 'pod/solo evicted', 'pod/web-1 evicted', 'pod/web-2 evicted']);
    expect(lines[lines.length - 1]).toBe('node/node-a drained');
    expect(r.stderr).toBe('Warning: ignoring DaemonSet-managed and mirror Pods: default/logger-x1, default/static-node-a\n');
    expect(await podsOn('node-a')).toEqual(['logger-x1', 'static-node-a']);
  });

  it('gives up after --timeout when a pod does not go, naming it', async () => {
    const r = await berth.run(['drain', 'node-c', '--timeout', '2s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^node\/node-c cordoned\nevicting pod default\/stuck\n$/);
    expect(r.stderr).toBe('error: drain did not complete within 2s; still on node/node-c: default/stuck\n');
    const stuck = await plane.client.resource(kinds.Pod, 'default').get('stuck');
    expect(stuck.metadata.deletionTimestamp).toBeDefined();
    expect(stuck.metadata.deletionGracePeriodSeconds).toBe(600);
  });

  it('evicts with the --grace-period given instead of the pod\'s own', async () => {
    const r = await berth.run(['drain', 'node-c', '--grace-period', '5', '--timeout', '1s']);
    expect(r.code).toBe(1);
    const stuck = await plane.client.resource(kinds.Pod, 'default').get('stuck');
    expect(stuck.metadata.deletionGracePeriodSeconds).toBe(5);
  });
});
