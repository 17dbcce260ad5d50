/**
 * The node lifecycle controller with the replicaset and placement controllers against a real API
 * server. Nodes are plain Node objects; the test plays their agents: it renews each node's Lease,
 * stops renewing one, and later brings it back by renewing again and posting Ready=True.
 */
import type { Event, Lease, Node, Pod, ReplicaSet } from '../../src/api/types';
import { kinds } from '../../src/client';
import { eventually, makeNode, startControlPlane, TestControlPlane } from '../support/control-plane';

const grace = 1500;
const evictAfter = 1000;
let plane: TestControlPlane;
const renewing = new Set<string>();
let renewer: NodeJS.Timeout;
let renewals: Promise<unknown> = Promise.resolve();

const microTime = () => new Date().toISOString().replace('Z', '000Z');

async function renew(name: string): Promise<void> {
  const leases = plane.client.resource(kinds.Lease, 'kube-node-lease');
  const current = await leases.get(name);
  await leases.update({ ...current, spec: { ...current.spec, renewTime: microTime() } });
}

beforeAll(async () => {
  plane = await startControlPlane(['replicaset', 'placement', 'node-lifecycle'], { settings: { nodeMonitorGracePeriodMs: grace, podEvictionTimeoutMs: evictAfter } });
  for (const name of ['steady', 'flaky']) {
    await plane.client.resource(kinds.Node).create(makeNode(name, { cpu: '4' }) as Node);
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() },
    };
    await plane.client.resource(kinds.Lease, 'kube-node-lease').create(lease);
    renewing.add(name);
  }
  renewer = setInterval(() => {
    renewals = Promise.all([renewals, ...[...renewing].map((name) => renew(name).catch(() => undefined))]);
  }, 300);
});

afterAll(async () => {
  clearInterval(renewer);
  await renewals;
  await plane.stop();
});

const pods = () => plane.client.resource(kinds.Pod, 'default');

function replicaSet(replicas: number): ReplicaSet {
  const labels = { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m' } } }] } },
    },
  };
}

/** A pod bound to `flaky` that tolerates its loss for an hour, Ready as its agent would say. */
async function patientPod(): Promise<void> {
  await pods().create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'patient', namespace: 'default' },
    spec: {
      nodeName: 'flaky',
      containers: [{ name: 'app', image: 'busybox' }],
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3600 }],
    },
  });
  const created = await pods().get('patient');
  await pods().updateStatus({ ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
}

const taintKeys = (node: Node) => (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

it('a node that stops renewing its Lease goes Unknown and is tainted; its pods are evicted after their toleration and replaced elsewhere; back, it loses the taints', async () => {
  await patientPod();
  await plane.client.resource(kinds.ReplicaSet, 'default').create(replicaSet(4));
  const placed = await eventually('four pods bound, spread over both nodes', async () => {
    const { items } = await pods().list({ labelSelector: 'app=web' });
    const bound = items.filter((p) => p.spec?.nodeName);
    return bound.length === 4 && bound.some((p) => p.spec!.nodeName === 'flaky') ? bound : undefined;
  });
  const lost = placed.filter((p) => p.spec!.nodeName === 'flaky').map((p) => p.metadata.name!);

  renewing.delete('flaky');
  const unknown = await eventually('flaky Ready=Unknown and tainted', async () => {
    const node = await plane.client.resource(kinds.Node).get('flaky');
    return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && taintKeys(node).length === 2 ? node : undefined;
  });
  expect(unknown.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  expect(taintKeys(unknown)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  const steady = await plane.client.resource(kinds.Node).get('steady');
  expect(steady.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
  expect(taintKeys(steady)).toEqual([]);

  // Evicted after their (admission default) toleration, replaced on the node that is still there.
  await eventually('the ReplicaSet whole again, all on steady', async () => {
    const { items } = await pods().list({ labelSelector: 'app=web' });
    const live = items.filter((p) => !p.metadata.deletionTimestamp);
    return live.length === 4 && live.every((p) => p.spec?.nodeName === 'steady');
  });
  for (const name of lost) {
    const evicted = await pods().get(name).catch(() => undefined);
    // Graceful: without an agent to confirm, the pod stays, marked for deletion.
    expect(evicted?.metadata.deletionTimestamp).toBeDefined();
    expect(evicted?.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
  }
  const patient = await pods().get('patient');
  expect(patient.metadata.deletionTimestamp).toBeUndefined();
  expect(patient.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');

  const { items: events } = await plane.client.resource(kinds.Event, 'default').list();
  const reasons = (name: string) => events.filter((e: Event) => e.involvedObject.name === name).map((e: Event) => `${e.reason}: ${e.message}`);
  expect(reasons('flaky')).toContain('NodeNotReady: Node flaky status is now: NodeNotReady');
  for (const name of lost) expect(reasons(name)).toContain(`TaintManagerEviction: Marking for deletion Pod default/${name}`);
  expect(reasons('patient')).toContain('NodeNotReady: Node is not ready');

  // Back: the agent renews its Lease and posts Ready=True.
  renewing.add('flaky');
  const node = await plane.client.resource(kinds.Node).get('flaky');
  const conditions = node.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'True' as const, reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } : c));
  await plane.client.resource(kinds.Node).updateStatus({ ...node, status: { ...node.status, conditions } });
  await eventually('flaky without taints', async () => taintKeys(await plane.client.resource(kinds.Node).get('flaky')).length === 0);
});
