import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiServer } from '../../src/apiserver/server';
import type { ConfigMap, Pod } from '../../src/api/types';
import type { Client } from '../../src/client/client';
import { Informer, stripManagedFields } from '../../src/client/informer';
import { indexes } from '../../src/client/object-cache';
import { keyOf, kinds } from '../../src/client/kinds';
import { clientFor, configMap, eventually, RestartableServer, startServer } from './support';
import type { TestApiServer } from '../support/api-server';

/** What the handlers heard, folded into the state they imply. */
function recordingHandlers<T extends { metadata: { name?: string; namespace?: string; resourceVersion?: string } }>() {
  const state = new Map<string, string | undefined>();
  const log = { adds: 0, updates: 0, deletes: 0, inferredDeletes: 0, resyncs: 0 };
  return {
    state,
    log,
    handlers: {
      onAdd: (o: T) => {
        log.adds++;
        state.set(keyOf(o), o.metadata.resourceVersion);
      },
      onUpdate: (old: T, o: T) => {
        if (old === o) log.resyncs++;
        else log.updates++;
        state.set(keyOf(o), o.metadata.resourceVersion);
      },
      onDelete: (o: T, info: { finalStateUnknown: boolean }) => {
        log.deletes++;
        if (info.finalStateUnknown) log.inferredDeletes++;
        state.delete(keyOf(o));
      },
    },
  };
}

/** The server's truth: key → resourceVersion. */
async function serverState(client: Client, namespace: string): Promise<Map<string, string | undefined>> {
  const list = await client.resource(kinds.ConfigMap, namespace).list();
  return new Map(list.items.map((o) => [keyOf(o), o.metadata.resourceVersion]));
}

function cacheState(informer: Informer<ConfigMap>): Map<string, string | undefined> {
  return new Map(informer.list().map((o) => [keyOf(o), o.metadata.resourceVersion]));
}

describe('informer against a real API server', () => {
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

  it('mirrors a resource exactly while 500 objects are created, updated and deleted, indexes included', async () => {
    const namespace = 'mirror';
    await client.resource(kinds.Namespace).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const maps = client.resource(kinds.ConfigMap, namespace);
    // Some objects exist before the informer starts: they arrive through the (paged) list.
    for (let i = 0; i < 30; i++) await maps.create(configMap(`obj-${i}`, {}, { group: String(i % 5) }, namespace));

    const informer = new Informer(maps, { pageSize: 7 });
    informer.addIndex('group', (o) => (o.metadata.labels?.group ? [o.metadata.labels.group] : []));
    const heard = recordingHandlers<ConfigMap>();
    informer.addHandler(heard.handlers);
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    expect(await informer.waitForSync(stop.signal)).toBe(true);
    expect(informer.list()).toHaveLength(30);

    // 470 more creates, then updates of 300 and deletes of 200, eight writers at a time.
    const work: Array<() => Promise<unknown>> = [];
    for (let i = 30; i < 500; i++) work.push(() => maps.create(configMap(`obj-${i}`, {}, { group: String(i % 5) }, namespace)));
    const writers = async (jobs: Array<() => Promise<unknown>>) => {
      const queue = [...jobs];
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }));
    };
    await writers(work);
    await writers(Array.from({ length: 300 }, (_, i) => () => maps.patch(`obj-${i}`, 'merge', { metadata: { labels: { group: String((i + 1) % 5) } }, data: { v: String(i) } })));
    await writers(Array.from({ length: 200 }, (_, i) => () => maps.delete(`obj-${i + 300}`)));

    const truth = await serverState(client, namespace);
    expect(truth.size).toBe(300);
    await eventually('the cache to equal the server', () => JSON.stringify([...cacheState(informer)].sort()) === JSON.stringify([...truth].sort()));
    expect(heard.state).toEqual(cacheState(informer));
    expect(heard.log).toMatchObject({ adds: 500, deletes: 200, inferredDeletes: 0 });
    expect(heard.log.updates).toBe(300);

    // Indexes follow every change: by label (custom), by namespace.
    const list = await maps.list();
    for (const group of ['0', '1', '2', '3', '4']) {
      const expected = list.items.filter((o) => o.metadata.labels?.group === group).map(keyOf).sort();
      expect(informer.byIndex('group', group).map(keyOf).sort()).toEqual(expected);
      expect(informer.list({ labelSelector: `group=${group}` }).map(keyOf).sort()).toEqual(expected);
    }
    expect(informer.byIndex(indexes.namespace, namespace)).toHaveLength(300);
    expect(Object.isFrozen(informer.get(`${namespace}/obj-0`)!.metadata)).toBe(true);

    stop.abort();
    await running;
  });

  it('indexes pods by owner and by node, and hands late handlers the whole cache', async () => {
    const pods = client.resource(kinds.Pod, 'default');
    const pod = (name: string, owner?: string, node?: string): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true }] : undefined },
      spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: node },
    });
    await pods.create(pod('p1', 'rs-a', 'node-1'));
    await pods.create(pod('p2', 'rs-a', 'node-2'));
    await pods.create(pod('p3', 'rs-b', 'node-1'));
    const informer = new Informer(pods);
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    expect(informer.byIndex(indexes.owner, 'uid-rs-a').map(keyOf).sort()).toEqual(['default/p1', 'default/p2']);
    expect(informer.byIndex(indexes.nodeName, 'node-1').map(keyOf).sort()).toEqual(['default/p1', 'default/p3']);
    await pods.delete('p1', { gracePeriodSeconds: 0 });
    await eventually('p1 to leave the indexes', () => informer.byIndex(indexes.nodeName, 'node-1').length === 1);
    expect(informer.byIndex(indexes.owner, 'uid-rs-a').map(keyOf)).toEqual(['default/p2']);

    const late: string[] = [];
    informer.addHandler({ onAdd: (o) => late.push(keyOf(o)) });
    expect(late.sort()).toEqual(['default/p2', 'default/p3']);
    stop.abort();
    await running;
  });

  it('hands every cached object to onUpdate on each resync', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    for (let i = 0; i < 3; i++) await maps.create(configMap(`resync-${i}`, {}, { resync: 'yes' }));
    const informer = new Informer(maps, { resyncMs: 50, labelSelector: 'resync=yes' });
    const heard = recordingHandlers<ConfigMap>();
    informer.addHandler(heard.handlers);
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await eventually('three resyncs of three objects', () => heard.log.resyncs >= 9);
    stop.abort();
    await running;
  });

  it('caches and hands out objects as its transform leaves them (managedFields stripped), from the list and the watch alike', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    await maps.create(configMap('listed', {}, { slim: 'yes' }));
    const informer = new Informer(maps, { labelSelector: 'slim=yes', transform: stripManagedFields });
    const seen: ConfigMap[] = [];
    informer.addHandler({ onAdd: (o) => seen.push(o), onUpdate: (_old, o) => seen.push(o) });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    await maps.create(configMap('watched', {}, { slim: 'yes' }));
    await eventually('both objects', () => informer.list().length === 2);
    expect((await maps.get('watched')).metadata.managedFields).toBeDefined();
    for (const o of [...informer.list(), ...seen]) expect(o.metadata.managedFields).toBeUndefined();
    stop.abort();
    await running;
  });
});

