/**
 * The deployment controller with the replicaset controller against a real API server. No agent
 * and no placement: pods stay unbound, and the test marks them Running/Ready through /status.
 */
import type { Pod } from '../../src/api/types';
import { kinds } from '../../src/client';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';
import { deployment, IMAGE, isReady, rolledOut, Workloads } from './deployment-support';

let plane: TestControlPlane;
let w: Workloads;
beforeAll(async () => {
  plane = await startControlPlane(['replicaset', 'deployment']);
  w = new Workloads(plane.client);
});
afterAll(async () => {
  await plane.stop();
});

/** Every pod of an app as a watch shows them, with a check run on each change. */
async function watchPods(app: string, onChange: (pods: Map<string, Pod>) => void): Promise<{ close(): Promise<void> }> {
  const list = await w.pods.list({ labelSelector: `app=${app}` });
  const pods = new Map(list.items.map((p) => [p.metadata.name!, p]));
  const stop = new AbortController();
  const done = (async () => {
    try {
      for await (const event of w.pods.watch(list.metadata.resourceVersion, stop.signal, { labelSelector: `app=${app}` })) {
        if (event.type === 'BOOKMARK') continue;
        if (event.type === 'DELETED') pods.delete(event.object.metadata.name!);
        else pods.set(event.object.metadata.name!, event.object);
        onChange(pods);
      }
    } catch (e) {
      if (!stop.signal.aborted) throw e;
    }
  })();
  return {
    close: async () => {
      stop.abort();
      await done;
    },
  };
}

const hashOf = (pod: Pod) => pod.metadata.labels?.['pod-template-hash'];

it('creates a ReplicaSet named after the template hash, and reports the rollout as kubectl reads it', async () => {
  await w.deployments.create(deployment('first', 3));
  const d = await w.rollOut('first');
  const [rs] = await w.replicaSetsOf('first');
  const hash = rs.metadata.labels?.['pod-template-hash'];
  expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  expect(rs.metadata.name).toBe(`first-${hash}`);
  expect(rs.spec?.selector.matchLabels).toEqual({ app: 'first', 'pod-template-hash': hash });
  expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  expect(rs.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'first', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true })]);
  for (const pod of await w.podsOf('first')) expect(hashOf(pod)).toBe(hash);
  expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
  expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
  await w.deploymentWhen('first', 'NewReplicaSetAvailable', (x) => x.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable') ?? false);
  const settled = await w.deployments.get('first');
  expect(settled.status?.conditions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }),
      expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` }),
    ]),
  );
  const events = await eventually('the scaling event', async () => {
    const list = await plane.client.resource(kinds.Event, 'default').list({ fieldSelector: `involvedObject.uid=${d.metadata.uid}` });
    return list.items.length > 0 ? list.items : undefined;
  });
  expect(events.map((e) => `${e.reason}: ${e.message}`)).toContain(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 0 to 3`);
});

it('rolls out a new template within maxSurge and maxUnavailable, as seen on every pod change', async () => {
  // 25% of 6: a surge of 2 (rounded up), 1 unavailable (rounded down).
  const replicas = 6;
  await w.deployments.create(deployment('rolling', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }));
  await w.rollOut('rolling');
  const [oldRS] = await w.replicaSetsOf('rolling');

  let mostPods = 0;
  let fewestAvailable = Infinity;
  let changes = 0;
  const watch = await watchPods('rolling', (pods) => {
    changes++;
    mostPods = Math.max(mostPods, pods.size);
    fewestAvailable = Math.min(fewestAvailable, [...pods.values()].filter(isReady).length);
  });
  await w.deployments.patch('rolling', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-v2` }] } } } });
  // One new pod ready at a time, with time for the controllers to act between.
  const done = await eventually(
    'the rollout',
    async () => {
      const fresh = (await w.podsOf('rolling')).filter((p) => hashOf(p) !== oldRS.metadata.labels?.['pod-template-hash'] && !isReady(p));
      if (fresh.length > 0) await w.markReady(fresh[0]);
      const d = await w.deployments.get('rolling');
      return rolledOut(d) && d.status?.replicas === replicas ? d : undefined;
    },
    30_000,
    150,
  );
  await watch.close();
  expect(done.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  expect(changes).toBeGreaterThan(10);
  expect(mostPods).toBe(replicas + 2);
  expect(fewestAvailable).toBe(replicas - 1);
  const [old, next] = await w.replicaSetsOf('rolling');
  expect(old.metadata.name).toBe(oldRS.metadata.name);
  expect(old.spec?.replicas).toBe(0);
  expect(next.spec?.replicas).toBe(replicas);
  expect(next.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
});

it('with Recreate, deletes every old pod before it creates a new one', async () => {
  await w.deployments.create(deployment('recreate', 3, { strategy: { type: 'Recreate' } }));
  await w.rollOut('recreate');
  const [oldRS] = await w.replicaSetsOf('recreate');
  const oldHash = oldRS.metadata.labels?.['pod-template-hash'];
  let overlap = false;
  let sawNew = false;
  const watch = await watchPods('recreate', (pods) => {
    const hashes = [...pods.values()].map(hashOf);
    if (hashes.some((h) => h !== oldHash)) sawNew = true;
    if (hashes.includes(oldHash) && hashes.some((h) => h !== oldHash)) overlap = true;
  });
  await w.deployments.patch('recreate', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-v2` }] } } } });
  await w.rollOut('recreate');
  await watch.close();
  expect(sawNew).toBe(true);
  expect(overlap).toBe(false);
  expect((await w.podsOf('recreate')).every((p) => hashOf(p) !== oldHash)).toBe(true);
});

