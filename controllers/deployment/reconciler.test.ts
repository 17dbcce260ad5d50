import type { Deployment, Pod, ReplicaSet } from '../../src/api/types';
import { ObjectCache } from '../../src/client';
import { context, deployment, ownedReplicaSet, pod, RecordingDeploymentApi, T0 } from './fixtures';
import { DeploymentReconciler } from './reconciler';

function seed(deployments: Deployment[], replicaSets: ReplicaSet[], pods: Pod[] = []) {
  const caches = { deployments: new ObjectCache<Deployment>(), replicaSets: new ObjectCache<ReplicaSet>(), pods: new ObjectCache<Pod>() };
  deployments.forEach((d) => caches.deployments.upsert(d));
  replicaSets.forEach((rs) => caches.replicaSets.upsert(rs));
  pods.forEach((p) => caches.pods.upsert(p));
  const api = new RecordingDeploymentApi();
  replicaSets.forEach((rs) => api.existing.set(rs.metadata.name!, rs));
  deployments.forEach((d) => api.deployments.set(d.metadata.name!, d));
  const events: string[] = [];
  const reconciler = new DeploymentReconciler({ ...caches, api, event: (_obj, type, reason, message) => events.push(`${type} ${reason}: ${message}`), now: () => T0 + 60_000 });
  return { api, events, reconciler };
}

