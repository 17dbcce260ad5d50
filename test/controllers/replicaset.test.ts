/**
 * The replicaset controller against a real API server (SQLite and etcd). No agent and no
 * placement: pods stay unbound, and the test marks them Running/Ready through /status itself.
 */
import type { Pod, ReplicaSet } from '../../src/api/types';
import { kinds } from '../../src/client';
import type { WatchEvent } from '../../src/client';
import { backends, stopSharedEtcd } from '../support/api-server';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

afterAll(() => stopSharedEtcd());

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number } = {}): ReplicaSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      minReadySeconds: extra.minReadySeconds,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'berth-test/busybox:1.35' }] } },
    },
  };
}

/** Counts ADDED and DELETED pods of a ReplicaSet's app label, as a watch sees them. */
class PodTally {
  added = new Set<string>();
  deleted = new Set<string>();
  private readonly stop = new AbortController();
  private readonly done: Promise<void>;

  constructor(plane: TestControlPlane, app: string) {
    const pods = plane.client.resource(kinds.Pod, 'default');
    this.done = (async () => {
      const list = await pods.list({ labelSelector: `app=${app}` });
      try {
        for await (const event of pods.watch(list.metadata.resourceVersion, this.stop.signal, { labelSelector: `app=${app}` })) this.count(event);
      } catch (e) {
        if (!this.stop.signal.aborted) throw e;
      }
    })();
  }

  private count(event: WatchEvent<Pod>): void {
    if (event.type === 'ADDED') this.added.add(event.object.metadata.name!);
    if (event.type === 'DELETED') this.deleted.add(event.object.metadata.name!);
  }

  get live(): number {
    return this.added.size - this.deleted.size;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.done;
  }
}

describe.each(backends)('replicaset controller on %s', (backend) => {
  let plane: TestControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane(['replicaset'], { backend });
  });
  afterAll(async () => {
    await plane.stop();
  });

  const sets = () => plane.client.resource(kinds.ReplicaSet, 'default');
  const pods = () => plane.client.resource(kinds.Pod, 'default');
  const podsOf = async (app: string) => (await pods().list({ labelSelector: `app=${app}` })).items;
  const statusWhen = (name: string, check: (rs: ReplicaSet) => boolean) =>
    eventually(`ReplicaSet ${name} status`, async () => {
      const rs = await sets().get(name);
      return check(rs) ? rs : undefined;
    });

  async function markReady(pod: Pod): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const current = await pods().get(pod.metadata.name!);
    await pods().updateStatus({ ...current, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
  }

  it('scales from 0 to exactly 50 pods and back down to 3, never creating one too many', async () => {
    const tally = new PodTally(plane, 'scale');
    await sets().create(replicaSet('scale', 0));
    await sets().patch('scale', 'merge', { spec: { replicas: 50 } });
    const at50 = await statusWhen('scale', (rs) => rs.status?.replicas === 50 && rs.status.observedGeneration === 2);
    expect(at50.status?.fullyLabeledReplicas).toBe(50);
    // Let a stale cache have every chance to over-create.
    await new Promise((r) => setTimeout(r, 1000));
    expect(tally.added.size).toBe(50);
    expect(await podsOf('scale')).toHaveLength(50);

    await sets().patch('scale', 'merge', { spec: { replicas: 3 } });
    await statusWhen('scale', (rs) => rs.status?.replicas === 3);
    await new Promise((r) => setTimeout(r, 500));
    const left = await podsOf('scale');
    expect(left).toHaveLength(3);
    expect(tally.added.size).toBe(50);
    expect(tally.deleted.size).toBe(47);
    for (const pod of left) {
      expect(pod.metadata.name).toMatch(/^scale-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', name: 'scale', controller: true, blockOwnerDeletion: true })]);
    }
    await tally.close();
  });

  it('adopts a matching orphan, releases a pod that stops matching, and replaces it', async () => {
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'app', image: 'berth-test/busybox:1.35' }] } });
    const rs = await sets().create(replicaSet('adopt', 2));
    await statusWhen('adopt', (r) => r.status?.replicas === 2);
    const stray = await pods().get('stray');
    expect(stray.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'adopt', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(await podsOf('adopt')).toHaveLength(2);

    await pods().patch('stray', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
    const released = await eventually('stray released', async () => {
      const p = await pods().get('stray');
      return p.metadata.ownerReferences?.length ? undefined : p;
    });
    expect(released.metadata.labels).toEqual({ app: 'elsewhere' });
    await eventually('a replacement', async () => (await podsOf('adopt')).length === 2);
  });

  it('replaces a pod deleted out of band and does not count finished pods', async () => {
    await sets().create(replicaSet('heal', 2));
    await statusWhen('heal', (r) => r.status?.replicas === 2);
    const [first, second] = await podsOf('heal');
    await pods().delete(first.metadata.name!);
    await pods().updateStatus({ ...(await pods().get(second.metadata.name!)), status: { phase: 'Succeeded' } });
    const now = await eventually('two active replacements', async () => {
      const active = (await podsOf('heal')).filter((p) => p.status?.phase !== 'Succeeded');
      return active.length === 2 && active.every((p) => p.metadata.name !== first.metadata.name) ? active : undefined;
    });
    expect(now.map((p) => p.metadata.name)).not.toContain(second.metadata.name);
    await statusWhen('heal', (r) => r.status?.replicas === 2);
  });

  it('counts a ready pod as available only after minReadySeconds, without another event to wake it', async () => {
    await sets().create(replicaSet('slow', 1, { minReadySeconds: 2 }));
    await statusWhen('slow', (r) => r.status?.replicas === 1);
    const [pod] = await podsOf('slow');
    await markReady(pod);
    const ready = await statusWhen('slow', (r) => r.status?.readyReplicas === 1);
    expect(ready.status?.availableReplicas).toBe(0);
    await statusWhen('slow', (r) => r.status?.availableReplicas === 1);
  });

  it('records SuccessfulCreate and SuccessfulDelete events on the ReplicaSet', async () => {
    const rs = await sets().create(replicaSet('events', 1));
    await statusWhen('events', (r) => r.status?.replicas === 1);
    await sets().patch('events', 'merge', { spec: { replicas: 0 } });
    await statusWhen('events', (r) => r.status?.replicas === 0);
    const reasons = await eventually('events', async () => {
      const list = await plane.client.resource(kinds.Event, 'default').list({ fieldSelector: `involvedObject.uid=${rs.metadata.uid}` });
      const found = list.items.map((e) => `${e.reason}: ${e.message}`);
      return found.length >= 2 ? found : undefined;
    });
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^SuccessfulCreate: Created pod: events-\w{5}$/), expect.stringMatching(/^SuccessfulDelete: Deleted pod: events-\w{5}$/)]));
  });
});
