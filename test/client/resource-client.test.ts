import { Readable } from 'node:stream';
import { AlreadyExists, BadRequest, Conflict, NotFound, Unavailable } from '../../src/api/errors';
import type { LogOptions, NodeLogs } from '../../src/apiserver/node-logs';
import { builtinKind } from '../../crds';
import type { ConfigMap } from '../../src/api/types';
import { kinds } from '../../src/client/kinds';
import type { Client } from '../../src/client/client';
import type { TestApiServer } from '../support/api-server';
import { closedPort } from '../support/ports';
import { clientFor, configMap, startServer } from './support';

let server: TestApiServer;
let client: Client;
const logRequests: LogOptions[] = [];
/** The node agent's side of pods/log: a container that printed two lines. */
const nodeLogs: NodeLogs = {
  open: async (_pod, _node, options) => {
    logRequests.push(options);
    return Readable.from([Buffer.from('line 1\nli'), Buffer.from('ne 2\n')]);
  },
};

beforeAll(async () => {
  server = await startServer({ nodeLogs });
  client = clientFor(server.url);
});
afterAll(async () => {
  client.close();
  await server.stop();
});

describe('resource client', () => {
  it('creates, reads, updates with a version check and deletes a typed object', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    const created = await maps.create(configMap('one', { a: '1' }));
    expect(created.metadata.uid).toBeTruthy();
    expect(created.kind).toBe('ConfigMap');
    await expect(maps.create(configMap('one'))).rejects.toBeInstanceOf(AlreadyExists);

    const read = await maps.get('one');
    const fromDeclaration = client.resource<ConfigMap>(builtinKind('', 'v1', 'ConfigMap')!, 'default');
    expect((await fromDeclaration.get('one')).metadata.uid).toBe(created.metadata.uid);
    const updated = await maps.update({ ...read, data: { a: '2' } });
    expect(updated.data).toEqual({ a: '2' });
    await expect(maps.update({ ...read, data: { a: '3' } })).rejects.toBeInstanceOf(Conflict);

    await maps.delete('one');
    await expect(maps.get('one')).rejects.toBeInstanceOf(NotFound);
  });

  it('lists by label selector and pages through a collection at one version', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    for (let i = 0; i < 7; i++) await maps.create(configMap(`page-${i}`, {}, { set: 'paging', odd: String(i % 2) }));
    const odd = await maps.list({ labelSelector: 'set=paging,odd=1' });
    expect(odd.items.map((m) => m.metadata.name).sort()).toEqual(['page-1', 'page-3', 'page-5']);
    expect(odd.items.every((m) => m.apiVersion === 'v1' && m.kind === 'ConfigMap')).toBe(true);

    const pages: number[] = [];
    for await (const page of maps.pages({ labelSelector: 'set=paging', pageSize: 3 })) pages.push(page.items.length);
    expect(pages).toEqual([3, 3, 1]);
    const all = await maps.listAll({ labelSelector: 'set=paging', pageSize: 2 });
    expect(all.items).toHaveLength(7);
    expect(Number(all.resourceVersion)).toBeGreaterThan(0);

    const removed = await maps.deleteCollection({ labelSelector: 'set=paging' });
    expect(removed.items).toHaveLength(7);
    expect((await maps.list({ labelSelector: 'set=paging' })).items).toHaveLength(0);
  });

  it('patches, applies with a field manager and writes status apart from spec', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    await maps.create(configMap('patched', { a: '1' }));
    expect((await maps.patch('patched', 'merge', { data: { b: '2' } })).data).toEqual({ a: '1', b: '2' });
    expect((await maps.patch('patched', 'json', [{ op: 'remove', path: '/data/a' }])).data).toEqual({ b: '2' });
    const applied = await maps.apply(configMap('applied', { x: '1' }), { fieldManager: 'test' });
    expect(applied.metadata.managedFields?.some((f) => f.manager === 'test' && f.operation === 'Apply')).toBe(true);
    await expect(maps.apply(configMap('applied', { x: '2' }), { fieldManager: 'other' })).rejects.toBeInstanceOf(Conflict);
    expect((await maps.apply(configMap('applied', { x: '2' }), { fieldManager: 'other', force: true })).data).toEqual({ x: '2' });

    const nodes = client.resource(kinds.Node);
    const node = await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-status' }, spec: { unschedulable: false } });
    const withStatus = await nodes.updateStatus({ ...node, spec: { unschedulable: true }, status: { phase: 'Running' } });
    expect(withStatus.status?.phase).toBe('Running');
    expect(withStatus.spec?.unschedulable).toBe(false);
  });

  it('watches changes after a version and ends when its signal aborts', async () => {
    const maps = client.resource(kinds.ConfigMap, 'default');
    const start = await maps.list();
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const e of maps.watch(start.metadata.resourceVersion, abort.signal)) {
        seen.push(`${e.type} ${e.object.metadata.name}`);
        if (seen.length === 3) abort.abort();
      }
    })();
    await maps.create(configMap('watched'));
    await maps.patch('watched', 'merge', { data: { a: 'b' } });
    await maps.delete('watched');
    await watching;
    expect(seen).toEqual(['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
  });

  it('binds a pod to a node, streams its log, evicts it, scales a deployment and discovers a custom kind', async () => {
    const pods = client.resource(kinds.Pod, 'default');
    await client.resource(kinds.Node).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-bind' } });
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p-bind' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await pods.bind('p-bind', 'n-bind');
    expect((await pods.get('p-bind')).spec?.nodeName).toBe('n-bind');
    await expect(pods.bind('p-bind', 'n-bind')).rejects.toBeInstanceOf(Conflict);
    const log = await pods.logs('p-bind', { tailLines: 2, timestamps: true });
    const text: string[] = [];
    for await (const chunk of log) text.push(chunk.toString());
    expect(text.join('')).toBe('line 1\nline 2\n');
    expect(logRequests[0]).toMatchObject({ container: 'c', tailLines: 2, timestamps: true, follow: false });
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p-pending' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await expect(pods.logs('p-pending')).rejects.toBeInstanceOf(BadRequest);

    await pods.evict('p-bind', { gracePeriodSeconds: 0 });
    await expect(pods.get('p-bind')).rejects.toBeInstanceOf(NotFound);

    const deployments = client.resource(kinds.Deployment, 'default');
    await deployments.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'scaled' } }, template: { metadata: { labels: { app: 'scaled' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const scale = await deployments.getScale('scaled');
    expect(scale.spec?.replicas).toBe(1);
    await deployments.updateScale('scaled', { ...scale, spec: { replicas: 4 } });
    expect((await deployments.get('scaled')).spec?.replicas).toBe(4);

    await client.resource(kinds.CustomResourceDefinition).create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const widgetKind = await client.discover('example.com/v1', 'Widget');
    expect(widgetKind).toMatchObject({ group: 'example.com', plural: 'widgets', namespaced: true });
    const widgets = client.resource(widgetKind, 'default');
    await widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } });
    expect((await widgets.get('w')).spec).toEqual({ size: 3 });
    await expect(client.discover('example.com/v1', 'Gadget')).rejects.toBeInstanceOf(NotFound);
  });

  it('says which server it could not reach and how to start one', async () => {
    const port = closedPort;
    const offline = clientFor(`http://127.0.0.1:${port}`, { maxRetries: 1 });
    const failure = offline.resource(kinds.ConfigMap, 'default').get('x');
    await expect(failure).rejects.toBeInstanceOf(Unavailable);
    await expect(failure).rejects.toThrow(`cannot reach the API server at http://127.0.0.1:${port}`);
    await expect(failure).rejects.toThrow('berth server');
    offline.close();
  });
});
