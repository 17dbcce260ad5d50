import { Forbidden } from '../../src/api/errors';
import type { Pod, ReplicaSet } from '../../src/api/types';
import { Expectations, ObjectCache } from '../../src/client';
import { context, pod, RecordingReplicaSetApi, replicaSet, T0 } from './fixtures';
import { ReplicaSetReconciler } from './reconciler';

interface Seeded {
  api: RecordingReplicaSetApi;
  expectations: Expectations;
  events: string[];
  reconciler: ReplicaSetReconciler;
}

function seed(sets: ReplicaSet[], pods: Pod[], options: { burstReplicas?: number; now?: number } = {}): Seeded {
  const replicaSets = new ObjectCache<ReplicaSet>();
  const podCache = new ObjectCache<Pod>();
  sets.forEach((s) => replicaSets.upsert(s));
  pods.forEach((p) => podCache.upsert(p));
  const api = new RecordingReplicaSetApi();
  sets.forEach((s) => api.replicaSets.set(s.metadata.name!, s));
  const expectations = new Expectations();
  const events: string[] = [];
  const reconciler = new ReplicaSetReconciler({
    replicaSets,
    pods: podCache,
    expectations,
    api,
    event: (obj, type, reason, message) => events.push(`${obj.metadata.name} ${type} ${reason}: ${message}`),
    burstReplicas: options.burstReplicas,
    now: () => options.now ?? T0 + 60_000,
  });
  return { api, expectations, events, reconciler };
}

