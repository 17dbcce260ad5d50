/**
 * The node lifecycle reconciler on seeded caches, with a client that records the writes.
 */
import type { Obj } from '../../src/api/object';
import type { Lease, Node, Pod } from '../../src/api/types';
import { Client, EventRecorder, Informer, KindRef, kinds, ReconcileContext } from '../../src/client';
import { logger } from '../../src/log';
import { clone } from '../../src/util/json';
import { NodeLifecycleReconciler } from './controller';

interface Write {
  verb: string;
  kind: string;
  name: string;
  body?: unknown;
}

/** A client whose writes are recorded and answered with the object written (a new resourceVersion). */
function recordingClient(writes: Write[]): Client {
  const resource = (kind: { kind: string }) => ({
    updateStatus: async (obj: Obj) => (writes.push({ verb: 'updateStatus', kind: kind.kind, name: obj.metadata.name!, body: obj }), obj),
    update: async (obj: Obj) => (writes.push({ verb: 'update', kind: kind.kind, name: obj.metadata.name!, body: obj }), obj),
    patch: async (name: string, _type: string, body: unknown) => (writes.push({ verb: 'patch', kind: kind.kind, name, body }), {}),
    delete: async (name: string) => (writes.push({ verb: 'delete', kind: kind.kind, name }), undefined),
  });
  return { resource } as unknown as Client;
}

function recordingEvents(events: string[]): EventRecorder {
  return { event: (obj: Obj, type: string, reason: string, message: string) => events.push(`${obj.kind}/${obj.metadata.name} ${type} ${reason}: ${message}`) } as unknown as EventRecorder;
}

const offline = new Client({ server: 'http://127.0.0.1:9', insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });

function seeded<T extends Obj>(kind: KindRef<T>, objects: T[]): Informer<T> {
  const informer = new Informer<T>(offline.resource(kind));
  for (const o of objects) informer.cache.upsert(clone(o));
  return informer;
}

const start = Date.parse('2030-01-01T00:00:00Z');

function node(ready: 'True' | 'False' | 'Unknown', taints: Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never = []): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', resourceVersion: '1', creationTimestamp: '2029-12-31T00:00:00Z' },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: '2030-01-01T00:00:00Z' }] },
  };
}

function pod(name: string, tolerationSeconds?: number, ready = true): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      nodeName: 'n1',
      containers: [{ name: 'c', image: 'busybox' }],
      tolerations: tolerationSeconds === undefined ? [] : [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }],
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function harness(nodes: Node[], pods: Pod[], leases: Lease[] = []) {
  const writes: Write[] = [];
  const events: string[] = [];
  let now = start;
  const parts = {
    nodes: seeded<Node>(kinds.Node, nodes),
    leases: seeded<Lease>(kinds.Lease, leases),
    pods: seeded<Pod>(kinds.Pod, pods),
    client: recordingClient(writes),
    nodeEvents: recordingEvents(events),
    evictionEvents: recordingEvents(events),
  };
  const reconciler = new NodeLifecycleReconciler(parts, { nodeMonitorGracePeriodMs: 40_000, podEvictionTimeoutMs: 300_000, now: () => now });
  const ctx: ReconcileContext = { signal: new AbortController().signal, log: logger('test'), reconcileId: 'r' };
  return {
    writes,
    events,
    parts,
    reconcile: () => reconciler.reconcile(ctx, 'n1'),
    at: (ms: number) => (now = start + ms),
    /** What the informer would bring back after our writes. */
    sync: () => {
      for (const w of writes) {
        if (w.verb !== 'update' && w.verb !== 'updateStatus') continue;
        if (w.kind === 'Node') parts.nodes.cache.upsert(clone(w.body as Node));
        if (w.kind === 'Pod') parts.pods.cache.upsert(clone(w.body as Pod));
      }
    },
  };
}