describe('informer across a server restart that expires its version', () => {
  it('re-lists after 410 Gone and converges, inferring deletes it missed', async () => {
    const api = await RestartableServer.start();
    const client = clientFor(api.url, { maxRetries: 2 });
    const maps = client.resource(kinds.ConfigMap, 'default');
    for (let i = 0; i < 5; i++) await maps.create(configMap(`keep-${i}`));
    const informer = new Informer(maps, { backoffBaseMs: 50, backoffMaxMs: 200 });
    const heard = recordingHandlers<ConfigMap>();
    informer.addHandler(heard.handlers);
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    const before = informer.resourceVersion;

    // While the informer's server is away, another server on the same store moves it on. The
    // restarted server's watch history starts after those writes, so the informer's version is gone.
    await api.down();
    const other = await ApiServer.start({ store: api.store, compactionIntervalMs: 0 });
    const otherClient = clientFor(await other.listen(0, '127.0.0.1'));
    const otherMaps = otherClient.resource(kinds.ConfigMap, 'default');
    await otherMaps.delete('keep-0');
    await otherMaps.patch('keep-1', 'merge', { data: { changed: 'yes' } });
    await otherMaps.create(configMap('new-one'));
    otherClient.close();
    await other.close();
    await api.up();

    await eventually('the cache to match the store again', async () => JSON.stringify([...cacheState(informer)].sort()) === JSON.stringify([...(await serverState(client, 'default'))].sort()), 15_000, 50);
    expect(Number(informer.resourceVersion)).toBeGreaterThan(Number(before));
    expect(heard.log.inferredDeletes).toBe(1);
    expect(informer.get('default/keep-1')!.data).toEqual({ changed: 'yes' });

    // And it keeps following changes after the re-list.
    await maps.create(configMap('after'));
    await eventually('a change after the re-list', () => informer.get('default/after') !== undefined);
    stop.abort();
    await running;
    client.close();
    await api.destroy();
  });
});

describe('informer re-list sequence (scripted server)', () => {
  it('re-lists at the last version after a 410, then at the latest if that is gone too', async () => {
    const requests: string[] = [];
    let watches = 0;
    const server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const rv = url.searchParams.get('resourceVersion') ?? '';
      const watch = url.searchParams.get('watch') === 'true';
      requests.push(`${watch ? 'watch' : 'list'} rv=${rv}`);
      res.setHeader('Content-Type', 'application/json');
      const cm = (name: string, version: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: version } });
      if (!watch) {
        if (rv === '12') {
          res.writeHead(410);
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 12 (40)' }));
          return;
        }
        const version = rv === '' && requests.length > 1 ? '50' : '10';
        res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: version }, items: version === '50' ? [cm('b', '45')] : [cm('a', '10')] }));
        return;
      }
      watches++;
      res.writeHead(200);
      if (watches === 1) {
        // One change, then the stream expires.
        res.write(JSON.stringify({ type: 'MODIFIED', object: cm('a', '12') }) + '\n');
        res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } }) + '\n');
        return;
      }
      // Then a quiet watch that stays open until the client leaves.
      res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '51' } } }) + '\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const client = clientFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const informer = new Informer(client.resource(kinds.ConfigMap, 'default'), { backoffBaseMs: 10 });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await eventually('the bookmark after the re-list', () => informer.resourceVersion === '51');
    expect(requests).toEqual(['list rv=', 'watch rv=10', 'list rv=12', 'list rv=', 'watch rv=50']);
    expect(informer.list().map(keyOf)).toEqual(['default/b']);
    stop.abort();
    await running;
    client.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
