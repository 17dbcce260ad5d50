/**
 * The garbage collector against a real API server: Deployment → ReplicaSet → Pods built by hand
 * with ownerReferences (no other controller), deleted in each propagation mode; owners gone or
 * replaced; a custom kind as owner; a collector started after the fact; and kubectl delete
 * --cascade with the replicaset controller running.
 */
import type { Obj, OwnerReference } from '../../src/api/object';
import type { CustomResourceDefinition, Deployment, Pod, ReplicaSet } from '../../src/api/types';
import { defaultControllerSettings } from '../../controllers';
import { garbageCollectorEntry } from '../../controllers/garbage-collector';
import { Client, KindRef, kinds, Manager } from '../../src/client';
import { backends, stopSharedEtcd } from '../support/api-server';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';
import { Kubectl } from '../support/kubectl';

afterAll(() => stopSharedEtcd());

const labels = (app: string) => ({ app });
const template = (app: string) => ({ metadata: { labels: labels(app) }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });

function ownerRef(obj: Obj): OwnerReference {
  return { apiVersion: obj.apiVersion!, kind: obj.kind!, name: obj.metadata.name!, uid: obj.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** A Deployment, its ReplicaSet and two pods, linked by hand. */
async function family(client: Client, app: string): Promise<{ deployment: Deployment; replicaSet: ReplicaSet; pods: Pod[] }> {
  const deployment = await client.resource(kinds.Deployment, 'default').create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: labels(app) }, template: template(app) },
  });
  const replicaSet = await client.resource(kinds.ReplicaSet, 'default').create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${app}-1`, namespace: 'default', ownerReferences: [ownerRef(deployment)] },
    spec: { replicas: 2, selector: { matchLabels: labels(app) }, template: template(app) },
  });
  const pods: Pod[] = [];
  for (const suffix of ['a', 'b']) {
    pods.push(
      await client.resource(kinds.Pod, 'default').create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-1-${suffix}`, namespace: 'default', labels: labels(app), ownerReferences: [ownerRef(replicaSet)] },
        spec: template(app).spec,
      }),
    );
  }
  return { deployment, replicaSet, pods };
}

async function exists(client: Client, kind: KindRef, name: string): Promise<Obj | undefined> {
  try {
    return await client.resource(kind, 'default').get(name);
  } catch {
    return undefined;
  }
}

/** Records the revision at which each object of these kinds was deleted, as watches see it. */
function deletions(client: Client, watched: KindRef[]): { at: Map<string, number>; stop(): Promise<void> } {
  const at = new Map<string, number>();
  const stop = new AbortController();
  const runs = watched.map(async (kind) => {
    const resource = client.resource(kind, 'default');
    const { metadata } = await resource.list();
    try {
      for await (const e of resource.watch(metadata.resourceVersion, stop.signal)) {
        if (e.type === 'DELETED') at.set(`${kind.kind}/${e.object.metadata.name}`, Number(e.object.metadata.resourceVersion));
      }
    } catch (e) {
      if (!stop.signal.aborted) throw e;
    }
  });
  return {
    at,
    stop: async () => {
      stop.abort();
      await Promise.all(runs);
    },
  };
}

describe.each(backends)('cascading deletion on %s', (backend) => {
  let plane: TestControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane(['garbage-collector'], { backend });
  });
  afterAll(async () => {
    await plane.stop();
  });

  it('background: the owner goes at once, then its ReplicaSet and pods', async () => {
    const { replicaSet, pods } = await family(plane.client, 'bg');
    await plane.client.resource(kinds.Deployment, 'default').delete('bg', { propagationPolicy: 'Background' });
    expect(await exists(plane.client, kinds.Deployment, 'bg')).toBeUndefined();
    await eventually('the ReplicaSet and pods gone', async () => {
      for (const name of [replicaSet.metadata.name!]) if (await exists(plane.client, kinds.ReplicaSet, name)) return false;
      for (const p of pods) if (await exists(plane.client, kinds.Pod, p.metadata.name!)) return false;
      return true;
    });
  });

  it('foreground: the pods go first, then the ReplicaSet, and the Deployment last', async () => {
    const watch = deletions(plane.client, [kinds.Deployment, kinds.ReplicaSet, kinds.Pod]);
    await new Promise((r) => setTimeout(r, 200));
    const { pods } = await family(plane.client, 'fg');
    const marked = await plane.client.resource(kinds.Deployment, 'default').delete('fg', { propagationPolicy: 'Foreground' });
    expect(marked?.metadata.deletionTimestamp).toBeDefined();
    expect(marked?.metadata.finalizers).toContain('foregroundDeletion');
    await eventually('the Deployment gone', async () => !(await exists(plane.client, kinds.Deployment, 'fg')));
    await eventually('every deletion seen', async () => watch.at.has('Deployment/fg'));
    await watch.stop();
    const deployment = watch.at.get('Deployment/fg')!;
    const replicaSet = watch.at.get('ReplicaSet/fg-1')!;
    for (const p of pods) expect(watch.at.get(`Pod/${p.metadata.name}`)).toBeLessThan(replicaSet);
    expect(replicaSet).toBeLessThan(deployment);
  });

  it('orphan: the owner goes and its dependents stay, without their reference to it', async () => {
    const { pods } = await family(plane.client, 'or');
    await plane.client.resource(kinds.Deployment, 'default').delete('or', { propagationPolicy: 'Orphan' });
    await eventually('the Deployment gone', async () => !(await exists(plane.client, kinds.Deployment, 'or')));
    const replicaSet = (await exists(plane.client, kinds.ReplicaSet, 'or-1'))!;
    expect(replicaSet.metadata.ownerReferences).toBeUndefined();
    for (const p of pods) expect((await exists(plane.client, kinds.Pod, p.metadata.name!))?.metadata.ownerReferences?.[0].name).toBe('or-1');
  });
});

