/**
 * The review resources (src/apiserver/reviews.ts) and impersonation: kubectl's `auth can-i`,
 * `auth can-i --list` and `auth whoami` (which send protobuf), the JSON API with its 422s at field
 * paths, discovery, and what a server with tokens answers about unauthenticated users.
 */
import { TokenAuthenticator } from '../../src/apiserver/auth';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { KubectlSession } from '../kubectl/session';

const authorization = '/apis/authorization.k8s.io/v1';
const ssar = (spec: unknown) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });
const sar = (spec: unknown, kind = 'SubjectAccessReview') => ({ apiVersion: 'authorization.k8s.io/v1', kind, spec });
const podsList = { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } };

describe('review resources without tokens (every request is the admin)', () => {
  let api: TestApiServer;
  let kubectl: KubectlSession;

  beforeAll(async () => {
    api = await startTestApiServer('sqlite');
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('answers kubectl auth can-i with yes, exit code 0', async () => {
    const r = await kubectl.run(['auth', 'can-i', 'create', 'deployments', '-n', 'default']);
    expect(r).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(await kubectl.ok(['auth', 'can-i', 'get', '/healthz'])).toBe('yes\n');
  });

  it('lists every rule for kubectl auth can-i --list', async () => {
    const out = await kubectl.ok(['auth', 'can-i', '--list']);
    expect(out.split('\n')[1].split(/\s+/)).toEqual(['*.*', '[]', '[]', '[*]']);
    expect(out).toContain('[*]');
  });

  it('tells kubectl auth whoami who it is, and whom it impersonates with --as', async () => {
    expect(await kubectl.ok(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}'])).toBe('admin ["system:masters","system:authenticated"]');
    expect(await kubectl.ok(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}'])).toBe('jane ["devs","system:authenticated"]');
  });

  it('answers a JSON review with 201, its spec and the status', async () => {
    const r = await request('POST', `${api.url}${authorization}/selfsubjectaccessreviews`, ssar(podsList));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: podsList, status: { allowed: true } });
  });

  it.each([
    ['neither attributes', {}, 'spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'],
    ['both attributes', { ...podsList, nonResourceAttributes: { path: '/healthz', verb: 'get' } }, 'spec.nonResourceAttributes', 'cannot be specified in combination with resourceAttributes'],
  ])('refuses a SelfSubjectAccessReview with %s: 422 at the field', async (_name, spec, field, message) => {
    const r = await request('POST', `${api.url}${authorization}/selfsubjectaccessreviews`, ssar(spec));
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { kind: 'SelfSubjectAccessReview', group: 'authorization.k8s.io', causes: [{ field, reason: 'FieldValueInvalid' }] } });
    expect(r.body.message).toContain(message);
  });

  it('drops unknown fields with a warning, or refuses them with fieldValidation=Strict', async () => {
    const url = `${api.url}${authorization}/selfsubjectaccessreviews`;
    const body = { ...ssar({ ...podsList, extra: 1 }), surplus: true };
    const warned = await request('POST', url, body);
    expect(warned.status).toBe(201);
    expect(warned.body.surplus).toBeUndefined();
    expect(warned.body.spec).toEqual(podsList);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.extra\\"", 299 - "unknown field \\"surplus\\""');
    const strict = await request('POST', `${url}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.extra"');
  });

  it('refuses a SubjectAccessReview that names neither user nor group', async () => {
    const r = await request('POST', `${api.url}${authorization}/subjectaccessreviews`, sar(podsList));
    expect(r.status).toBe(422);
    expect(r.body.details.causes).toEqual([expect.objectContaining({ field: 'spec.user' })]);
  });

  it("holds a LocalSubjectAccessReview to its own namespace", async () => {
    const url = `${api.url}${authorization}/namespaces/default/localsubjectaccessreviews`;
    const ok = await request('POST', url, sar({ ...podsList, user: 'jane' }, 'LocalSubjectAccessReview'));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ metadata: { namespace: 'default' }, status: { allowed: true } });
    const elsewhere = await request('POST', url, sar({ resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'other' }, user: 'jane' }, 'LocalSubjectAccessReview'));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.details.causes).toEqual([expect.objectContaining({ field: 'spec.resourceAttributes.namespace' })]);
  });

  it('refuses malformed and mistyped bodies with 400, other verbs with 405, wrong paths with 404', async () => {
    const url = `${api.url}${authorization}/selfsubjectaccessreviews`;
    expect((await request('POST', url, '{"spec":')).status).toBe(400);
    expect((await request('POST', url, ssar({ resourceAttributes: { verb: 7 } }))).status).toBe(400);
    expect((await request('POST', url, { ...ssar(podsList), kind: 'SubjectAccessReview' })).status).toBe(400);
    expect((await request('GET', url)).status).toBe(405);
    expect((await request('DELETE', `${url}/x`)).status).toBe(405);
    expect((await request('POST', `${api.url}${authorization}/namespaces/default/selfsubjectaccessreviews`, ssar(podsList))).status).toBe(404);
    expect((await request('POST', `${api.url}${authorization}/localsubjectaccessreviews`, sar(podsList, 'LocalSubjectAccessReview'))).status).toBe(404);
  });

  it('lists the reviews in discovery, create only', async () => {
    const list = await request('GET', `${api.url}${authorization}`);
    expect(list.body.resources).toContainEqual({ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] });
    const groups = await request('GET', `${api.url}/apis`);
    expect(groups.body.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['authorization.k8s.io', 'authentication.k8s.io']));
    const resources = await kubectl.ok(['api-resources', '--api-group', 'authorization.k8s.io', '-o', 'name']);
    expect(resources.split('\n').filter(Boolean).sort()).toEqual(['localsubjectaccessreviews.authorization.k8s.io', 'selfsubjectaccessreviews.authorization.k8s.io', 'selfsubjectrulesreviews.authorization.k8s.io', 'subjectaccessreviews.authorization.k8s.io']);
  });
});

describe('review resources with tokens', () => {
  const token = 'token-of-jane';
  let api: TestApiServer;

  beforeAll(async () => {
    api = await startTestApiServer('sqlite', { authenticator: TokenAuthenticator.fromEntries([[token, { name: 'jane', uid: 'uid-7', groups: ['devs', 'system:authenticated'] }]]) });
  });
  afterAll(() => api.stop());

  it("answers SelfSubjectReview with the token's user", async () => {
    const r = await request('POST', `${api.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, { token });
    expect(r.status).toBe(201);
    expect(r.body.status).toEqual({ userInfo: { username: 'jane', uid: 'uid-7', groups: ['devs', 'system:authenticated'] } });
  });

  it('answers SubjectAccessReviews about unauthenticated users as the server treats them', async () => {
    const review = async (spec: unknown) => (await request('POST', `${api.url}${authorization}/subjectaccessreviews`, sar(spec), { token })).body.status.allowed;
    expect(await review({ ...podsList, user: 'system:anonymous' })).toBe(false);
    expect(await review({ ...podsList, groups: ['system:unauthenticated'] })).toBe(false);
    expect(await review({ nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'system:anonymous' })).toBe(true);
    expect(await review({ ...podsList, user: 'bob' })).toBe(true);
  });

  it('impersonates only for an authenticated requester, and only a user', async () => {
    const url = `${api.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`;
    const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const as = await request('POST', url, body, { token, headers: { 'Impersonate-User': 'bob', 'Impersonate-Uid': 'uid-9' } });
    expect(as.body.status.userInfo).toEqual({ username: 'bob', uid: 'uid-9', groups: ['system:authenticated'] });
    expect((await request('POST', url, body, { headers: { 'Impersonate-User': 'bob' } })).status).toBe(401);
    const groupsOnly = await request('POST', url, body, { token, headers: { 'Impersonate-Group': 'admins' } });
    expect(groupsOnly.status).toBe(400);
    expect(groupsOnly.body.message).toContain('without impersonating a user');
  });
});