describe('ReplicaSet reconcile', () => {
  const web = replicaSet('web', 3, { labels: { app: 'web' } });

  it('creates the missing pods from the template, named after the ReplicaSet and controlled by it', async () => {
    const { api, expectations, events, reconciler } = seed([web], [pod('web-1', { owner: web })]);
    await reconciler.reconcile(context(), 'default/web');
    const created = api.of('create').map((w) => ('object' in w ? (w.object as Pod) : undefined)!);
    expect(created).toHaveLength(2);
    for (const p of created) {
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
      expect(p.spec?.containers[0].image).toBe('busybox');
    }
    expect(expectations.outstanding('default/web').creations).toBe(2);
    expect(events).toEqual(['web Normal SuccessfulCreate: Created pod: web-xxxx1', 'web Normal SuccessfulCreate: Created pod: web-xxxx2']);
  });

  it('creates nothing more while its own creations have not come back through the cache', async () => {
    const { api, expectations, reconciler } = seed([web], []);
    expectations.expectCreations('default/web', 3);
    await reconciler.reconcile(context(), 'default/web');
    expect(api.of('create')).toHaveLength(0);
    // Status is still written: it only reports what the cache shows.
    expect(api.of('updateStatus')).toHaveLength(1);
  });

  it('stops creating after the batch with a failure, reports ReplicaFailure and stops expecting what was not created', async () => {
    const big = replicaSet('big', 20, { labels: { app: 'web' } });
    const { api, expectations, events, reconciler } = seed([big], []);
    api.failCreate = { from: 3, error: new Forbidden('pods "big-" is forbidden: exceeded quota: compute') };
    await expect(reconciler.reconcile(context(), 'default/big')).rejects.toThrow('exceeded quota');
    // Batch 1 (one create) succeeded, batch 2 (two creates) had one failure: no batch 3.
    expect(api.of('create')).toHaveLength(2);
    expect(expectations.outstanding('default/big').creations).toBe(2);
    expect(events.filter((e) => e.includes('FailedCreate'))).toEqual(['big Warning FailedCreate: Error creating: pods "big-" is forbidden: exceeded quota: compute']);
    const status = (api.of('updateStatus')[0] as { object: ReplicaSet }).object.status!;
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' })]);
  });

  it('deletes the extra pods, the cheapest to lose first, and expects exactly their deletions', async () => {
    const small = replicaSet('web', 1, { labels: { app: 'web' } });
    const pods = [pod('running', { owner: small, node: 'n1', readySince: T0 }), pod('pending', { owner: small, node: 'n1' }), pod('unplaced', { owner: small })];
    const { api, expectations, events, reconciler } = seed([small], pods);
    await reconciler.reconcile(context(), 'default/web');
    expect(api.of('delete').map((w) => ('name' in w ? w.name : ''))).toEqual(['unplaced', 'pending']);
    expect(expectations.outstanding('default/web').deletions.sort()).toEqual(['uid-pending', 'uid-unplaced']);
    expect(events).toContain('web Normal SuccessfulDelete: Deleted pod: unplaced');
  });

  it('does not count pods being deleted or finished, and replaces them', async () => {
    const pods = [pod('a', { owner: web }), pod('gone', { owner: web, deleting: true }), pod('done', { owner: web, phase: 'Succeeded' }), pod('failed', { owner: web, phase: 'Failed' })];
    const { api, reconciler } = seed([web], pods);
    await reconciler.reconcile(context(), 'default/web');
    expect(api.of('create')).toHaveLength(2);
    expect(api.of('delete')).toHaveLength(0);
  });

  it('adopts a matching orphan and releases a pod that stopped matching, counting only what it then controls', async () => {
    const pods = [pod('orphan'), pod('relabelled', { owner: web, labels: { app: 'db' } }), pod('mine', { owner: web })];
    const { api, reconciler } = seed([web], pods);
    await reconciler.reconcile(context(), 'default/web');
    const patched = api.of('patch').map((w) => ('name' in w ? w.name : ''));
    expect(patched).toEqual(['orphan', 'relabelled']);
    // orphan + mine = 2 of 3.
    expect(api.of('create')).toHaveLength(1);
  });

  it('writes the status with the generation it reflects, and nothing when it has not changed', async () => {
    const generation2 = replicaSet('web', 1, { labels: { app: 'web' }, generation: 2 });
    const first = seed([generation2], [pod('a', { owner: generation2, readySince: T0 })]);
    await first.reconciler.reconcile(context(), 'default/web');
    expect((first.api.of('updateStatus')[0] as { object: ReplicaSet }).object.status).toEqual({ replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
    const settled = { ...generation2, status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 } };
    const second = seed([settled], [pod('a', { owner: settled, readySince: T0 })]);
    await second.reconciler.reconcile(context(), 'default/web');
    expect(second.api.writes).toEqual([]);
  });

  it('looks again when a ready pod is due to become available', async () => {
    const slow = replicaSet('web', 1, { labels: { app: 'web' }, minReadySeconds: 30 });
    const { reconciler } = seed([slow], [pod('a', { owner: slow, readySince: T0 + 50_000 })], { now: T0 + 60_000 });
    expect(await reconciler.reconcile(context(), 'default/web')).toEqual({ requeueAfter: 20_001 });
  });

  it('creates at most burstReplicas pods in one pass', async () => {
    const huge = replicaSet('huge', 100, { labels: { app: 'web' } });
    const { api, reconciler } = seed([huge], [], { burstReplicas: 10 });
    await reconciler.reconcile(context(), 'default/huge');
    expect(api.of('create')).toHaveLength(10);
  });

  it('manages no pods for a ReplicaSet being deleted, but still reports them', async () => {
    const leaving = { ...web, metadata: { ...web.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    const { api, reconciler } = seed([leaving], [pod('a', { owner: web })]);
    await reconciler.reconcile(context(), 'default/web');
    expect(api.of('create')).toHaveLength(0);
    expect(api.of('updateStatus')).toHaveLength(1);
  });

  it('forgets the expectations of a ReplicaSet that is gone', async () => {
    const { expectations, reconciler, api } = seed([], []);
    expectations.expectCreations('default/web', 5);
    await reconciler.reconcile(context(), 'default/web');
    expect(expectations.satisfied('default/web')).toBe(true);
    expect(api.writes).toEqual([]);
  });
});
