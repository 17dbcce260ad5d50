/**
 * `berth get` against a real API server, judged by the real kubectl: for the same objects and
 * the same arguments, berth prints what kubectl prints (ages aside, which tick between the runs).
 */
import { Kubectl } from '../support/kubectl';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { BerthCli } from './berth';

let api: TestApiServer;
let berth: BerthCli;
let kubectl: Kubectl;

/** Ages tick between the two runs; nothing else may differ. */
const withoutAges = (text: string): string => text.replace(/\b\d+(d|h|m|s)(\d+(h|m|s))?\b/g, '<age>');

async function sameAsKubectl(args: string[]): Promise<string> {
  const expected = await kubectl.run(args);
  const actual = await berth.run(args);
  expect(withoutAges(actual.stdout)).toBe(withoutAges(expected.stdout));
  expect(actual.code).toBe(expected.code);
  return actual.stdout;
}

beforeAll(async () => {
  api = await startTestApiServer('sqlite');
  berth = new BerthCli(api.url);
  kubectl = new Kubectl(api.url);
  await kubectl.ok(['create', 'namespace', 'shop']);
  await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
  await kubectl.ok(['create', 'deployment', 'api', '--image=busybox']);
  await kubectl.ok(['-n', 'shop', 'create', 'deployment', 'checkout-service', '--image=nginx']);
  await kubectl.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
  await kubectl.ok(['run', 'tool', '--image=busybox', '--labels=app=tool,tier=ops']);
  await kubectl.ok(['label', 'deployment', 'api', 'tier=backend']);
});

afterAll(async () => {
  berth.dispose();
  kubectl.dispose();
  await api.stop();
});

describe('berth get prints what kubectl get prints', () => {
  it.each([
    [['get', 'deployments']],
    [['get', 'deploy', '-o', 'wide']],
    [['get', 'deploy.apps', 'web', 'api']],
    [['get', 'deploy', '-A']],
    [['get', 'deploy,svc', '-A']],
    [['get', 'all']],
    [['get', 'pods', '--show-labels']],
    [['get', 'po', '-l', 'app=tool', '-o', 'wide']],
    [['get', 'deploy', '-l', 'tier!=backend']],
    [['get', 'namespaces']],
    [['get', 'deploy/web', 'svc/web']],
    [['get', 'deploy', '--no-headers']],
  ])('%j', async (args) => {
    const out = await sameAsKubectl(args);
    expect(out).not.toBe('');
  });

  it('lines up the columns as kubectl does, NAMESPACE first with -A', async () => {
    const out = await berth.ok(['get', 'deploy', '-A']);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE   NAME               READY   UP-TO-DATE   AVAILABLE   AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['default api', 'default web', 'shop checkout-service']);
  });

  it.each([[['get', 'deploy', 'web', '-o', 'yaml']], [['get', 'deploy', '-o', 'yaml']], [['get', 'deploy', '-A', '-o', 'json']], [['get', 'svc', 'web', '-o', 'json']], [['get', 'deploy,svc', '-o', 'name']]])(
    'prints objects as kubectl does: %j',
    async (args) => {
      await sameAsKubectl(args);
    },
  );

  it('prints one named object as itself and a collection as a List, without managedFields', async () => {
    const one = JSON.parse(await berth.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(one.kind).toBe('Deployment');
    expect(one.metadata.managedFields).toBeUndefined();
    const list = JSON.parse(await berth.ok(['get', 'deploy', '-o', 'json']));
    expect(list.kind).toBe('List');
    expect(list.items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual(['api', 'web']);
    const kept = JSON.parse(await berth.ok(['get', 'deploy', 'web', '-o', 'json', '--show-managed-fields']));
    expect(kept.metadata.managedFields.length).toBeGreaterThan(0);
  });

  it('says there is nothing on stderr, naming the namespace', async () => {
    const r = await berth.run(['get', 'configmaps', '-l', 'nothing=here']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    const all = await berth.run(['get', 'configmaps', '-A', '-l', 'nothing=here']);
    expect(all.stderr).toBe('No resources found\n');
  });

  it('prints what it found and fails for what it did not', async () => {
    const r = await berth.run(['get', 'deploy', 'missing', 'web']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NAME\s+READY.*\nweb\s+0\/2/);
    expect(r.stderr).toBe('error: deployments.apps "missing" not found\n');
  });

  it('refuses a kind the server does not serve, as kubectl words it', async () => {
    const r = await berth.run(['get', 'widgets']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('error: the server doesn\'t have a resource type "widgets"\n');
  });

  it('resolves custom kinds through discovery', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wg'] },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
              additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
            },
          ],
        },
      }),
    });
    // The CRD's kind is served once the server has read the CRD; until then the create is refused.
    let created = false;
    for (let i = 0; i < 50 && !created; i++) {
      created = (await kubectl.run(['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } }) })).code === 0;
      if (!created) await new Promise((r) => setTimeout(r, 100));
    }
    expect(created).toBe(true);
    await sameAsKubectl(['get', 'wg']);
    expect(await berth.ok(['get', 'widgets.example.com', '-o', 'name'])).toBe('widget.example.com/w1\n');
  });
});

describe('berth get -w', () => {
  it('prints the list, then a row for every change, aligned as kubectl aligns them', async () => {
    const watching = berth.background(['get', 'deploy', '-w']);
    const kubectlWatching = kubectl.background(['get', 'deploy', '-w']);
    await watching.waitFor(/^web .*\n/m);
    await kubectlWatching.waitForLines(3);
    await kubectl.ok(['scale', 'deployment', 'web', '--replicas=5']);
    await kubectl.ok(['create', 'deployment', 'a-much-longer-deployment-name', '--image=nginx']);
    await watching.waitFor(/^a-much-longer-deployment-name /m);
    await kubectlWatching.waitForLines(5);
    expect(await watching.interrupt()).toBe(0);
    await kubectlWatching.stop();
    expect(withoutAges(watching.stdout())).toBe(withoutAges(kubectlWatching.stdout()));
    expect(watching.stdout()).toMatch(/\nweb    0\/5 /);
  });

  it('watches one object by name and prints each change of it as yaml', async () => {
    const watching = berth.background(['get', 'deploy', 'api', '-w', '-o', 'yaml']);
    await watching.waitFor(/name: api/);
    await kubectl.ok(['label', 'deployment', 'api', 'watched=yes']);
    await kubectl.ok(['label', 'deployment', 'web', 'ignored=yes']);
    const out = await watching.waitFor(/watched: "yes"/);
    expect(await watching.interrupt()).toBe(0);
    const documents = out.split(/^---$/m);
    expect(documents).toHaveLength(2);
    expect(out).not.toMatch(/ignored/);
  });

  it('with -A and -l shows only matching objects with their namespace', async () => {
    const watching = berth.background(['get', 'deploy', '-A', '-l', 'app=checkout-service', '-w']);
    await watching.waitFor(/shop\s+checkout-service/);
    await kubectl.ok(['-n', 'shop', 'scale', 'deployment', 'checkout-service', '--replicas=3']);
    await kubectl.ok(['scale', 'deployment', 'api', '--replicas=4']);
    const out = await watching.waitFor(/0\/3/);
    expect(await watching.interrupt()).toBe(0);
    expect(out.trimEnd().split('\n')).toEqual([expect.stringMatching(/^NAMESPACE/), expect.stringMatching(/^shop +checkout-service +0\/1/), expect.stringMatching(/^shop +checkout-service +0\/3/)]);
  });
});
