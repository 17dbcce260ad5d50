import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';

const configMap = (name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

const deployment = (name: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'busybox' }] } },
  },
});

afterAll(stopSharedEtcd);

describe.each(backends)('API server CRUD over %s', (backend) => {
  let api: TestApiServer;
  const cms = () => `${api.url}/api/v1/namespaces/default/configmaps`;
  const deploys = () => `${api.url}/apis/apps/v1/namespaces/default/deployments`;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
  });
  afterAll(() => api.stop());

  it('creates an object with the metadata the server owns', async () => {
    const r = await request('POST', cms(), configMap('first'));
    expect(r.status).toBe(201);
    expect(r.body.kind).toBe('ConfigMap');
    expect(r.body.apiVersion).toBe('v1');
    expect(r.body.metadata).toMatchObject({ name: 'first', namespace: 'default', generation: 1 });
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(r.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await request('GET', `${cms()}/first`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it('answers 404 NotFound as a Status with upstream wording', async () => {
    const r = await request('GET', `${deploys()}/missing`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'deployments.apps "missing" not found',
      details: { name: 'missing', group: 'apps', kind: 'deployments' },
    });
  });

  it('answers 409 AlreadyExists for a second create of the same name', async () => {
    await request('POST', cms(), configMap('twice'));
    const r = await request('POST', cms(), configMap('twice'));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "twice" already exists' });
  });

  it('refuses a stale resourceVersion on update with 409 Conflict and keeps the stored object', async () => {
    const created = (await request('POST', cms(), configMap('cas'))).body;
    const first = await request('PUT', `${cms()}/cas`, { ...created, data: { a: '2' } });
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await request('PUT', `${cms()}/cas`, { ...created, data: { a: '3' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain('the object has been modified');
    expect((await request('GET', `${cms()}/cas`)).body.data).toEqual({ a: '2' });
  });

  it('moves generation only when the spec changes', async () => {
    const created = (await request('POST', deploys(), deployment('gen'))).body;
    expect(created.metadata.generation).toBe(1);
    const labelled = await request('PUT', `${deploys()}/gen`, { ...created, metadata: { ...created.metadata, labels: { app: 'gen', tier: 'x' } } });
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await request('PUT', `${deploys()}/gen`, { ...labelled.body, spec: { ...labelled.body.spec, replicas: 5 } });
    expect(scaled.body.metadata.generation).toBe(2);
  });

  it('does not write or bump the version for an update that changes nothing', async () => {
    const created = (await request('POST', cms(), configMap('noop'))).body;
    const again = await request('PUT', `${cms()}/noop`, created);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('writes status only through the status subresource', async () => {
    const created = (await request('POST', deploys(), deployment('stat'))).body;
    const viaMain = await request('PUT', `${deploys()}/stat`, { ...created, status: { replicas: 9 } });
    expect(viaMain.body.status ?? {}).not.toHaveProperty('replicas', 9);
    const viaStatus = await request('PUT', `${deploys()}/stat/status`, { ...viaMain.body, spec: { ...viaMain.body.spec, replicas: 7 }, status: { replicas: 9, observedGeneration: 1 } });
    expect(viaStatus.status).toBe(200);
    expect(viaStatus.body.status).toMatchObject({ replicas: 9, observedGeneration: 1 });
    expect(viaStatus.body.spec.replicas).toBe(2);
    expect(viaStatus.body.metadata.generation).toBe(created.metadata.generation);
  });

  it('refuses a write that changes metadata.uid, with 422 naming the field', async () => {
    await request('POST', cms(), configMap('uid-fixed'));
    const r = await request('PATCH', `${cms()}/uid-fixed`, { metadata: { uid: 'another' } }, { headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0]).toMatchObject({ field: 'metadata.uid' });
  });

  it('lets a status write change annotations but not labels or spec', async () => {
    const created = (await request('POST', deploys(), deployment('stat-ann'))).body;
    const body = { ...created, metadata: { ...created.metadata, labels: { app: 'changed' }, annotations: { 'deployment.kubernetes.io/revision': '1' } }, spec: { ...created.spec, replicas: 9 }, status: { observedGeneration: 1 } };
    const r = await request('PUT', `${deploys()}/stat-ann/status`, body);
    expect(r.status).toBe(200);
    expect(r.body.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(r.body.metadata.labels).toEqual({ app: 'stat-ann' });
    expect(r.body.spec.replicas).toBe(2);
    expect(r.body.metadata.generation).toBe(created.metadata.generation);
  });

  it('names a generateName Job before defaulting, so its job-name label matches', async () => {
    const jobs = `${api.url}/apis/batch/v1/namespaces/default/jobs`;
    const r = await request('POST', jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { generateName: 'run-' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    expect(r.status).toBe(201);
    expect(r.body.spec.template.metadata.labels['job-name']).toBe(r.body.metadata.name);
  });

  it('keeps the version when an object that is only a name is applied again', async () => {
    const url = `${api.url}/api/v1/namespaces/applied-twice?fieldManager=berth`;
    const headers = { headers: { 'Content-Type': 'application/apply-patch+yaml' } };
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'applied-twice' } };
    const first = await request('PATCH', url, body, headers);
    expect(first.status).toBe(201);
    const second = await request('PATCH', url, body, headers);
    const third = await request('PATCH', url, body, headers);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    expect(third.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it('generates names from generateName', async () => {
    const r = await request('POST', cms(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('stores nothing on dryRun=All', async () => {
    const r = await request('POST', `${cms()}?dryRun=All`, configMap('dry'));
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toBe('dry');
    expect((await request('GET', `${cms()}/dry`)).status).toBe(404);
  });

  it('answers 404 for objects in a namespace that does not exist', async () => {
    const r = await request('POST', `${api.url}/api/v1/namespaces/nowhere/configmaps`, configMap('x'));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "nowhere" not found');
  });

  it('has the system namespaces', async () => {
    const r = await request('GET', `${api.url}/api/v1/namespaces`);
    const names = r.body.items.map((n: { metadata: { name: string } }) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
    expect(r.body.items[0].status.phase).toBe('Active');
  });

  it('rejects a body of another kind with 400 and a body namespace that differs from the URL', async () => {
    const wrongKind = await request('POST', cms(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    expect(wrongKind.status).toBe(400);
    const wrongNs = await request('POST', cms(), { ...configMap('x'), metadata: { name: 'x', namespace: 'kube-system' } });
    expect(wrongNs.status).toBe(400);
    expect(wrongNs.body.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });

  it('answers 400 for malformed JSON and 415 for an unknown content type', async () => {
    const bad = await request('POST', cms(), '{"metadata": ', { headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('BadRequest');
    const xml = await request('POST', cms(), '<x/>', { headers: { 'Content-Type': 'application/xml' } });
    expect(xml.status).toBe(415);
    expect(xml.body.reason).toBe('UnsupportedMediaType');
  });

  it('answers 413 for a body over 3 MiB', async () => {
    const huge = configMap('huge', { a: 'x'.repeat(3 * 1024 * 1024 + 10) });
    const r = await request('POST', cms(), huge);
    expect(r.status).toBe(413);
    expect((await request('GET', `${cms()}/huge`)).status).toBe(404);
  });

  it('answers 404 for unknown resources and paths', async () => {
    expect((await request('GET', `${api.url}/apis/apps/v1/namespaces/default/widgets`)).status).toBe(404);
    expect((await request('GET', `${api.url}/nothing-here`)).status).toBe(404);
  });

  it('lists with a label selector, a field selector, and pages consistent at one version', async () => {
    for (let i = 0; i < 7; i++) await request('POST', cms(), configMap(`page-${i}`, { i: String(i) }, { set: 'paging', parity: i % 2 ? 'odd' : 'even' }));
    const odd = await request('GET', `${cms()}?labelSelector=${encodeURIComponent('set=paging,parity in (odd)')}`);
    expect(odd.body.kind).toBe('ConfigMapList');
    expect(odd.body.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(['page-1', 'page-3', 'page-5']);
    const byName = await request('GET', `${cms()}?fieldSelector=metadata.name%3Dpage-4`);
    expect(byName.body.items).toHaveLength(1);
    const first = await request('GET', `${cms()}?labelSelector=set%3Dpaging&limit=3`);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.metadata.continue).toBeTruthy();
    await request('POST', cms(), configMap('page-0a', {}, { set: 'paging' }));
    const names: string[] = first.body.items.map((c: { metadata: { name: string } }) => c.metadata.name);
    let token = first.body.metadata.continue;
    while (token) {
      const page = await request('GET', `${cms()}?labelSelector=set%3Dpaging&limit=3&continue=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      expect(page.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
      names.push(...page.body.items.map((c: { metadata: { name: string } }) => c.metadata.name));
      token = page.body.metadata.continue;
    }
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
  });

  it('rejects a bad label selector and an unsupported field selector with 400', async () => {
    const badLabel = await request('GET', `${cms()}?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(badLabel.status).toBe(400);
    const badField = await request('GET', `${cms()}?fieldSelector=spec.nodeName%3Dx`);
    expect(badField.status).toBe(400);
    expect(badField.body.message).toContain('spec.nodeName');
  });

  it('selects pods by spec.nodeName and status.phase', async () => {
    const pods = `${api.url}/api/v1/namespaces/default/pods`;
    const pod = (name: string, nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } });
    await request('POST', pods, pod('on-a', 'node-a'));
    await request('POST', pods, pod('pending'));
    const onA = await request('GET', `${pods}?fieldSelector=spec.nodeName%3Dnode-a`);
    expect(onA.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['on-a']);
    const unbound = await request('GET', `${pods}?fieldSelector=spec.nodeName%3D,status.phase%3DPending`);
    expect(unbound.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['pending']);
  });

  it('deletes, answering with a Success Status (deployments) or the object (pods)', async () => {
    await request('POST', deploys(), deployment('gone'));
    const r = await request('DELETE', `${deploys()}/gone`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'gone', group: 'apps', kind: 'deployments' } });
    expect((await request('GET', `${deploys()}/gone`)).status).toBe(404);
    const pods = `${api.url}/api/v1/namespaces/default/pods`;
    await request('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'short' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const pod = await request('DELETE', `${pods}/short`);
    expect(pod.body.kind).toBe('Pod');
    expect(pod.body.metadata.name).toBe('short');
  });

  it('keeps an object with finalizers until they are removed, then deletes it', async () => {
    const created = (await request('POST', cms(), { ...configMap('fin'), metadata: { name: 'fin', finalizers: ['example.com/hold'] } })).body;
    const del = await request('DELETE', `${cms()}/fin`);
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    const held = (await request('GET', `${cms()}/fin`)).body;
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(held.metadata.generation).toBe(created.metadata.generation + 1);
    const released = await request('PUT', `${cms()}/fin`, { ...held, metadata: { ...held.metadata, finalizers: [] } });
    expect(released.status).toBe(200);
    expect((await request('GET', `${cms()}/fin`)).status).toBe(404);
  });

  it('records Foreground and Orphan propagation as finalizers for the garbage collector', async () => {
    await request('POST', deploys(), deployment('fg'));
    const fg = await request('DELETE', `${deploys()}/fg`, { propagationPolicy: 'Foreground' });
    expect(fg.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    await request('POST', deploys(), deployment('or'));
    const or = await request('DELETE', `${deploys()}/or?propagationPolicy=Orphan`);
    expect(or.body.metadata.finalizers).toEqual(['orphan']);
    const bad = await request('DELETE', `${deploys()}/or`, { propagationPolicy: 'Sideways' });
    expect(bad.status).toBe(400);
  });

  it('deletes pods on a node gracefully: marked first, removed when the grace period is 0', async () => {
    const pods = `${api.url}/api/v1/namespaces/default/pods`;
    await request('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'graceful' }, spec: { nodeName: 'n1', terminationGracePeriodSeconds: 20, containers: [{ name: 'c', image: 'busybox' }] } });
    const marked = await request('DELETE', `${pods}/graceful`);
    expect(marked.body.metadata.deletionGracePeriodSeconds).toBe(20);
    expect((await request('GET', `${pods}/graceful`)).status).toBe(200);
    const done = await request('DELETE', `${pods}/graceful`, { gracePeriodSeconds: 0 });
    expect(done.status).toBe(200);
    expect((await request('GET', `${pods}/graceful`)).status).toBe(404);
  });

  it('checks delete preconditions', async () => {
    await request('POST', cms(), configMap('pre'));
    const r = await request('DELETE', `${cms()}/pre`, { preconditions: { uid: 'not-the-uid' } });
    expect(r.status).toBe(409);
    expect((await request('GET', `${cms()}/pre`)).status).toBe(200);
  });

  it('deletes a collection by label', async () => {
    for (const n of ['dc-1', 'dc-2']) await request('POST', cms(), configMap(n, {}, { batch: 'dc' }));
    await request('POST', cms(), configMap('dc-keep', {}, { batch: 'other' }));
    const r = await request('DELETE', `${cms()}?labelSelector=batch%3Ddc`);
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(2);
    expect((await request('GET', `${cms()}?labelSelector=batch`)).body.items.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(['dc-keep']);
  });

  it('deletes a namespace with everything in it', async () => {
    const nsUrl = `${api.url}/api/v1/namespaces`;
    await request('POST', nsUrl, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await request('POST', `${nsUrl}/doomed/configmaps`, configMap('inside'));
    const del = await request('DELETE', `${nsUrl}/doomed`);
    expect(del.status).toBe(200);
    expect(del.body.status.phase).toBe('Terminating');
    const refused = await request('POST', `${nsUrl}/doomed/configmaps`, configMap('late'));
    expect(refused.status).toBe(403);
    const deadline = Date.now() + 15000;
    while ((await request('GET', `${nsUrl}/doomed`)).status !== 404) {
      if (Date.now() > deadline) throw new Error('namespace was not deleted');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await request('GET', `${nsUrl}/doomed/configmaps/inside`)).status).toBe(404);
  });

  it('serves the scale subresource as an autoscaling/v1 Scale', async () => {
    await request('POST', deploys(), deployment('scaled', 2));
    const scale = await request('GET', `${deploys()}/scaled/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=scaled' } });
    const patched = await request('PATCH', `${deploys()}/scaled/scale`, { spec: { replicas: 5 } }, { headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(patched.status).toBe(200);
    expect(patched.body.spec.replicas).toBe(5);
    const after = (await request('GET', `${deploys()}/scaled`)).body;
    expect(after.spec.replicas).toBe(5);
    expect(after.metadata.generation).toBe(2);
  });

  it('serves health, readiness and a semver version', async () => {
    expect((await request('GET', `${api.url}/healthz`)).text).toBe('ok');
    expect((await request('GET', `${api.url}/readyz`)).status).toBe(200);
    const v = await request('GET', `${api.url}/version`);
    expect(v.body.gitVersion).toMatch(/^v1\.32\.\d+/);
    const metrics = await request('GET', `${api.url}/metrics`);
    expect(metrics.text).toContain('berth_apiserver_requests_total');
    expect(metrics.text).toMatch(/^berth_apiserver_process_resident_memory_bytes [1-9]\d+$/m);
    expect(metrics.text).toMatch(/^berth_apiserver_nodejs_heap_size_used_bytes [1-9]\d+$/m);
  });
});
