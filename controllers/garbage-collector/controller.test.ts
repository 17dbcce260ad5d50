/**
 * The garbage collector's reconciler on seeded caches, with a client that records its writes
 * and answers reads from a fixed "server" state.
 */
import { NotFound } from '../../src/api/errors';
import type { Obj, OwnerReference } from '../../src/api/object';
import { Client, EventRecorder, kinds, ReconcileContext, SharedInformerFactory, WorkQueue } from '../../src/client';
import { logger } from '../../src/log';
import { clone } from '../../src/util/json';
import { GarbageCollector } from './controller';
import { OwnerGraph } from './graph';

interface Write {
  verb: string;
  kind: string;
  name: string;
  body?: unknown;
}

const offline = new Client({ server: 'http://127.0.0.1:9', insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });

function harness(cached: Obj[], server: Obj[] = cached) {
  const writes: Write[] = [];
  const client = {
    resource: (kind: { kind: string }) => ({
      get: async (name: string) => {
        const found = server.find((o) => o.kind === kind.kind && o.metadata.name === name);
        if (!found) throw new NotFound(`${kind.kind} "${name}" not found`);
        return found;
      },
      update: async (obj: Obj) => (writes.push({ verb: 'update', kind: kind.kind, name: obj.metadata.name!, body: obj }), obj),
      delete: async (name: string, options: unknown) => (writes.push({ verb: 'delete', kind: kind.kind, name, body: options }), undefined),
    }),
    discover: async () => {
      throw new NotFound('not served');
    },
  } as unknown as Client;
  const informers = new SharedInformerFactory(offline);
  const graph = new OwnerGraph(informers);
  graph.synced = () => true;
  const byKind: Record<string, Parameters<typeof informers.for>[0]> = { Deployment: kinds.Deployment, ReplicaSet: kinds.ReplicaSet, Pod: kinds.Pod, ConfigMap: kinds.ConfigMap, Node: kinds.Node };
  for (const o of cached) informers.for(byKind[o.kind!]).cache.upsert(clone(o));
  const events: string[] = [];
  const recorder = { event: (_o: Obj, _t: string, reason: string) => events.push(reason) } as unknown as EventRecorder;
  const collector = new GarbageCollector(graph, client, recorder);
  const queue = new WorkQueue();
  const stop = new AbortController();
  const running = collector.run(queue, stop.signal);
  const ctx: ReconcileContext = { signal: new AbortController().signal, log: logger('test'), reconcileId: 'r' };
  return {
    writes,
    events,
    queue,
    reconcile: (uid: string) => collector.reconcile(ctx, uid),
    /** The uids queued so far, taken out of the queue. */
    queued: async () => {
      const keys: string[] = [];
      while (queue.depth > 0) {
        const key = (await queue.get())!;
        keys.push(key);
        queue.done(key);
      }
      return keys.sort();
    },
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

const owner = (kind: string, name: string, uid = name): OwnerReference => ({
  apiVersion: kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1',
  kind,
  name,
  uid,
  controller: true,
  blockOwnerDeletion: true,
});

function object(kind: string, name: string, meta: Partial<Obj['metadata']> = {}): Obj {
  const apiVersion = kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1';
  return { apiVersion, kind, metadata: { name, namespace: 'default', uid: name, resourceVersion: '7', ...meta } };
}

describe('the garbage collector reconciler', () => {
  it('queues, when it starts, every object with owners or a deletion to carry out', async () => {
    const h = harness([
      object('Deployment', 'web'),
      object('ReplicaSet', 'web-1', { ownerReferences: [owner('Deployment', 'web')] }),
      object('ConfigMap', 'plain'),
      object('ConfigMap', 'orphaning', { deletionTimestamp: '2030-01-01T00:00:00Z', finalizers: ['orphan'] }),
    ]);
    expect(await h.queued()).toEqual(['orphaning', 'web-1']);
    await h.stop();
  });

  it('deletes in the background an object whose owner the server confirms gone, with preconditions', async () => {
    const h = harness([object('Pod', 'p', { ownerReferences: [owner('ReplicaSet', 'gone')] })]);
    await h.reconcile('p');
    expect(h.writes).toEqual([{ verb: 'delete', kind: 'Pod', name: 'p', body: expect.objectContaining({ propagationPolicy: 'Background', preconditions: { uid: 'p', resourceVersion: '7' } }) }]);
    await h.stop();
  });

  it('keeps an object whose owner the cache has not seen yet but the server has', async () => {
    const rs = object('ReplicaSet', 'fresh');
    const pod = object('Pod', 'p', { ownerReferences: [owner('ReplicaSet', 'fresh')] });
    const h = harness([pod], [pod, rs]);
    await h.reconcile('p');
    expect(h.writes).toEqual([]);
    await h.stop();
  });

  it('counts an owner whose name now belongs to another object (another uid) as gone', async () => {
    const h = harness([object('ReplicaSet', 'web', { uid: 'new-uid' }), object('Pod', 'p', { ownerReferences: [owner('ReplicaSet', 'web', 'old-uid')] })]);
    await h.reconcile('p');
    expect(h.writes.map((w) => `${w.verb} ${w.name}`)).toEqual(['delete p']);
    await h.stop();
  });

  it('drops only the reference to a gone owner when another owner remains', async () => {
    const h = harness([object('ConfigMap', 'keeper'), object('Pod', 'p', { ownerReferences: [owner('ConfigMap', 'keeper'), owner('ReplicaSet', 'gone')] })]);
    await h.reconcile('p');
    expect(h.writes).toHaveLength(1);
    expect((h.writes[0].body as Obj).metadata.ownerReferences!.map((r) => r.name)).toEqual(['keeper']);
    await h.stop();
  });

  it('in the foreground, deletes a dependent that has dependents of its own in the foreground too, and queues its dependents', async () => {
    const waiting = { deletionTimestamp: '2030-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] };
    const h = harness([
      object('Deployment', 'web', waiting),
      object('ReplicaSet', 'web-1', { ownerReferences: [owner('Deployment', 'web')] }),
      object('Pod', 'web-1-a', { ownerReferences: [owner('ReplicaSet', 'web-1')] }),
    ]);
    await h.queued();
    await h.reconcile('web');
    expect(h.writes).toEqual([]); // the ReplicaSet still blocks it
    expect(await h.queued()).toEqual(['web-1']);
    await h.reconcile('web-1');
    expect(h.writes).toEqual([{ verb: 'delete', kind: 'ReplicaSet', name: 'web-1', body: expect.objectContaining({ propagationPolicy: 'Foreground' }) }]);
    await h.stop();
  });

  it('removes the foreground finalizer once no blocking dependent is left', async () => {
    const nonBlocking = { ...owner('Deployment', 'web'), blockOwnerDeletion: false };
    const h = harness([object('Deployment', 'web', { deletionTimestamp: '2030-01-01T00:00:00Z', finalizers: ['foregroundDeletion', 'other'] }), object('ConfigMap', 'loose', { ownerReferences: [nonBlocking] })]);
    await h.reconcile('web');
    expect(h.writes.map((w) => `${w.verb} ${w.name}`)).toEqual(['update web']);
    expect((h.writes[0].body as Obj).metadata.finalizers).toEqual(['other']);
    await h.stop();
  });

  it('orphans: the dependents lose their reference to the owner, then the finalizer goes', async () => {
    const h = harness([
      object('ReplicaSet', 'web-1', { deletionTimestamp: '2030-01-01T00:00:00Z', finalizers: ['orphan'] }),
      object('Pod', 'a', { ownerReferences: [owner('ReplicaSet', 'web-1')] }),
      object('Pod', 'b', { ownerReferences: [owner('ReplicaSet', 'web-1'), owner('ConfigMap', 'other')] }),
    ]);
    await h.reconcile('web-1');
    expect(h.writes.map((w) => `${w.verb} ${w.kind}/${w.name}`)).toEqual(['update Pod/a', 'update Pod/b', 'update ReplicaSet/web-1']);
    expect((h.writes[0].body as Obj).metadata.ownerReferences).toBeUndefined();
    expect((h.writes[1].body as Obj).metadata.ownerReferences!.map((r) => r.name)).toEqual(['other']);
    expect((h.writes[2].body as Obj).metadata.finalizers).toBeUndefined();
    await h.stop();
  });

  it('leaves alone a cluster-scoped object that names a namespaced owner, and says so', async () => {
    const node: Obj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', uid: 'n', ownerReferences: [owner('Pod', 'p')] } };
    const h = harness([node]);
    await h.reconcile('n');
    expect(h.writes).toEqual([]);
    expect(h.events).toEqual(['OwnerRefInvalidNamespace']);
    await h.stop();
  });

  it('retries an owner of a kind the server does not serve', async () => {
    const h = harness([object('Pod', 'p', { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'w' }] })]);
    await expect(h.reconcile('p')).rejects.toThrow('not served');
    expect(h.writes).toEqual([]);
    await h.stop();
  });
});
