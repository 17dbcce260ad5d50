import type { ConfigMap, Pod, ReplicaSet } from '../../src/api/types';
import type { Client } from '../../src/client/client';
import { Controller, ControllerDeclaration } from '../../src/client/controller';
import { Expectations } from '../../src/client/expectations';
import { kinds, splitKey } from '../../src/client/kinds';
import { controllerRegistry, serveMetrics } from '../../src/client/metrics';
import { indexes } from '../../src/client/object-cache';
import { ExponentialRateLimiter } from '../../src/client/rate-limiter';
import { Reconciler, requeueAfter, TerminalError } from '../../src/client/reconciler';
import { SharedInformerFactory } from '../../src/client/shared-informers';
import type { TestApiServer } from '../support/api-server';
import { clientFor, configMap, eventually, startServer } from './support';
import { TcpProxy } from './tcp-proxy';

let server: TestApiServer;
let client: Client;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server.url);
});
afterAll(async () => {
  client.close();
  await server.stop();
});

/** Runs a controller until the test ends it. */
function runController<T extends ConfigMap | ReplicaSet>(declaration: ControllerDeclaration<T>, informers = new SharedInformerFactory(client)) {
  const stop = new AbortController();
  const controller = new Controller(declaration, informers);
  const running = controller.run(stop.signal);
  return {
    controller,
    informers,
    stop: async () => {
      stop.abort();
      await running;
      await informers.stopped();
    },
  };
}