describe('the node lifecycle reconciler', () => {
  it('leaves a node that keeps renewing alone, and looks again when its grace period would run out', async () => {
    const h = harness([node('True')], [pod('a', 300)]);
    expect(await h.reconcile()).toEqual({ requeueAfter: 40_001 });
    expect(h.writes).toEqual([]);
  });

  it('marks a silent node Unknown, taints it, tells of it once and marks its pods not ready', async () => {
    const h = harness([node('True')], [pod('a', 60), pod('b', 60, false)]);
    await h.reconcile();
    h.at(41_000);
    const result = await h.reconcile();
    const verbs = h.writes.map((w) => `${w.verb} ${w.kind}/${w.name}`);
    expect(verbs).toEqual(['updateStatus Node/n1', 'updateStatus Pod/a', 'update Node/n1']);
    const status = (h.writes[0].body as Node).status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(status).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    const taints = (h.writes[2].body as Node).spec!.taints!;
    expect(taints.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(h.events).toEqual(['Node/n1 Normal NodeNotReady: Node n1 status is now: NodeNotReady', 'Pod/a Warning NodeNotReady: Node is not ready']);
    // The pods tolerate the taint for 60 s from now.
    expect(result).toEqual({ requeueAfter: 60_000 });

    h.sync();
    h.writes.length = 0;
    await h.reconcile();
    expect(h.writes).toEqual([]); // nothing more to say until the tolerations run out
    expect(h.events).toHaveLength(2);
  });

  it('evicts each pod when its toleration runs out: an event, the DisruptionTarget condition, a delete', async () => {
    const tainted = node('Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2030-01-01T00:00:00Z' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    const h = harness([tainted], [pod('quick', 10), pod('slow', 100), pod('stays'), { ...pod('defaults'), spec: { ...pod('defaults').spec!, tolerations: undefined } }]);
    h.at(10_000);
    // 'stays' tolerates nothing and goes at once, with 'quick' whose 10 s are up; 'slow' waits 90 s more.
    expect(await h.reconcile()).toEqual({ requeueAfter: 90_000 });
    const deleted = h.writes.filter((w) => w.verb === 'delete').map((w) => w.name);
    expect(deleted.sort()).toEqual(['defaults', 'quick', 'stays']);
    const patch = h.writes.find((w) => w.verb === 'patch' && w.name === 'quick')!.body;
    expect(patch).toEqual({ status: { conditions: [expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' })] } });
    expect(h.events).toContain('Pod/quick Normal TaintManagerEviction: Marking for deletion Pod default/quick');
  });

  it('skips pods already being deleted or finished', async () => {
    const tainted = node('Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2030-01-01T00:00:00Z' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    const going = { ...pod('going'), metadata: { ...pod('going').metadata, deletionTimestamp: '2030-01-01T00:00:01Z' } };
    const done = { ...pod('done'), status: { phase: 'Succeeded' as const } };
    const h = harness([tainted], [going, done]);
    await h.reconcile();
    expect(h.writes.filter((w) => w.verb === 'delete')).toEqual([]);
  });

  it('removes the taints of a node that is Ready again and evicts nothing', async () => {
    const back = node('True', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2030-01-01T00:00:00Z' }, { key: 'dedicated', effect: 'NoSchedule' }]);
    const h = harness([back], [pod('a')]);
    await h.reconcile();
    expect(h.writes.map((w) => w.verb)).toEqual(['update']);
    expect((h.writes[0].body as Node).spec!.taints).toEqual([{ key: 'dedicated', effect: 'NoSchedule' }]);
  });

  it('takes a renewed Lease as a sign of life', async () => {
    const lease = (renewTime: string): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime } });
    const h = harness([node('True')], [], [lease('2030-01-01T00:00:00.000000Z')]);
    await h.reconcile();
    h.at(30_000);
    h.parts.leases.cache.upsert(lease('2030-01-01T00:00:30.000000Z'));
    await h.reconcile();
    h.at(60_000); // 60 s after the first sight, 30 s after the renewal
    expect(await h.reconcile()).toEqual({ requeueAfter: 10_001 });
    expect(h.writes).toEqual([]);
  });
});
