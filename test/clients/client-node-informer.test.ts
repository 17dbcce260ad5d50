/**
 * The official JavaScript client, unchanged, against berth served as `berth up` serves it (https,
 * its own CA, a bearer token, the kubeconfig `berth up` writes). An informer (list, then watch
 * from the list's resourceVersion, restarted on errors as the library's examples do) keeps an
 * exact mirror of the pods while 1,000 of them are created, relabelled, annotated and deleted;
 * a bare Watch that asks for bookmarks gets them; a stopped informer resumes from its version,
 * or lists again after a 410 when the server no longer keeps that version; and after the
 * server is stopped, changed behind the informer's back and started again, it reconverges.
 */
import { Backend, backends, stopSharedEtcd } from '../support/api-server';
import { waitFor } from '../support/ports';
import { InformerProcess, Mirror, MirroredPod } from './informer-process';
import { PodWriter } from './pod-writer';
import { SecureCluster, startSecureCluster } from './secure-cluster';

const namespace = 'default';
/** Events the server keeps per resource for resuming watchers: small, so a short absence outlives it. */
const historyKept = 100;

afterAll(stopSharedEtcd);

describe.each(backends)('an informer from @kubernetes/client-node over %s', (backend: Backend) => {
  let cluster: SecureCluster;
  let informer: InformerProcess;
  const writer = new PodWriter(namespace);

  /** The pods as a list made by the test shows them. */
  const listed = async (): Promise<Record<string, MirroredPod>> => {
    const reply = await cluster.request('GET', `/api/v1/namespaces/${namespace}/pods`);
    expect(reply.status).toBe(200);
    const pods: Record<string, MirroredPod> = {};
    for (const pod of reply.body.items) {
      pods[pod.metadata.name] = { resourceVersion: pod.metadata.resourceVersion, labels: pod.metadata.labels ?? {}, annotations: pod.metadata.annotations ?? {} };
    }
    return pods;
  };

  /** Waits (20 s at most) until the informer's cache matches a fresh list, then returns both. */
  const converged = async (): Promise<{ mirror: Mirror; truth: Record<string, MirroredPod> }> => {
    const truth = await listed();
    let mirror = await informer.mirror();
    try {
      await waitFor('the informer to mirror the list', async () => {
        mirror = await informer.mirror();
        return differences(mirror.pods, truth).length === 0 ? true : undefined;
      });
    } catch {
      // The assertion below shows what differs.
    }
    return { mirror, truth };
  };

  beforeAll(async () => {
    cluster = await startSecureCluster(backend, { watchCacheCapacity: historyKept });
  });
  afterAll(async () => {
    await informer?.close();
    await cluster?.destroy();
  });

  it('keeps an exact mirror of 1,000 pods through creates, updates and deletes', async () => {
    // A hundred pods exist before the informer starts (its list), the other 900 arrive by watch.
    await writer.run(cluster.request, writer.plan(100, { mixed: false }));
    informer = new InformerProcess(cluster.kubeconfig, namespace);
    await informer.started();
    expect(Object.keys((await informer.mirror()).pods)).toHaveLength(100);

    const ops = writer.plan(900);
    expect(ops.filter((o) => o.op === 'create')).toHaveLength(900);
    await writer.run(cluster.request, ops);

    const { mirror, truth } = await converged();
    expect(differences(mirror.pods, truth)).toEqual([]);
    expect(Object.keys(truth)).toHaveLength(1000 - writer.deleted.length);
    expect(writer.deleted.length).toBeGreaterThan(100);
    // Relabelled and annotated pods arrived with their new metadata, not just a new version.
    expect(Object.values(mirror.pods).filter((p) => p.labels.wave !== '0').length).toBeGreaterThan(200);
    expect(Object.values(mirror.pods).filter((p) => p.annotations['example.com/touched']).length).toBeGreaterThan(100);
    // Each delete was reported once, by name.
    expect([...mirror.deleted].sort()).toEqual([...writer.deleted].sort());
    // One list, one unbroken watch.
    expect(mirror.stats).toMatchObject({ lists: 1, errors: 0 });
    expect(informer.errors).toEqual([]);
  }, 120000);

  it('sends BOOKMARKs to a Watch that allows them, from which a watch resumes with only later changes', async () => {
    const before = await informer.mirror();
    const { events, error } = await informer.watch(before.resourceVersion, 'BOOKMARK');
    expect(error).toBeUndefined();
    expect(events).toHaveLength(1);
    const [bookmark] = events;
    expect(bookmark).toMatchObject({ type: 'BOOKMARK', kind: 'Pod', apiVersion: 'v1' });
    expect(Number(bookmark.resourceVersion)).toBeGreaterThanOrEqual(Number(before.resourceVersion));

    const resumed = informer.watch(bookmark.resourceVersion!, 1);
    const [relabel] = writer.planChanges(1, 0);
    await writer.run(cluster.request, [relabel]);
    const after = await resumed;
    expect(after.error).toBeUndefined();
    const changes = after.events.filter((e) => e.type !== 'BOOKMARK');
    expect(changes).toEqual([{ type: 'MODIFIED', kind: 'Pod', apiVersion: 'v1', name: relabel.name, resourceVersion: expect.stringMatching(/^\d+$/) }]);
    expect(Number(changes[0].resourceVersion)).toBeGreaterThan(Number(bookmark.resourceVersion));
  });

  it('resumes from the version it had after a stop, without listing again', async () => {
    await informer.stop();
    const before = await informer.mirror();
    await writer.run(cluster.request, writer.planChanges(10, 5));
    await informer.start();

    const { mirror, truth } = await converged();
    expect(differences(mirror.pods, truth)).toEqual([]);
    expect([...mirror.deleted].sort()).toEqual([...writer.deleted].sort());
    expect(mirror.stats).toMatchObject({ lists: before.stats.lists, errors: before.stats.errors });
  });

  it('lists again after a 410 when it comes back to a version older than the server keeps', async () => {
    await informer.stop();
    const before = await informer.mirror();
    // More changes than the server keeps for resuming watchers.
    await writer.run(cluster.request, writer.planChanges(historyKept, 50));
    await informer.start();

    const { mirror, truth } = await converged();
    expect(differences(mirror.pods, truth)).toEqual([]);
    expect([...mirror.deleted].sort()).toEqual([...writer.deleted].sort());
    // The watch from the old version got 410 Expired; the informer listed once more, with no error.
    expect(mirror.stats).toMatchObject({ lists: before.stats.lists + 1, errors: before.stats.errors });
  });

  it('reconverges after a server restart, noticing pods deleted while it was cut off, and follows the new server', async () => {
    const before = await informer.mirror();
    await cluster.stop();
    // Behind the informer's back: relabel 50 pods and delete 50, through a server on another port.
    await cluster.offline((request) => writer.run(request, writer.planChanges(50, 50)));
    await cluster.start();

    const back = await converged();
    expect(differences(back.mirror.pods, back.truth)).toEqual([]);
    expect([...back.mirror.deleted].sort()).toEqual([...writer.deleted].sort());
    // The pods deleted offline can only have been noticed by listing again.
    expect(back.mirror.stats.lists).toBeGreaterThan(before.stats.lists);

    // After the restart, changes arrive by the new server's watch: no further list.
    await writer.run(cluster.request, [...writer.plan(20), ...writer.planChanges(20, 20)]);
    const { mirror, truth } = await converged();
    expect(differences(mirror.pods, truth)).toEqual([]);
    expect([...mirror.deleted].sort()).toEqual([...writer.deleted].sort());
    expect(mirror.stats.lists).toBe(back.mirror.stats.lists);
  }, 60000);
});

/** What differs between the informer's cache and the list, one line per pod. */
function differences(mirror: Record<string, MirroredPod>, truth: Record<string, MirroredPod>): string[] {
  const out: string[] = [];
  for (const [name, pod] of Object.entries(truth)) {
    const seen = mirror[name];
    if (!seen) out.push(`${name}: missing from the mirror`);
    else if (canonical(seen) !== canonical(pod)) out.push(`${name}: mirror has ${JSON.stringify(seen)}, list has ${JSON.stringify(pod)}`);
  }
  for (const name of Object.keys(mirror)) if (!truth[name]) out.push(`${name}: in the mirror but not in the list`);
  return out.slice(0, 20);
}

function canonical(pod: MirroredPod): string {
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([pod.resourceVersion, sorted(pod.labels), sorted(pod.annotations)]);
}
