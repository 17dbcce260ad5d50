/**
 * Thousands of broken request bodies on every verb and subresource that takes one, for the real
 * kinds (built-in and a CRD's): each must get a 4xx — never a 5xx, never a hang — the server must
 * keep answering /healthz, and nothing stored may change (same keys, same versions, same revision).
 */
import { Backend, backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { waitFor } from '../support/ports';
import { Endpoint, endpoints, malformedCases, oversizedCases, wrongTypeCases } from './cases';
import { FuzzCase, fuzz, report, snapshot } from './harness';
import { fuzzNamespace, Target, targets, widgetCrd } from './seeds';

/**
 * Bodies cut at every length: every ConfigMap body and a Deployment's create, on SQLite; the rest
 * (and everything on etcd, where the same parsing runs and only slower) about 40 times each.
 */
const cutEverywhere = (backend: Backend, target: Target, endpoint: Endpoint) =>
  backend === 'sqlite' && (target.kind === 'ConfigMap' || (target.kind === 'Deployment' && endpoint.method === 'POST'));
/** Far past the server's limit everywhere; a hundred times that (half a megabyte of brackets) for ConfigMaps. */
const depthFor = (target: Target) => (target.kind === 'ConfigMap' ? 100000 : 2000);

async function createVictims(api: TestApiServer): Promise<Map<Target, string>> {
  const post = async (path: string, body: unknown) => {
    const r = await request('POST', `${api.url}${path}`, body);
    if (r.status !== 201) throw new Error(`could not create ${path}: ${r.status} ${r.text}`);
    return r.body;
  };
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: fuzzNamespace } });
  await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd);
  await waitFor('the Widget kind to be served', async () => ((await request('GET', `${api.url}/apis/example.com/v1/widgets`)).status === 200 ? true : undefined));
  const uids = new Map<Target, string>();
  for (const target of targets()) uids.set(target, (await post(target.collection, target.seed)).metadata.uid);
  return uids;
}

afterAll(stopSharedEtcd);

describe.each(backends)('fuzzed request bodies over %s', (backend) => {
  let api: TestApiServer;
  let uids: Map<Target, string>;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    uids = await createVictims(api);
  });
  afterAll(() => api.stop());

  const all = (build: (target: Target, uid: string) => FuzzCase[]) => [...uids].flatMap(([target, uid]) => build(target, uid));

  it('refuses malformed, truncated, oversized and random bodies with a 4xx and changes nothing', async () => {
    let seed = 1;
    const cases = all((target, uid) =>
      endpoints(target, uid).flatMap((endpoint) => [
        ...malformedCases(endpoint, seed++, cutEverywhere(backend, target, endpoint), depthFor(target)),
        ...(target.kind === 'ConfigMap' ? oversizedCases(endpoint) : []),
      ]),
    );
    expect(cases.length).toBeGreaterThan(backend === 'sqlite' ? 8000 : 5000);
    const before = await snapshot(api.store);
    const wrong = await fuzz(api.url, cases);
    expect(report(wrong)).toBe('');
    expect(await snapshot(api.store)).toEqual(before);
  });

  it('refuses a value of the wrong type at any path of the real kinds with a 4xx, and changes nothing', async () => {
    // Two wrong types per path on SQLite, one on etcd (the same decoding, only slower to reach).
    const cases = all((target, uid) => endpoints(target, uid).flatMap((endpoint) => wrongTypeCases(endpoint, backend === 'sqlite' ? 2 : 1)));
    expect(cases.length).toBeGreaterThan(backend === 'sqlite' ? 4000 : 2000);
    const before = await snapshot(api.store);
    const wrong = await fuzz(api.url, cases);
    expect(report(wrong)).toBe('');
    expect(await snapshot(api.store)).toEqual(before);
  });
});