describe('owners gone, replaced, custom, and a collector that starts late', () => {
  let plane: TestControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane(['garbage-collector']);
  });
  afterAll(async () => {
    await plane.stop();
  });

  const configMap = (name: string, refs: OwnerReference[]) =>
    plane.client.resource(kinds.ConfigMap, 'default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ownerReferences: refs } });

  it('deletes what names an owner that never was, or whose name another object now has; keeps what still has an owner', async () => {
    const keeper = await configMap('keeper', []);
    const replaced = await configMap('replaced', []);
    await plane.client.resource(kinds.ConfigMap, 'default').delete('replaced');
    const successor = await configMap('replaced', []);
    expect(successor.metadata.uid).not.toBe(replaced.metadata.uid);
    await configMap('never', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: 'no-such-uid' }]);
    await configMap('stale', [ownerRef(replaced)]);
    await configMap('shared', [ownerRef(keeper), { apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: 'no-such-uid' }]);
    await eventually('never and stale gone', async () => !(await exists(plane.client, kinds.ConfigMap, 'never')) && !(await exists(plane.client, kinds.ConfigMap, 'stale')));
    const shared = await eventually('the dangling reference dropped', async () => {
      const o = await exists(plane.client, kinds.ConfigMap, 'shared');
      return o?.metadata.ownerReferences?.length === 1 ? o : undefined;
    });
    expect(shared.metadata.ownerReferences![0].name).toBe('keeper');
    expect(await exists(plane.client, kinds.ConfigMap, 'keeper')).toBeDefined();
  });

  it('collects the dependents of an object of a custom kind', async () => {
    const crd: CustomResourceDefinition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    await plane.client.resource(kinds.CustomResourceDefinition).create(crd);
    const widgets = await eventually('the Widget kind served', () => plane.client.discover('example.com/v1', 'Widget'));
    const widget = await eventually('a Widget', () => plane.client.resource(widgets, 'default').create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } }));
    await configMap('widget-config', [ownerRef(widget)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await exists(plane.client, kinds.ConfigMap, 'widget-config')).toBeDefined();
    await plane.client.resource(widgets, 'default').delete('w');
    await eventually('the Widget config gone', async () => !(await exists(plane.client, kinds.ConfigMap, 'widget-config')));
  });

  it('finishes, when it starts, deletions begun while no collector ran', async () => {
    const alone = await startControlPlane([]);
    try {
      await family(alone.client, 'late');
      await alone.client.resource(kinds.Deployment, 'default').delete('late', { propagationPolicy: 'Foreground' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await exists(alone.client, kinds.Deployment, 'late'))?.metadata.deletionTimestamp).toBeDefined();
      expect(await exists(alone.client, kinds.Pod, 'late-1-a')).toBeDefined();

      const manager = new Manager({ client: alone.client, leaderElection: false });
      manager.add((tools) => garbageCollectorEntry.create(tools, defaultControllerSettings));
      const stop = new AbortController();
      const running = manager.run(stop.signal);
      await eventually('the family gone', async () => !(await exists(alone.client, kinds.Deployment, 'late')) && !(await exists(alone.client, kinds.Pod, 'late-1-a')));
      stop.abort();
      await running;
    } finally {
      await alone.stop();
    }
  });
});

describe('kubectl delete --cascade, with the replicaset controller running', () => {
  let plane: TestControlPlane;
  let kubectl: Kubectl;
  beforeAll(async () => {
    plane = await startControlPlane(['replicaset', 'garbage-collector']);
    kubectl = new Kubectl(plane.api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await plane.stop();
  });

  async function replicaSetWithPods(app: string): Promise<Pod[]> {
    await plane.client.resource(kinds.ReplicaSet, 'default').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: app, namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: labels(app) }, template: template(app) },
    });
    return eventually('three pods', async () => {
      const { items } = await plane.client.resource(kinds.Pod, 'default').list({ labelSelector: `app=${app}` });
      return items.length === 3 ? items : undefined;
    });
  }

  const podsOf = async (app: string) => (await plane.client.resource(kinds.Pod, 'default').list({ labelSelector: `app=${app}` })).items;

  it('--cascade=foreground waits until the pods and then the ReplicaSet are gone', async () => {
    await replicaSetWithPods('kfg');
    const out = await kubectl.ok(['delete', 'replicaset', 'kfg', '--cascade=foreground']);
    expect(out.trim()).toBe('replicaset.apps "kfg" deleted');
    expect(await podsOf('kfg')).toEqual([]);
    expect(await exists(plane.client, kinds.ReplicaSet, 'kfg')).toBeUndefined();
  });

  it('--cascade=orphan leaves the pods, no longer owned', async () => {
    const before = await replicaSetWithPods('kor');
    expect((await kubectl.ok(['delete', 'replicaset', 'kor', '--cascade=orphan'])).trim()).toBe('replicaset.apps "kor" deleted');
    expect(await exists(plane.client, kinds.ReplicaSet, 'kor')).toBeUndefined();
    const after = await podsOf('kor');
    expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
    for (const p of after) expect(p.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('--cascade=background returns at once; the pods follow', async () => {
    await replicaSetWithPods('kbg');
    expect((await kubectl.ok(['delete', 'replicaset', 'kbg', '--cascade=background'])).trim()).toBe('replicaset.apps "kbg" deleted');
    expect(await exists(plane.client, kinds.ReplicaSet, 'kbg')).toBeUndefined();
    await eventually('the pods gone', async () => (await podsOf('kbg')).length === 0);
  });
});
