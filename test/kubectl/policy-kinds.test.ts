/**
 * ServiceAccounts, PodDisruptionBudgets, ResourceQuotas and LimitRanges through the real kubectl,
 * on both store backends: its generators (whose bodies are protobuf), `apply -f` of a manifest
 * with all four (created, then unchanged), upstream's `get` headers, the warning that berth only
 * stores them, and a 422 naming the field of a budget with both bounds.
 */
import YAML from 'yaml';
import { backends, startTestApiServer, stopSharedEtcd, TestApiServer } from '../support/api-server';
import { request } from '../support/http';
import { KubectlSession, tableHeaders } from './session';

const warnings = {
  sa: 'Warning: berth stores ServiceAccounts but mounts no service account tokens into pods and issues none yet\n',
  pdb: 'Warning: berth stores PodDisruptionBudgets but evictions do not consult them and no controller reports allowed disruptions yet\n',
  quota: 'Warning: berth stores ResourceQuotas but does not count usage or refuse objects over quota yet\n',
  limits: 'Warning: berth stores LimitRanges but does not default or bound the resources of pods and claims by them yet\n',
};

const manifest = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer' }, imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
  { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '2', 'limits.memory': '4Gi', pods: '20' } } },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'defaults' },
    spec: { limits: [{ type: 'Container', max: { cpu: '2' }, default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }, { type: 'Pod', max: { memory: '2Gi' } }] },
  },
]
  .map((o) => YAML.stringify(o))
  .join('---\n');

afterAll(stopSharedEtcd);

describe.each(backends)('service accounts, disruption budgets, quotas and limit ranges through kubectl over %s', (backend) => {
  let api: TestApiServer;
  let kubectl: KubectlSession;
  const get = async (path: string) => (await request('GET', `${api.url}${path}`)).body;

  beforeAll(async () => {
    api = await startTestApiServer(backend);
    kubectl = new KubectlSession(api.url);
  });
  afterAll(async () => {
    kubectl.dispose();
    await api.stop();
  });

  it('creates each with its generator, warning that berth only stores it', async () => {
    expect(await kubectl.run(['create', 'sa', 'builder'])).toEqual({ code: 0, stdout: 'serviceaccount/builder created\n', stderr: warnings.sa });
    expect(await kubectl.run(['create', 'pdb', 'api', '--selector=app=x', '--min-available=1'])).toEqual({
      code: 0,
      stdout: 'poddisruptionbudget.policy/api created\n',
      stderr: warnings.pdb,
    });
    expect(await kubectl.run(['create', 'quota', 'pods', '--hard=pods=10'])).toEqual({ code: 0, stdout: 'resourcequota/pods created\n', stderr: warnings.quota });

    expect(await get('/api/v1/namespaces/default/serviceaccounts/builder')).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' } });
    expect(await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/api')).toMatchObject({
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    });
    expect((await get('/api/v1/namespaces/default/resourcequotas/pods')).spec).toEqual({ hard: { pods: '10' } });
  });

  it('applies a manifest with all four kinds: created, then unchanged (the budget "configured" as upstream says it, with nothing written)', async () => {
    const file = kubectl.file('policy.yaml', manifest);
    const first = await kubectl.run(['apply', '-f', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('serviceaccount/deployer created\npoddisruptionbudget.policy/web created\nresourcequota/compute created\nlimitrange/defaults created\n');
    expect(first.stderr).toBe(warnings.sa + warnings.pdb + warnings.quota + warnings.limits);
    const paths = [
      '/api/v1/namespaces/default/serviceaccounts/deployer',
      '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web',
      '/api/v1/namespaces/default/resourcequotas/compute',
      '/api/v1/namespaces/default/limitranges/defaults',
    ];
    const before = await Promise.all(paths.map(get));

    // A budget's selector has patchStrategy replace in kubectl's types, so kubectl always sends it
    // and says "configured", as against a Kubernetes server; the patch changes nothing.
    const second = await kubectl.run(['apply', '-f', file]);
    expect(second).toEqual({
      code: 0,
      stdout: 'serviceaccount/deployer unchanged\npoddisruptionbudget.policy/web configured\nresourcequota/compute unchanged\nlimitrange/defaults unchanged\n',
      stderr: warnings.pdb,
    });
    const after = await Promise.all(paths.map(get));
    expect(after.map((o) => o.metadata.resourceVersion)).toEqual(before.map((o) => o.metadata.resourceVersion));
  });

  it('defaults a container limit item as upstream: the limit from max, the request from the limit', async () => {
    const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'from-max' }, spec: { limits: [{ type: 'Container', max: { memory: '1Gi' } }] } };
    await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(limits) });
    expect((await get('/api/v1/namespaces/default/limitranges/from-max')).spec.limits).toEqual([
      { type: 'Container', max: { memory: '1Gi' }, default: { memory: '1Gi' }, defaultRequest: { memory: '1Gi' } },
    ]);
  });

  it("prints upstream's headers and cells", async () => {
    const output = await kubectl.ok(['get', 'sa,pdb,quota,limits']);
    expect(tableHeaders(output)).toEqual([
      ['NAME', 'SECRETS', 'AGE'],
      ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
      ['NAME', 'CREATED AT'],
    ]);
    expect(output).toMatch(/limitrange\/from-max\s+\S+\n/);
    expect(output).toMatch(/serviceaccount\/builder\s+0\s+\S+\n/);
    expect(output).toMatch(/poddisruptionbudget\.policy\/api\s+1\s+N\/A\s+0\s+\S+\n/);
    expect(output).toMatch(/poddisruptionbudget\.policy\/web\s+N\/A\s+25%\s+0\s+\S+\n/);
    expect(output).toMatch(/resourcequota\/compute\s+\S+\s*\n/);
    expect(output).toMatch(/limitrange\/defaults\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
  });

  it('prints used/hard once a quota has a status', async () => {
    const quota = await get('/api/v1/namespaces/default/resourcequotas/pods');
    const written = await request('PUT', `${api.url}/api/v1/namespaces/default/resourcequotas/pods/status`, { ...quota, status: { hard: { pods: '10' }, used: { pods: '3' } } });
    expect(written.status).toBe(200);
    const row = (await kubectl.ok(['get', 'quota', 'pods', '--no-headers'])).trim().split(/\s{2,}/);
    expect(row).toEqual(['pods', expect.any(String), 'pods: 3/10']);
  });

  it('refuses a budget with both minAvailable and maxUnavailable, naming spec', async () => {
    const both = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'both' }, spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } };
    const refused = await kubectl.run(['apply', '-f', '-'], { stdin: YAML.stringify(both) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The PodDisruptionBudget "both" is invalid: spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set/);
    const raw = await request('POST', `${api.url}/apis/policy/v1/namespaces/default/poddisruptionbudgets`, both);
    expect(raw.status).toBe(422);
    expect(raw.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec', message: expect.stringMatching(/minAvailable and maxUnavailable cannot be both set$/) }]);
  });
});
