/**
 * Safe prune for GitOps: `berth apply --prune` deletes exactly the members of the apply set whose
 * manifests are gone — by the recorded membership (uid), never by labels alone — against a real
 * API server, with kubectl reading the same set.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Obj } from '../../src/api/object';
import { applySetId, applySetLabels } from '../../src/cli/apply/apply-set';
import { kinds } from '../../src/client';
import { startControlPlane, TestControlPlane } from '../support/control-plane';
import { Kubectl } from '../support/kubectl';
import { absent, configMap, deployment, lines, ManifestDir, namespace, secret } from './apply-support';
import { BerthCli } from './berth';

let cp: TestControlPlane;
let berth: BerthCli;

beforeAll(async () => {
  cp = await startControlPlane([]);
  berth = new BerthCli(cp.api.url);
});
afterAll(async () => {
  berth.dispose();
  await cp.stop();
});

let counter = 0;
/** A fresh directory of manifests; its base name is the derived set name. */
function directory(name: string): ManifestDir {
  return new ManifestDir(path.join(berth.dir, `run-${++counter}`, name));
}

const configMaps = (ns = 'default') => cp.client.resource(kinds.ConfigMap, ns);

async function members(set: string, ns = 'kube-system'): Promise<string[]> {
  const parent = await configMaps(ns).get(set);
  return (JSON.parse((parent.data as Record<string, string>).members) as Array<{ kind: string; namespace?: string; name: string }>).map((m) => `${m.kind}/${m.namespace ?? ''}/${m.name}`);
}

describe('berth apply --prune', () => {
  it('deletes exactly the member whose file is gone, and no unrelated object with the same labels', async () => {
    const files = directory('shop');
    files.write('keep.yaml', [configMap('keep', 'default')]);
    files.write('drop.yaml', [configMap('drop', 'default')]);
    files.write('web.yaml', [deployment('web', 'default')]);
    const first = await berth.run(['apply', '-f', files.dir, '--prune']);
    expect(first.code).toBe(0);
    const id = applySetId('shop', 'kube-system');
    expect(lines(first.stdout)[0]).toBe(`apply set "shop" (configmap kube-system/shop, id ${id}) is new`);
    expect((await configMaps().get('keep')).metadata.labels).toEqual({ [applySetLabels.partOf]: id });
    expect(await members('shop')).toEqual(['ConfigMap/default/drop', 'ConfigMap/default/keep', 'Deployment/default/web']);

    // Someone copies the set's label onto an object of their own: it is not a member.
    await configMaps().create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'intruder', namespace: 'default', labels: { [applySetLabels.partOf]: id } }, data: {} });

    files.remove('drop.yaml');
    const second = await berth.run(['apply', '-f', files.dir, '--prune']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(lines(second.stdout)).toEqual([
      `apply set "shop" (configmap kube-system/shop, id ${id})`,
      'configmap/keep unchanged',
      'deployment.apps/web unchanged',
      'configmap/drop pruned',
    ]);
    expect(await absent(configMaps().get('drop'))).toBe(true);
    expect((await configMaps().get('keep')).metadata.name).toBe('keep');
    expect((await configMaps().get('intruder')).metadata.name).toBe('intruder');
    expect(await members('shop')).toEqual(['ConfigMap/default/keep', 'Deployment/default/web']);
  });

  it('prunes the last object of a kind and the last object of a namespace', async () => {
    const files = directory('estate');
    files.write('a-namespace.yaml', [namespace('lonely')]);
    files.write('b-only.yaml', [configMap('only', 'lonely')]);
    files.write('c-secret.yaml', [secret('sole', 'default')]);
    files.write('d-base.yaml', [configMap('base', 'default')]);
    await berth.ok(['apply', '-f', files.dir, '--prune']);
    const parent = await configMaps('kube-system').get('estate');
    expect(parent.metadata.annotations).toMatchObject({
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Namespace,Secret',
      'applyset.kubernetes.io/additional-namespaces': 'default,lonely',
    });

    // No Secret and nothing in "lonely" is left in the files: the set's record still knows them.
    files.remove('b-only.yaml');
    files.remove('c-secret.yaml');
    const run = await berth.run(['apply', '-f', files.dir, '--prune']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).slice(-2).sort()).toEqual(['configmap/only (namespace lonely) pruned', 'secret/sole pruned']);
    expect(await absent(configMaps('lonely').get('only'))).toBe(true);
    expect(await absent(cp.client.resource(kinds.Secret, 'default').get('sole'))).toBe(true);
    expect((await configMaps('kube-system').get('estate')).metadata.annotations).toMatchObject({
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Namespace',
      'applyset.kubernetes.io/additional-namespaces': 'default',
    });

    files.remove('a-namespace.yaml');
    const last = await berth.run(['apply', '-f', files.dir, '--prune']);
    expect(lines(last.stdout).pop()).toBe('namespace/lonely pruned');
  });

  it('lists what it would prune with --dry-run and deletes nothing', async () => {
    const files = directory('preview');
    files.write('a.yaml', [configMap('stays', 'default')]);
    files.write('b.yaml', [configMap('would-go', 'default')]);
    await berth.ok(['apply', '-f', files.dir, '--prune']);
    files.remove('b.yaml');
    const run = await berth.run(['apply', '-f', files.dir, '--prune', '--dry-run=server']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toContain('configmap/would-go pruned (server dry run)');
    expect((await configMaps().get('would-go')).metadata.name).toBe('would-go');
    expect(await members('preview')).toEqual(['ConfigMap/default/stays', 'ConfigMap/default/would-go']);

    const json = JSON.parse((await berth.run(['apply', '-f', files.dir, '--prune', '--dry-run', '-o', 'json'])).stdout);
    expect(json.pruned).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'would-go', uid: expect.any(String), verdict: 'prune' }]);
  });

  it('leaves alone a member that was replaced outside the set (another uid)', async () => {
    const files = directory('replaced');
    files.write('a.yaml', [configMap('anchor', 'default')]);
    files.write('b.yaml', [configMap('phoenix', 'default')]);
    await berth.ok(['apply', '-f', files.dir, '--prune']);
    const old = await configMaps().get('phoenix');
    await configMaps().delete('phoenix');
    const reborn = await configMaps().create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'phoenix', namespace: 'default', labels: old.metadata.labels }, data: { mine: 'yes' } });
    files.remove('b.yaml');
    const run = await berth.run(['apply', '-f', files.dir, '--prune']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`configmap/phoenix not pruned: it was replaced outside the set (uid ${reborn.metadata.uid}, recorded ${old.metadata.uid})`);
    expect((await configMaps().get('phoenix')).data).toEqual({ mine: 'yes' });
    expect(await members('replaced')).toEqual(['ConfigMap/default/anchor']);
  });

  it('will not take an object that belongs to another set', async () => {
    const first = directory('first');
    first.write('shared.yaml', [configMap('shared', 'default')]);
    await berth.ok(['apply', '-f', first.dir, '--prune']);
    const second = directory('second');
    second.write('shared.yaml', [configMap('shared', 'default')]);
    const run = await berth.run(['apply', '-f', second.dir, '--prune']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`ConfigMap "shared" belongs to another apply set (label ${applySetLabels.partOf}=${applySetId('first', 'kube-system')})`);
    expect((await configMaps().get('shared')).metadata.labels?.[applySetLabels.partOf]).toBe(applySetId('first', 'kube-system'));
  });

  it('refuses to prune a derived set that was applied from other files, until it is named', async () => {
    const here = directory('site');
    here.write('a.yaml', [configMap('site-a', 'default')]);
    await berth.ok(['apply', '-f', here.dir, '--prune']);
    const elsewhere = directory('site');
    elsewhere.write('b.yaml', [configMap('site-b', 'default')]);
    const run = await berth.run(['apply', '-f', elsewhere.dir, '--prune']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`the apply set "site" (ConfigMap kube-system/site) was last applied from ${here.dir}, not ${elsewhere.dir}`);
    expect((await configMaps().get('site-a')).metadata.name).toBe('site-a');
  });

  it('keeps the set in the namespace given with -n', async () => {
    const files = directory('scoped');
    files.write('a.yaml', [configMap('scoped-a', 'default')]);
    const run = await berth.run(['apply', '-f', files.dir, '--applyset', 'team-set', '-n', 'default']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toBe(`apply set "team-set" (configmap default/team-set, id ${applySetId('team-set', 'default')}) is new`);
    expect(await members('team-set', 'default')).toEqual(['ConfigMap/default/scoped-a']);
  });
});