describe('Deployment reconcile', () => {
  it('creates the first ReplicaSet at full size, sets revision 1, and reports NewReplicaSetCreated', async () => {
    const d = deployment('web', 3);
    const { api, events, reconciler } = seed([d], []);
    await reconciler.reconcile(context(), 'default/web');
    const [create] = api.of('create') as Array<{ object: ReplicaSet }>;
    const rs = create.object;
    const hash = rs.metadata.labels!['pod-template-hash'];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } } });
    expect(rs.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
    expect(api.writes.filter((w) => w.verb === 'patch')).toEqual([{ verb: 'patch', kind: 'Deployment', name: 'web', patch: { revision: '1' } }]);
    expect(events).toEqual([`Normal ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
    const conditions = api.statuses.at(-1)?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`);
    expect(conditions).toEqual(expect.arrayContaining(['Progressing=True/NewReplicaSetCreated', 'Available=False/MinimumReplicasUnavailable']));
  });

  it('starts a rollout of a new template with one pod over and one old pod fewer (25% of 4 each)', async () => {
    const d = deployment('web', 4, { image: 'v2', annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const old = ownedReplicaSet(d, 'v1', 4, { revision: 1, annotations: { 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' } });
    const { api, reconciler } = seed([d], [old]);
    await reconciler.reconcile(context(), 'default/web');
    const created = (api.of('create')[0] as { object: ReplicaSet }).object;
    expect(created.spec?.replicas).toBe(1);
    expect(created.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(api.scalings).toEqual([`${old.metadata.name}=3`]);
  });

  it('scales old ReplicaSets down as new pods become available', async () => {
    const d = deployment('web', 4, { image: 'v2', annotations: { 'deployment.kubernetes.io/revision': '2' } });
    const annotations = { 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' };
    const old = ownedReplicaSet(d, 'v1', 4, { revision: 1, annotations });
    const newRS = ownedReplicaSet(d, 'v2', 1, { revision: 2, available: 1, annotations });
    const { api, events, reconciler } = seed([d], [old, newRS]);
    await reconciler.reconcile(context(), 'default/web');
    // 5 available − 3 needed: two old pods may go.
    expect(api.scalings).toEqual([`${old.metadata.name}=2`]);
    expect(events).toEqual([`Normal ScalingReplicaSet: Scaled down replica set ${old.metadata.name} from 4 to 2`]);
  });

  it('while paused, creates no new ReplicaSet and notes the pause', async () => {
    const d = deployment('web', 2, { image: 'v2', paused: true, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const old = ownedReplicaSet(d, 'v1', 2, { revision: 1, annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3' } });
    const { api, reconciler } = seed([d], [old]);
    await reconciler.reconcile(context(), 'default/web');
    expect(api.of('create')).toEqual([]);
    expect(api.statuses[0].conditions).toEqual([expect.objectContaining({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' })]);
  });

  it('with Recreate, scales old ReplicaSets to zero and waits for their pods before creating the new one', async () => {
    const d = deployment('web', 2, { image: 'v2', strategy: { type: 'Recreate' }, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const old = ownedReplicaSet(d, 'v1', 2, { revision: 1 });
    const first = seed([d], [old]);
    await first.reconciler.reconcile(context(), 'default/web');
    expect(first.api.scalings).toEqual([`${old.metadata.name}=0`]);
    expect(first.api.of('create')).toEqual([]);

    const emptied = ownedReplicaSet(d, 'v1', 0, { revision: 1, actual: 0 });
    const lingering = pod('web-old', { owner: emptied, labels: { app: 'web' }, phase: 'Running', node: 'n1' });
    const second = seed([d], [emptied], [lingering]);
    await second.reconciler.reconcile(context(), 'default/web');
    expect(second.api.of('create')).toEqual([]);

    const third = seed([d], [emptied]);
    await third.reconciler.reconcile(context(), 'default/web');
    expect((third.api.of('create')[0] as { object: ReplicaSet }).object.spec?.replicas).toBe(2);
  });

  it('adopts an orphan ReplicaSet its selector matches', async () => {
    const d = deployment('web', 1);
    const orphan = { ...ownedReplicaSet(d, 'v1', 1), metadata: { ...ownedReplicaSet(d, 'v1', 1).metadata, ownerReferences: undefined } };
    const { api, reconciler } = seed([d], [orphan]);
    await reconciler.reconcile(context(), 'default/web').catch(() => undefined);
    expect(api.writes[0]).toEqual({
      verb: 'patch',
      kind: 'ReplicaSet',
      name: orphan.metadata.name,
      patch: [
        { op: 'test', path: '/metadata/uid', value: orphan.metadata.uid },
        { op: 'add', path: '/metadata/ownerReferences', value: [expect.objectContaining({ kind: 'Deployment', uid: 'uid-web', controller: true })] },
      ],
    });
  });

  it('on a name taken by a ReplicaSet with another template, counts a hash collision', async () => {
    const d = deployment('web', 1);
    const impostor = ownedReplicaSet(deployment('web', 1), 'v1', 1);
    impostor.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: 'uid-other', controller: true }];
    impostor.spec!.template!.spec!.containers[0].image = 'something-else';
    const { api, reconciler } = seed([d], [impostor]);
    await expect(reconciler.reconcile(context(), 'default/web')).rejects.toThrow('already exists');
    expect(api.statuses.at(-1)?.collisionCount).toBe(1);
  });

  it('when only replicas changed, scales the ReplicaSets without a rollout step', async () => {
    const d = deployment('web', 6, { annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const rs = ownedReplicaSet(d, 'v1', 3, { revision: 1, annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' } });
    const { api, events, reconciler } = seed([d], [rs]);
    await reconciler.reconcile(context(), 'default/web');
    expect(api.scalings).toEqual([`${rs.metadata.name}=6`]);
    const written = (api.of('update')[0] as { object: ReplicaSet }).object;
    expect(written.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '6', 'deployment.kubernetes.io/max-replicas': '8' });
    expect(events).toEqual([`Normal ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 3 to 6`]);
  });

  it('warns about a selector that selects everything and only observes the generation', async () => {
    const d = deployment('web', 1, { selector: {}, generation: 2 });
    const { api, events, reconciler } = seed([d], []);
    await reconciler.reconcile(context(), 'default/web');
    expect(events).toEqual(['Warning SelectingAll: This deployment is selecting all pods. A non-empty selector is required.']);
    expect(api.statuses).toEqual([{ observedGeneration: 2 }]);
  });
});
