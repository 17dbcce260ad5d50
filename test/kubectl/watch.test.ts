/**
 * kubectl get -w against the API server on both store backends: kubectl lists, then watches
 * from the list's version, and must print every change another client makes — and nothing twice.
 */
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { waitFor } from '../support/ports';
import { BackgroundKubectl, KubectlSession, tableRows } from './session';

const configMap = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

afterAll(stopSharedEtcd);

describe.each(backends)('kubectl get -w over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;
  const running: BackgroundKubectl[] = [];
  const cms = () => `${api.url}/api/v1/namespaces/default/configmaps`;
  const watch = (args: string[]) => {
    const w = kubectl.background(args);
    running.push(w);
    return w;
  };
  /** Open watches on ConfigMaps, as the server counts them. */
  const watchers = () => api.server.services.watchCaches.for(api.server.registry.get('', 'v1', 'configmaps')!).watcherCount;
  const put = async (name: string, data: Record<string, string>) => {
    const current = (await request('GET', `${cms()}/${name}`)).body;
    expect((await request('PUT', `${cms()}/${name}`, { ...current, data })).status).toBe(200);
  };

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((w) => w.stop()));
    await waitFor('the stopped watches to close', async () => (watchers() === 0 ? true : undefined));
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('prints the listed objects, then each change made by another client, with its event type', async () => {
    await request('POST', cms(), configMap('listed', { a: '1' }, { watch: 'events' }));
    const w = watch(['get', 'configmaps', '-l', 'watch=events', '-w', '--output-watch-events']);
    await w.waitForLines(2);

    await request('POST', cms(), configMap('arrives', { b: '1' }, { watch: 'events' }));
    await put('listed', { a: '2' });
    await request('DELETE', `${cms()}/arrives`);

    await w.waitForLines(5);
    const table = tableRows(w.stdout());
    expect(table[0].slice(0, 2)).toEqual(['EVENT', 'NAME']);
    expect(table.slice(1).map((r) => `${r[0]} ${r[1]}`)).toEqual(['ADDED listed', 'ADDED arrives', 'MODIFIED listed', 'DELETED arrives']);
  });

  it('follows one object by name: the current value first, then each new one exactly once', async () => {
    await request('POST', cms(), configMap('followed', { value: 'first' }));
    const w = watch(['get', 'configmap', 'followed', '-w', '-o', 'jsonpath={.data.value}{"\\n"}']);
    await w.waitForLines(1);
    // kubectl GETs, prints, then watches from "0" and drops the first event (the current state):
    // a change before its watch is open would be that dropped event, with upstream too.
    await waitFor('kubectl to open its watch', async () => (watchers() > 0 ? true : undefined));
    await put('followed', { value: 'second' });
    await w.waitForLines(2);
    // A change to another object is not this watch's business.
    await request('POST', cms(), configMap('bystander', { value: 'other' }));
    await put('followed', { value: 'third' });
    expect(await w.waitForLines(3)).toEqual(['first', 'second', 'third']);
  });

  it('prints table rows for changes, with the header once', async () => {
    await request('POST', cms(), configMap('tabled', { a: '1' }, { watch: 'table' }));
    const w = watch(['get', 'configmaps', '-l', 'watch=table', '-w']);
    await w.waitForLines(2);
    await request('POST', cms(), configMap('tabled-2', { a: '1' }, { watch: 'table' }));
    await w.waitForLines(3);
    const lines = w.stdout().trim().split('\n');
    expect(lines.filter((l) => l.startsWith('NAME')).length).toBe(1);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['tabled', 'tabled-2']);
  });

  it('stops at a label selector: objects that start and stop matching come and go', async () => {
    const w = watch(['get', 'configmaps', '-l', 'stage=live', '-w', '--output-watch-events', '-o', 'wide']);
    await request('POST', cms(), configMap('mover', { a: '1' }, { stage: 'draft' }));
    const mover = (await request('GET', `${cms()}/mover`)).body;
    await request('PUT', `${cms()}/mover`, { ...mover, metadata: { ...mover.metadata, labels: { stage: 'live' } } });
    await w.waitForLines(2);
    const live = (await request('GET', `${cms()}/mover`)).body;
    await request('PUT', `${cms()}/mover`, { ...live, metadata: { ...live.metadata, labels: { stage: 'done' } } });
    await w.waitForLines(3);
    expect(tableRows(w.stdout()).slice(1).map((r) => `${r[0]} ${r[1]}`)).toEqual(['ADDED mover', 'DELETED mover']);
  });
});