/** A reconciler that records when each key ran, and answers with `answer`. */
function recorder(answer: (key: string, run: number) => Promise<unknown> | unknown): Reconciler & { runs: Map<string, number[]> } {
  const runs = new Map<string, number[]>();
  return {
    runs,
    async reconcile(_ctx, key) {
      const times = runs.get(key) ?? [];
      times.push(Date.now());
      runs.set(key, times);
      const result = await answer(key, times.length);
      return result as { requeueAfter?: number } | void;
    },
  };
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

describe('controller runtime', () => {
  it('retries a failing key with growing backoff until it succeeds', async () => {
    await client.resource(kinds.ConfigMap, 'default').create(configMap('flaky'));
    const reconciler = recorder((key, run) => {
      if (key === 'default/flaky' && run <= 3) throw new Error(`not yet (${run})`);
    });
    const c = runController({ name: 'retries', for: kinds.ConfigMap, reconciler, rateLimiter: new ExponentialRateLimiter(40, 10_000) });
    await eventually('four runs of the flaky key', () => (reconciler.runs.get('default/flaky')?.length ?? 0) >= 4);
    await new Promise((r) => setTimeout(r, 400));
    const times = reconciler.runs.get('default/flaky')!;
    expect(times).toHaveLength(4);
    const [a, b, cc] = gaps(times);
    expect(a).toBeGreaterThanOrEqual(38);
    expect(b).toBeGreaterThanOrEqual(78);
    expect(cc).toBeGreaterThanOrEqual(158);
    expect(c.controller.queue.retries('default/flaky')).toBe(0); // forgotten after the success
    await c.stop();
  });

  it('does not retry a terminal error, but reconciles the key again when the object changes', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    await maps.create(configMap('bad-spec'));
    const reconciler = recorder((key, run) => {
      if (key === 'default/bad-spec' && run === 1) throw new TerminalError('spec.size must be positive');
    });
    const c = runController({ name: 'terminal', for: kinds.ConfigMap, reconciler, rateLimiter: new ExponentialRateLimiter(5, 10_000) });
    await eventually('the first run', () => reconciler.runs.has('default/bad-spec'));
    await new Promise((r) => setTimeout(r, 300));
    expect(reconciler.runs.get('default/bad-spec')).toHaveLength(1);
    await maps.patch('bad-spec', 'merge', { data: { size: '1' } });
    await eventually('a run after the change', () => reconciler.runs.get('default/bad-spec')!.length === 2);
    const text = await controllerRegistry.getSingleMetricAsString('berth_controller_reconcile_total');
    expect(text).toMatch(/controller="terminal",result="terminal_error"} 1/);
    await c.stop();
  });

  it('looks again after requeueAfter', async () => {
    await client.resource(kinds.ConfigMap, 'default').create(configMap('timer'));
    const reconciler = recorder((key, run) => (key === 'default/timer' && run < 3 ? requeueAfter(150) : undefined));
    const c = runController({ name: 'requeue', for: kinds.ConfigMap, reconciler });
    await eventually('three runs', () => (reconciler.runs.get('default/timer')?.length ?? 0) >= 3);
    for (const gap of gaps(reconciler.runs.get('default/timer')!)) expect(gap).toBeGreaterThanOrEqual(148);
    await new Promise((r) => setTimeout(r, 250));
    expect(reconciler.runs.get('default/timer')).toHaveLength(3);
    await c.stop();
  });

  it("runs the controller's own loop with its queue once the caches synced, and stops it with the workers", async () => {
    const reconciler = recorder(() => undefined);
    let loopEnded = false;
    let sawSynced = false;
    const informers = new SharedInformerFactory(client);
    const c = runController<ConfigMap>(
      {
        name: 'own-loop',
        watches: [{ kind: kinds.ConfigMap, map: () => [] }],
        reconciler,
        async run(queue, signal) {
          sawSynced = informers.for(kinds.ConfigMap).hasSynced();
          queue.add('made-up/key');
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          loopEnded = true;
        },
      },
      informers,
    );
    await eventually('the key the loop queued', () => reconciler.runs.has('made-up/key'));
    expect(sawSynced).toBe(true);
    await c.stop();
    expect(loopEnded).toBe(true);
  });

  it('abandons a reconcile past its timeout, frees the worker, and retries the key only after the stray run ends', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    await maps.create(configMap('stuck'));
    await maps.create(configMap('other'));
    let release: () => void = () => undefined;
    const reconciler = recorder((key, run) => (key === 'default/stuck' && run === 1 ? new Promise<void>((r) => (release = r)) : undefined));
    const c = runController({ name: 'timeouts', for: kinds.ConfigMap, reconciler, reconcileTimeoutMs: 100, rateLimiter: new ExponentialRateLimiter(5, 1000) });
    await eventually('the other key to run on the one worker', () => reconciler.runs.has('default/other'));
    await new Promise((r) => setTimeout(r, 150));
    expect(reconciler.runs.get('default/stuck')).toHaveLength(1); // still held by the stray run
    release();
    await eventually('the retry of the stuck key', () => reconciler.runs.get('default/stuck')!.length === 2);
    await c.stop();
  });

  it('maps owned objects to their controller, and watched objects through map()', async () => {
    const reconciler = recorder(() => undefined);
    const c = runController<ReplicaSet>({
      name: 'owners',
      for: kinds.ReplicaSet,
      owns: [kinds.Pod],
      watches: [{ kind: kinds.ConfigMap, map: (cm: ConfigMap) => (cm.metadata.labels?.rs ? [`${cm.metadata.namespace}/${cm.metadata.labels.rs}`] : []) }],
      reconciler,
    });
    await c.informers.waitForSync();
    const pods = client.resource(kinds.Pod, 'default');
    const owned = (name: string, ref: { apiVersion: string; kind: string; name: string; controller?: boolean }): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, ownerReferences: [{ ...ref, uid: `uid-${ref.name}` }] },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await pods.create(owned('owned-pod', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true }));
    await pods.create(owned('not-controller', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api' }));
    await pods.create(owned('other-kind', { apiVersion: 'batch/v1', kind: 'Job', name: 'batch' }));
    await client.resource(kinds.ConfigMap, 'default').create(configMap('settings', {}, { rs: 'db' }));
    await eventually('the owner and the mapped key', () => reconciler.runs.has('default/web') && reconciler.runs.has('default/db'));
    await new Promise((r) => setTimeout(r, 100));
    expect([...reconciler.runs.keys()].sort()).toEqual(['default/db', 'default/web']);
    await pods.delete('owned-pod', { gracePeriodSeconds: 0 });
    await eventually('the owner to hear of the delete', () => reconciler.runs.get('default/web')!.length >= 2);
    await c.stop();
  });
});

