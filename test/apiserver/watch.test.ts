import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request, WatchStream } from '../support/http';

const configMap = (name: string, labels?: Record<string, string>, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

afterAll(stopSharedEtcd);

describe.each(backends)('watch over %s', (backend) => {
  let api: TestApiServer;
  const watches: WatchStream[] = [];
  const open = (url: string, headers?: Record<string, string>) => {
    const w = new WatchStream(url, { headers });
    watches.push(w);
    return w;
  };
  const cms = (ns = 'default') => `${api.url}/api/v1/namespaces/${ns}/configmaps`;

  beforeAll(async () => {
    api = await startTestApiServer(backend, { bookmarkIntervalMs: 200, watchCacheCapacity: 10 });
  });
  afterEach(() => {
    for (const w of watches.splice(0)) w.close();
  });
  afterAll(() => api.stop());

  it('streams every change after the list version, in order, each with kind and apiVersion', async () => {
    const list = await request('GET', cms());
    const w = open(`${cms()}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    const created = (await request('POST', cms(), configMap('w1'))).body;
    await request('PUT', `${cms()}/w1`, { ...created, data: { x: '1' } });
    await request('DELETE', `${cms()}/w1`);
    const events = await w.waitFor(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    for (const e of events) expect(e.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'w1' } });
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(w.status).toBe(200);
  });

  it('starts with synthetic ADDED events when no version is given, for one object by name', async () => {
    await request('POST', cms(), configMap('named'));
    await request('POST', cms(), configMap('other'));
    const w = open(`${cms()}?watch=true&fieldSelector=metadata.name%3Dnamed&resourceVersion=0`);
    const [first] = await w.waitFor(1);
    expect(first.type).toBe('ADDED');
    expect(first.object.metadata.name).toBe('named');
    const got = (await request('GET', `${cms()}/named`)).body;
    await request('PUT', `${cms()}/named`, { ...got, data: { y: '2' } });
    await request('PUT', `${cms()}/other`, { ...(await request('GET', `${cms()}/other`)).body, data: { z: '3' } });
    const events = await w.waitFor(2);
    expect(events[1].type).toBe('MODIFIED');
    await new Promise((r) => setTimeout(r, 200));
    expect(w.events.every((e) => e.object.metadata.name === 'named' || e.type === 'BOOKMARK')).toBe(true);
  });

  it('resumes from a version and sees exactly the later changes', async () => {
    const a = (await request('POST', cms(), configMap('resume-a'))).body;
    await request('POST', cms(), configMap('resume-b'));
    await request('POST', cms(), configMap('resume-c'));
    const w = open(`${cms()}?watch=true&resourceVersion=${a.metadata.resourceVersion}&labelSelector=`);
    const events = await w.waitFor(2);
    expect(events.map((e) => e.object.metadata.name)).toEqual(['resume-b', 'resume-c']);
  });

  it('turns label selector transitions into ADDED and DELETED', async () => {
    const list = await request('GET', cms());
    const w = open(`${cms()}?watch=true&labelSelector=tier%3Dfront&resourceVersion=${list.body.metadata.resourceVersion}`);
    const created = (await request('POST', cms(), configMap('moving', { tier: 'back' }))).body;
    const front = (await request('PUT', `${cms()}/moving`, { ...created, metadata: { ...created.metadata, labels: { tier: 'front' } } })).body;
    await request('PUT', `${cms()}/moving`, { ...front, metadata: { ...front.metadata, labels: { tier: 'back' } } });
    const events = await w.waitFor(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('filters by namespace', async () => {
    await request('POST', `${api.url}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
    const list = await request('GET', cms());
    const w = open(`${cms()}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    await request('POST', cms('elsewhere'), configMap('not-mine'));
    await request('POST', cms(), configMap('mine'));
    const events = await w.waitFor(1);
    expect(events[0].object.metadata.name).toBe('mine');
  });

  it('answers a version older than it keeps with one ERROR 410 event, then closes', async () => {
    const first = (await request('POST', cms(), configMap('old-0'))).body;
    for (let i = 1; i <= 15; i++) await request('POST', cms(), configMap(`old-${i}`));
    const w = open(`${cms()}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    await w.waitForEnd();
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('sends bookmarks when asked, and only then', async () => {
    const list = await request('GET', cms());
    const rv = list.body.metadata.resourceVersion;
    const withMarks = open(`${cms()}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
    const without = open(`${cms()}?watch=true&resourceVersion=${rv}`);
    await request('POST', cms(), configMap('marker'));
    const events = await withMarks.waitFor(2, 5000);
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    await without.waitFor(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(without.events.some((e) => e.type === 'BOOKMARK')).toBe(false);
  });

  it('ends the initial burst with an initial-events-end bookmark for sendInitialEvents', async () => {
    await request('POST', cms(), configMap('initial'));
    const w = open(`${cms()}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=&allowWatchBookmarks=true`);
    await w.waitFor(1);
    const deadline = Date.now() + 5000;
    while (!w.events.some((e) => e.type === 'BOOKMARK') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const end = w.events.find((e) => e.type === 'BOOKMARK');
    expect(end?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(w.events.filter((e) => e.type === 'ADDED').length).toBeGreaterThan(0);
  });

  it('closes the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const w = open(`${cms()}?watch=true&timeoutSeconds=1&resourceVersion=0`);
    await w.waitForEnd(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('streams tables to kubectl get -w with headers once', async () => {
    const list = await request('GET', cms());
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const w = open(`${cms()}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`, { Accept: accept });
    await request('POST', cms(), configMap('t1'));
    await request('POST', cms(), configMap('t2'));
    const events = await w.waitFor(2);
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.columnDefinitions.length).toBeGreaterThan(0);
    expect(events[0].object.rows[0].cells[0]).toBe('t1');
    expect(events[1].object.columnDefinitions).toEqual([]);
  });

  it('fans one store watch out to many watchers', async () => {
    const list = await request('GET', cms());
    const many = Array.from({ length: 50 }, () => open(`${cms()}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`));
    await new Promise((r) => setTimeout(r, 200));
    await request('POST', cms(), configMap('fanout'));
    for (const w of many) {
      const [e] = await w.waitFor(1);
      expect(e.object.metadata.name).toBe('fanout');
    }
  });
});