it('rolls back to an old template by re-using its ReplicaSet with the next revision', async () => {
  await w.deployments.create(deployment('undo', 2));
  await w.rollOut('undo');
  await w.deployments.patch('undo', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-v2` }] } } } });
  await w.rollOut('undo');
  const [first, second] = await w.replicaSetsOf('undo');
  await w.deployments.patch('undo', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: IMAGE }] } } } });
  const d = await w.rollOut('undo');
  await w.deploymentWhen('undo', 'revision 3', (x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3');
  const sets = await w.replicaSetsOf('undo');
  expect(sets.map((s) => s.metadata.name)).toEqual([second.metadata.name, first.metadata.name]);
  const [previous, reused] = sets;
  expect(reused.spec?.replicas).toBe(2);
  expect(previous.spec?.replicas).toBe(0);
  expect(reused.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  expect(d.status?.updatedReplicas).toBe(2);
});

it('while paused makes no rollout progress but still scales, and rolls out once resumed', async () => {
  await w.deployments.create(deployment('paused', 2));
  await w.rollOut('paused');
  await w.deployments.patch('paused', 'merge', { spec: { paused: true } });
  await w.deploymentWhen('paused', 'DeploymentPaused', (d) => d.status?.conditions?.some((c) => c.type === 'Progressing' && c.status === 'Unknown' && c.reason === 'DeploymentPaused') ?? false);
  await w.deployments.patch('paused', 'strategic', { spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-v2` }] } } } });
  const [only] = await eventually('the old ReplicaSet scaled to 3', async () => {
    const sets = await w.replicaSetsOf('paused');
    return sets.length === 1 && sets[0].spec?.replicas === 3 ? sets : undefined;
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(await w.replicaSetsOf('paused')).toHaveLength(1);
  expect(only.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('3');

  await w.deployments.patch('paused', 'merge', { spec: { paused: false } });
  const d = await w.rollOut('paused');
  expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).not.toBe('DeploymentPaused');
  const sets = await w.replicaSetsOf('paused');
  expect(sets.map((s) => s.spec?.replicas)).toEqual([0, 3]);
});

it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
  await w.deployments.create(deployment('stuck', 2, { progressDeadlineSeconds: 2 }));
  const d = await w.deploymentWhen(
    'stuck',
    'ProgressDeadlineExceeded',
    (x) => x.status?.conditions?.some((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded') ?? false,
    15_000,
  );
  const [rs] = await w.replicaSetsOf('stuck');
  expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.message).toBe(`ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
  expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
});

it('shares a change of replicas in proportion among the ReplicaSets of a rollout under way', async () => {
  await w.deployments.create(deployment('grow', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } }));
  await w.rollOut('grow');
  await w.deployments.patch('grow', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-v2` }] } } } });
  // No new pod ever becomes ready: the rollout stops at old 10, new 3.
  await eventually('old 10, new 3', async () => (await w.replicaSetsOf('grow')).map((s) => s.spec?.replicas).join() === '10,3');
  await w.deployments.patch('grow', 'merge', { spec: { replicas: 20 } });
  // 23 allowed: old 10 → 10·23/13 ≈ 18, new 3 → 3·23/13 ≈ 5.
  const sets = await eventually('proportional sizes', async () => {
    const found = await w.replicaSetsOf('grow');
    return found.map((s) => s.spec?.replicas).join() === '18,5' ? found : undefined;
  });
  for (const rs of sets) expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '20', 'deployment.kubernetes.io/max-replicas': '23' });
});

it('deletes old ReplicaSets beyond revisionHistoryLimit', async () => {
  await w.deployments.create(deployment('history', 1, { revisionHistoryLimit: 1 }));
  await w.rollOut('history');
  for (const version of ['v2', 'v3']) {
    await w.deployments.patch('history', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: `${IMAGE}-${version}` }] } } } });
    await w.rollOut('history');
  }
  const sets = await eventually('one old ReplicaSet kept', async () => {
    const found = await w.replicaSetsOf('history');
    return found.length === 2 ? found : undefined;
  });
  expect(sets.map((s) => s.metadata.annotations?.['deployment.kubernetes.io/revision'])).toEqual(['2', '3']);
});