describe('expectations with a lagging cache', () => {
  /**
   * A ReplicaSet-like reconciler: count the pods the cache says the set owns, create the missing
   * ones. It asks to look again soon, so it runs many times while the (delayed) cache lags behind
   * its own creates.
   */
  function podMaker(useExpectations: boolean, expectations: Expectations, informers: SharedInformerFactory): Reconciler {
    const podsCache = informers.for(kinds.Pod);
    const sets = informers.for(kinds.ReplicaSet);
    return {
      async reconcile(ctx, key) {
        const rs = sets.get(key);
        if (!rs) return;
        if (useExpectations && !expectations.satisfied(key)) return requeueAfter(20);
        const have = podsCache.byIndex(indexes.owner, rs.metadata.uid!).length;
        const missing = (rs.spec?.replicas ?? 0) - have;
        if (missing > 0) {
          if (useExpectations) expectations.expectCreations(key, missing);
          const pods = client.resource(kinds.Pod, splitKey(key).namespace!);
          for (let i = 0; i < missing; i++) {
            await pods.create(
              {
                apiVersion: 'v1',
                kind: 'Pod',
                metadata: { generateName: `${rs.metadata.name}-`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }] },
                spec: { containers: [{ name: 'c', image: 'busybox' }] },
              },
              { signal: ctx.signal },
            );
          }
        }
        return requeueAfter(20);
      },
    };
  }

  async function podsAfter(useExpectations: boolean, name: string): Promise<number> {
    const proxy = await TcpProxy.start(server.url);
    proxy.delayMs = 300;
    const lagging = clientFor(proxy.url);
    const informers = new SharedInformerFactory(lagging);
    const expectations = new Expectations();
    const c = runController<ReplicaSet>({ name: `lag-${name}`, for: kinds.ReplicaSet, owns: [kinds.Pod], expectations, reconciler: podMaker(useExpectations, expectations, informers) }, informers);
    await informers.waitForSync();
    const rs = await client.resource(kinds.ReplicaSet, 'default').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name },
      spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await new Promise((r) => setTimeout(r, 1200));
    await c.stop();
    lagging.close();
    await proxy.close();
    const pods = await client.resource(kinds.Pod, 'default').list();
    return pods.items.filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid).length;
  }

  it('creates exactly the missing pods with expectations, where counting the lagging cache alone creates too many', async () => {
    expect(await podsAfter(true, 'with-expectations')).toBe(3);
    expect(await podsAfter(false, 'without-expectations')).toBeGreaterThan(3);
  });

  it('expires expectations after their TTL and settles deletions by uid', () => {
    let now = 0;
    const e = new Expectations({ ttlMs: 1000, now: () => now });
    e.expectCreations('ns/a', 2);
    e.expectDeletions('ns/a', ['u1', 'u2']);
    expect(e.outstanding('ns/a')).toEqual({ creations: 2, deletions: ['u1', 'u2'] });
    e.creationObserved('ns/a');
    e.creationObserved('ns/a');
    e.deletionObserved('ns/a', 'u1');
    expect(e.satisfied('ns/a')).toBe(false);
    e.deletionObserved('ns/a', 'u2');
    expect(e.satisfied('ns/a')).toBe(true);
    e.expectCreations('ns/b', 1);
    expect(e.satisfied('ns/b')).toBe(false);
    now = 1001;
    expect(e.satisfied('ns/b')).toBe(true);
    expect(e.satisfied('ns/never-set')).toBe(true);
  });
});

describe('controller metrics', () => {
  it('serves reconcile counts, latency and queue depth on /metrics', async () => {
    await client.resource(kinds.ConfigMap, 'default').create(configMap('measured'));
    const reconciler = recorder(() => undefined);
    const c = runController({ name: 'measured', for: kinds.ConfigMap, reconciler });
    await eventually('a reconcile', () => reconciler.runs.has('default/measured'));
    const endpoint = await serveMetrics(0);
    const text = await (await fetch(endpoint.url)).text();
    expect(text).toMatch(/berth_controller_reconcile_total\{controller="measured",result="success"} \d+/);
    expect(text).toMatch(/berth_controller_reconcile_time_seconds_count\{controller="measured"} \d+/);
    expect(text).toMatch(/berth_workqueue_adds_total\{name="measured"} \d+/);
    expect(text).toContain('berth_workqueue_depth{name="measured"}');
    await endpoint.close();
    await c.stop();
  });
});