describe('kubectl and the same apply set', () => {
  let kubectl: Kubectl;
  beforeAll(() => {
    kubectl = new Kubectl(cp.api.url);
  });
  afterAll(() => kubectl.dispose());

  /** kubectl with its ApplySet support switched on (it is alpha in 1.32). */
  async function kubectlWithApplySets(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH, HOME: path.join(kubectl.dir, 'home'), KUBECONFIG: kubectl.kubeconfig, KUBECTL_APPLYSET: 'true' };
    try {
      const { stdout, stderr } = await promisify(execFile)('kubectl', args, { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const failed = e as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('computes the same set id as kubectl for a ConfigMap parent', async () => {
    const file = kubectl.file('kubectl-member.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubectl-member, namespace: default}\ndata: {a: "1"}\n');
    const run = await kubectlWithApplySets(['apply', '--server-side', '--applyset=configmaps/kubectl-set', '-n', 'default', '--prune', '-f', file]);
    expect(run.stderr).toBe('');
    const parent: Obj = await configMaps().get('kubectl-set');
    expect(parent.metadata.labels?.[applySetLabels.id]).toBe(applySetId('kubectl-set', 'default'));
  });

  it('sees a berth set as an apply set (managed by berth) and lists its members by label', async () => {
    const files = directory('shared-view');
    files.write('a.yaml', [configMap('viewed', 'default')]);
    await berth.ok(['apply', '-f', files.dir, '--prune']);
    const refused = await kubectlWithApplySets(['apply', '--server-side', '--applyset=configmaps/shared-view', '-n', 'kube-system', '--prune', '-f', files.file('a.yaml'), '--dry-run=server']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('is managed by tooling "berth" instead of "kubectl"');
    const listed = await kubectl.ok(['get', 'configmaps', '-A', '-l', `${applySetLabels.partOf}=${applySetId('shared-view', 'kube-system')}`, '-o', 'name']);
    expect(listed.trim()).toBe('configmap/viewed');
  });
});
