/**
 * The agent's pod reconciler called directly, key by key, over informers seeded from a real API
 * server and the simulated runtime: what it writes (status only when changed, the final delete),
 * what it removes from the runtime, and how it waits out a runtime that does not answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigMap, Pod } from '../../src/api/types';
import { Client, Informer, kinds, ReconcileContext } from '../../src/client';
import { PodSyncer } from '../../src/agent/pod-sync/syncer';
import { indexReferences, PodInputSource, podsReferring } from '../../src/agent/pods/pod-inputs';
import { AgentNode, indexUids, PodReconciler } from '../../src/agent/pods/pod-reconciler';
import { RuntimeUnavailable } from '../../src/agent/runtime/errors';
import { SimulatedRuntime } from '../../src/agent/runtime/simulated/simulated-runtime';
import { logger } from '../../src/log';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { eventually } from '../support/control-plane';

/** A simulated runtime that can be made to stop answering. */
class FlakyRuntime extends SimulatedRuntime {
  down = false;
  override async listContainers(...args: Parameters<SimulatedRuntime['listContainers']>) {
    if (this.down) throw new RuntimeUnavailable('simulated: the runtime does not answer');
    return super.listContainers(...args);
  }
}

let api: TestApiServer;
let client: Client;
const stop = new AbortController();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'berth-reconciler-'));
const runtime = new FlakyRuntime({ node: 'n1' });
const syncer = new PodSyncer({ runtime, dataDir, hostIP: '10.0.0.1' });
const failures: unknown[] = [];
const node: AgentNode = { name: 'n1', runtime, syncer, runtimeFailed: (e) => failures.push(e) };
let pods: Informer<Pod>;
let configMaps: Informer<ConfigMap>;
let reconciler: PodReconciler;
const ctx: ReconcileContext = { signal: stop.signal, log: logger('test'), reconcileId: 'test' };

beforeAll(async () => {
  api = await startTestApiServer('sqlite');
  client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
  pods = new Informer(client.resource(kinds.Pod), { fieldSelector: 'spec.nodeName=n1' });
  configMaps = new Informer(client.resource(kinds.ConfigMap));
  const secrets = new Informer(client.resource(kinds.Secret));
  indexReferences(pods);
  indexUids(pods);
  for (const informer of [pods, configMaps, secrets] as Informer[]) void informer.run(stop.signal);
  await Promise.all([pods, configMaps, secrets].map((i) => (i as Informer).waitForSync(stop.signal)));
  reconciler = new PodReconciler({ client, pods, inputs: new PodInputSource(configMaps, secrets), nodes: new Map([['n1', node]]) });
});
afterAll(async () => {
  stop.abort();
  syncer.dispose();
  client?.close();
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const podsApi = () => client.resource(kinds.Pod, 'default');

function pod(name: string, nodeName = 'n1', extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'app', image: 'busybox' }], ...extra } };
}

/** Creates the pod and waits until the informer has it (at least at this version). */
async function seeded(p: Pod): Promise<Pod> {
  const created = await podsApi().create(p);
  return cached(created.metadata.name!, created.metadata.resourceVersion!);
}

const cached = (name: string, atLeast: string) =>
  eventually(`the informer to hold ${name}@${atLeast}`, async () => {
    const p = pods.get(`default/${name}`);
    return p && BigInt(p.metadata.resourceVersion!) >= BigInt(atLeast) ? p : undefined;
  });

it('runs a pod and writes its status once; a second reconcile with nothing new writes nothing', async () => {
  await seeded(pod('web'));
  const first = await reconciler.reconcile(ctx, 'default/web');
  expect(first).toEqual({ requeueAfter: 60_000 });
  const stored = await podsApi().get('web');
  expect(stored.status).toMatchObject({ phase: 'Running', hostIP: '10.0.0.1', podIP: expect.stringMatching(/^10\./) });
  await reconciler.reconcile(ctx, 'default/web');
  expect((await podsApi().get('web')).metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
});

it('finishes a deletion: stops the containers, then deletes the pod for good with its uid as precondition', async () => {
  const running = await podsApi().get('web');
  await podsApi().delete('web');
  const marked = await podsApi().get('web');
  expect(marked.metadata.deletionTimestamp).toBeDefined();
  await cached('web', marked.metadata.resourceVersion!);
  await reconciler.reconcile(ctx, 'default/web');
  expect((await podsApi().list({ fieldSelector: 'metadata.name=web' })).items).toEqual([]);
  expect((await runtime.listContainers({ podUid: running.metadata.uid })).every((c) => c.state === 'exited')).toBe(true);
  // Once the informer sees it gone, what ran for it goes too.
  await eventually('the informer to drop web', async () => !pods.get('default/web'));
  await reconciler.reconcile(ctx, 'default/web');
  expect(await runtime.listContainers({ podUid: running.metadata.uid })).toEqual([]);
  expect(await runtime.listSandboxes({ podUid: running.metadata.uid })).toEqual([]);
});

it('replaces what ran for a pod when a pod of the same name but another uid takes its place', async () => {
  const old = await seeded(pod('same-name'));
  await reconciler.reconcile(ctx, 'default/same-name');
  await podsApi().delete('same-name', { gracePeriodSeconds: 0 });
  const fresh = await podsApi().create(pod('same-name'));
  await cached('same-name', fresh.metadata.resourceVersion!);
  await reconciler.reconcile(ctx, 'default/same-name');
  expect(await runtime.listContainers({ podUid: old.metadata.uid })).toEqual([]);
  expect((await runtime.listContainers({ podUid: fresh.metadata.uid })).map((c) => c.state)).toEqual(['running']);
});

it("leaves another node's pods alone", async () => {
  const elsewhere = await podsApi().create(pod('elsewhere', 'n2'));
  expect(await reconciler.reconcile(ctx, 'default/elsewhere')).toBeUndefined();
  expect(await runtime.listContainers({ podUid: elsewhere.metadata.uid })).toEqual([]);
});

it('waits for a ConfigMap the pod needs, and the ConfigMap maps back to the pod', async () => {
  const needy = await seeded(pod('needy', 'n1', { containers: [{ name: 'app', image: 'busybox', env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] }] }));
  await reconciler.reconcile(ctx, 'default/needy');
  const waiting = (await podsApi().get('needy')).status!.containerStatuses![0].state!.waiting!;
  expect(waiting.reason).toBe('CreateContainerConfigError');
  const settings = await client.resource(kinds.ConfigMap, 'default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } });
  expect(podsReferring(pods, settings)).toEqual(['default/needy']);
  await eventually('the informer to hold the ConfigMap', async () => configMaps.get('default/settings'));
  const requeue = await reconciler.reconcile(ctx, 'default/needy');
  expect(requeue).toEqual({ requeueAfter: expect.any(Number) });
  expect((await runtime.listContainers({ podUid: needy.metadata.uid })).map((c) => c.state)).toEqual(['running']);
});

it('looks again in a few seconds while the runtime does not answer, and tells the node', async () => {
  await seeded(pod('patient'));
  runtime.down = true;
  try {
    expect(await reconciler.reconcile(ctx, 'default/patient')).toEqual({ requeueAfter: 5_000 });
    expect(failures.at(-1)).toBeInstanceOf(RuntimeUnavailable);
  } finally {
    runtime.down = false;
  }
  await reconciler.reconcile(ctx, 'default/patient');
  expect((await podsApi().get('patient')).status!.phase).toBe('Running');
});
