/**
 * Malformed paths and query parameters: broken percent-escapes, request targets no URL parser
 * accepts, and every list, watch, write and delete parameter given nonsense. Each gets a 4xx,
 * the server keeps serving, and nothing stored changes.
 */
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { FuzzCase, fuzz, report, snapshot } from './harness';

const cms = '/api/v1/namespaces/default/configmaps';
const badEscapes = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%ED%A0%80', 'a%2', '%%41'];

function pathCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const escape of badEscapes) {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      cases.push({ name: `namespace ${escape}`, method, path: `/api/v1/namespaces/${escape}/configmaps/x` });
      cases.push({ name: `name ${escape}`, method, path: `${cms}/${escape}` });
      cases.push({ name: `name ${escape} with subresource`, method, path: `/apis/apps/v1/namespaces/default/deployments/${escape}/scale` });
    }
    cases.push({ name: `watch in namespace ${escape}`, method: 'GET', path: `/api/v1/namespaces/${escape}/configmaps?watch=true` });
    cases.push({ name: `POST into namespace ${escape}`, method: 'POST', path: `/api/v1/namespaces/${escape}/configmaps`, body: Buffer.from('{}'), contentType: 'application/json' });
  }
  for (const target of ['//[bad', '//[::1', '/api/v1/namespaces/default/configmaps/%', '/%']) {
    cases.push({ name: `target ${target}`, method: 'GET', path: target });
  }
  return cases;
}

function queryCases(): FuzzCase[] {
  const list: Array<[string, string]> = [
    ['labelSelector', 'a in (b'],
    ['labelSelector', '!!a'],
    ['labelSelector', 'a=b=c'],
    ['labelSelector', `${'k'.repeat(300)}=v`],
    ['labelSelector', 'a>b'],
    ['fieldSelector', 'spec.nothing=x'],
    ['fieldSelector', 'metadata.name'],
    ['fieldSelector', 'metadata.name=a,=b'],
    ['resourceVersion', 'abc'],
    ['resourceVersion', '-1'],
    ['resourceVersion', '1e3'],
    ['resourceVersion', '99999999999999999999999'],
    ['resourceVersionMatch', 'Sometimes'],
    ['limit', '-1'],
    ['limit', 'ten'],
    ['continue', 'not-a-token'],
    ['continue', Buffer.from('{"rv":"x","start":1}').toString('base64')],
    ['continue', Buffer.from('{"v":"meta.k8s.io/v1","rv":-5,"start":"/../../"}').toString('base64')],
    ['continue', '%%%'],
    ['timeoutSeconds', 'soon'],
    ['timeoutSeconds', '-3'],
  ];
  const cases: FuzzCase[] = [];
  for (const [param, value] of list) {
    const query = `${param}=${encodeURIComponent(value)}`;
    cases.push({ name: `list ${query}`, method: 'GET', path: `${cms}?${query}` });
    // A watch ignores continue, as upstream: it would just stay open.
    if (param !== 'continue') cases.push({ name: `watch ${query}`, method: 'GET', path: `${cms}?watch=true&${query}` });
    cases.push({ name: `deletecollection ${query}`, method: 'DELETE', path: `${cms}?${query}` });
  }
  const body = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'never' } }));
  const writes: Array<[string, string]> = [
    ['dryRun', 'Some'],
    ['fieldValidation', 'Loose'],
    ['fieldManager', 'm'.repeat(200)],
    ['force', 'true'],
  ];
  for (const [param, value] of writes) {
    const query = `${param}=${encodeURIComponent(value)}`;
    // Create has no force option; upstream ignores parameters an operation does not have.
    if (param !== 'force') cases.push({ name: `create ${param}`, method: 'POST', path: `${cms}?${query}`, body, contentType: 'application/json' });
    cases.push({ name: `merge patch ${param}`, method: 'PATCH', path: `${cms}/victim?${query}`, body: Buffer.from('{"data":{"x":"1"}}'), contentType: 'application/merge-patch+json' });
  }
  for (const query of ['gracePeriodSeconds=soon', 'propagationPolicy=Eventually', 'orphanDependents=maybe', 'dryRun=Partly']) {
    cases.push({ name: `delete ${query}`, method: 'DELETE', path: `${cms}/victim?${query}` });
    cases.push({ name: `deletecollection ${query}`, method: 'DELETE', path: `${cms}?${query}` });
  }
  cases.push({ name: 'apply without a field manager', method: 'PATCH', path: `${cms}/victim`, body: Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"victim"}}'), contentType: 'application/apply-patch+yaml' });
  cases.push({ name: 'apply with force=perhaps', method: 'PATCH', path: `${cms}/victim?fieldManager=x&force=perhaps`, body: Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"victim"}}'), contentType: 'application/apply-patch+yaml' });
  return cases;
}

afterAll(stopSharedEtcd);

describe.each(backends)('malformed paths and parameters over %s', (backend) => {
  let api: TestApiServer;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    expect((await request('POST', `${api.url}${cms}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'victim' }, data: { a: '1' } })).status).toBe(201);
  });
  afterAll(() => api.stop());

  it('answers every one with a 4xx, keeps serving, and changes nothing stored', async () => {
    const before = await snapshot(api.store);
    const wrong = await fuzz(api.url, [...pathCases(), ...queryCases()]);
    expect(report(wrong)).toBe('');
    expect(await snapshot(api.store)).toEqual(before);
  });
});
