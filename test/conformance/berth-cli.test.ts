/**
 * The `berth` command against `berth up` on real Docker (issue 6's proof): apply that waits and
 * exits 0 once a web Service answers on 127.0.0.1, 1 when an image cannot be pulled, 2 when a pod
 * fits no node; prune by recorded membership; diff of unchanged files. (The README quick start
 * test covers the examples and a restart that adopts every container.)
 */
import path from 'node:path';
import YAML from 'yaml';
import { kinds } from '../../src/client';
import { stopSharedEtcd } from '../support/api-server';
import { request } from '../support/http';
import { BerthCli } from '../cli/berth';
import { ManifestDir } from '../cli/apply-support';
import { BerthUp } from './berth-up';
import { configMap, webDeployment, webService } from './manifests';

jest.setTimeout(180_000);

let cluster: BerthUp;
let berth: BerthCli;

beforeAll(async () => {
  cluster = await BerthUp.start('sqlite');
  berth = new BerthCli(cluster.url, { kubeconfig: path.join(cluster.dataDir, 'kubeconfig') });
}, 120_000);
afterAll(async () => {
  berth?.dispose();
  await cluster?.stop();
  await stopSharedEtcd();
}, 60_000);

const apply = (dir: string, flags: string[] = [], timeout = '90s') => berth.run(['apply', '-f', dir, '--wait', '--timeout', timeout, ...flags], { timeoutMs: 120_000 });

describe('berth apply --wait against berth up', () => {
  const files = () => new ManifestDir(path.join(berth.dir, 'site'));

  it('exits 0 once the Deployment is rolled out and its Service answers on 127.0.0.1', async () => {
    const site = files();
    site.write('web.yaml', `${webDeployment(cluster.image)}---\n${webService}`);
    const run = await apply(site.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('deployment.apps/web: ready: rolled out, 2/2 available');
    expect(run.stdout).toMatch(/service\/web: ready: cluster IP [\d.]+, node port \d+, 2 ready endpoints/);
    const service = await cluster.client.resource(kinds.Service, 'default').get('web');
    expect((await request('GET', `http://127.0.0.1:${service.spec!.ports![0].nodePort!}/`)).text).toMatch(/^hello from web-/);
  });

  it('says nothing and exits 0 when diffing unchanged files', async () => {
    const run = await berth.run(['diff', '-f', files().dir]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
  });

  it('exits 1 with ImagePullBackOff when the new image cannot be pulled', async () => {
    const site = files();
    site.write('web.yaml', `${webDeployment('127.0.0.1:9/berth-test/absent:1')}---\n${webService}`);
    // The registry refuses connections, which may pass (unlike "not found"): berth waits out the timeout.
    const run = await apply(site.dir, [], '25s');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ImagePullBackOff');
    expect(run.stdout).toContain('127.0.0.1:9/berth-test/absent:1');
  });

  it('exits 2 with the reason when a pod fits no node', async () => {
    const site = new ManifestDir(path.join(berth.dir, 'huge'));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge' }, spec: { containers: [{ name: 'app', image: cluster.image, resources: { requests: { cpu: '512' } } }] } };
    site.write('huge.yaml', YAML.stringify(pod));
    const run = await apply(site.dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('pod huge cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('prunes exactly the object whose file was removed', async () => {
    const site = new ManifestDir(path.join(berth.dir, 'pruned'));
    site.write('a.yaml', configMap('kept', { a: '1' }));
    site.write('b.yaml', configMap('dropped', { b: '1' }));
    expect((await apply(site.dir, ['--prune'])).code).toBe(0);
    await berth.ok(['apply', '-f', path.join(berth.dir, 'huge'), '--wait=false']); // another set's object: never pruned here
    site.remove('b.yaml');
    const run = await apply(site.dir, ['--prune']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('configmap/dropped pruned');
    const names = (await berth.ok(['get', 'configmaps', '-o', 'name'])).split('\n');
    expect(names).toContain('configmap/kept');
    expect(names).not.toContain('configmap/dropped');
    expect(await berth.ok(['get', 'pods', 'huge', '-o', 'name'])).toBe('pod/huge\n');
  });
});
