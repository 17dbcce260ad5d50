/**
 * `berth delete`: manifests or KIND NAME, cascade policies, waiting until objects are gone.
 */
import path from 'node:path';
import { kinds } from '../../src/client';
import { startControlPlane, TestControlPlane } from '../support/control-plane';
import { absent, configMap, deployment, lines, ManifestDir, namespace } from './apply-support';
import { BerthCli } from './berth';

let cp: TestControlPlane;
let berth: BerthCli;
let counter = 0;

beforeAll(async () => {
  cp = await startControlPlane([]);
  berth = new BerthCli(cp.api.url);
});
afterAll(async () => {
  berth.dispose();
  await cp.stop();
});

const directory = () => new ManifestDir(path.join(berth.dir, `run-${++counter}`));

describe('berth delete', () => {
  it('deletes the objects of a directory, namespaces last, and waits until they are gone', async () => {
    const files = directory();
    files.write('a-ns.yaml', [namespace('doomed')]);
    files.write('b-app.yaml', [deployment('web', 'doomed'), configMap('settings', 'doomed')]);
    await berth.ok(['apply', '-f', files.dir]);
    const run = await berth.run(['delete', '-f', files.dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual(['configmaps "settings" deleted', 'deployments.apps "web" deleted', 'namespaces "doomed" deleted']);
    expect(await absent(cp.client.resource(kinds.Namespace).get('doomed'))).toBe(true);
  });

  it('takes KIND NAME and KIND/NAME arguments', async () => {
    await cp.client.resource(kinds.ConfigMap).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-name', namespace: 'default' } });
    await cp.client.resource(kinds.ConfigMap).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-pair', namespace: 'default' } });
    expect(lines(await berth.ok(['delete', 'cm', 'by-name']))).toEqual(['configmaps "by-name" deleted']);
    expect(lines(await berth.ok(['delete', 'configmap/by-pair']))).toEqual(['configmaps "by-pair" deleted']);
  });

  it('says what was not found and exits 1, unless --ignore-not-found', async () => {
    const files = directory();
    files.write('ghost.yaml', [configMap('ghost', 'default')]);
    const run = await berth.run(['delete', '-f', files.dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: configmaps "ghost" not found in namespace default\n');
    expect(await berth.run(['delete', '-f', files.dir, '--ignore-not-found'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('sends the cascade policy: orphan and foreground leave the object to the garbage collector', async () => {
    const files = directory();
    files.write('orphan.yaml', [deployment('orphaned', 'default')]);
    files.write('foreground.yaml', [deployment('foreground', 'default')]);
    await berth.ok(['apply', '-f', files.dir]);
    const deployments = cp.client.resource(kinds.Deployment, 'default');

    expect((await berth.run(['delete', '-f', files.file('orphan.yaml'), '--cascade=orphan', '--wait=false'])).code).toBe(0);
    const orphaned = await deployments.get('orphaned');
    expect(orphaned.metadata.finalizers).toEqual(['orphan']);
    expect(orphaned.metadata.deletionTimestamp).toBeDefined();

    // Waiting on an object that a finalizer holds ends at the timeout, saying so.
    const held = await berth.run(['delete', '-f', files.file('foreground.yaml'), '--cascade=foreground', '--timeout', '1s']);
    expect(held.code).toBe(1);
    expect(held.stdout).toBe('deployments.apps "foreground" deleted\n');
    expect(held.stderr).toBe('error: deployments.apps "foreground" is still there after 1s: waiting for finalizers foregroundDeletion\n');
  });

  it('deletes nothing with --dry-run=server and reports JSON with -o json', async () => {
    const files = directory();
    files.write('kept.yaml', [configMap('kept', 'default')]);
    await berth.ok(['apply', '-f', files.dir]);
    const run = await berth.run(['delete', '-f', files.dir, '--dry-run=server', '-o', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: 'DeleteResult',
      dryRun: true,
      objects: [{ kind: 'ConfigMap', namespace: 'default', name: 'kept', action: 'deleted', uid: expect.any(String) }],
      exitCode: 0,
    });
    expect((await cp.client.resource(kinds.ConfigMap, 'default').get('kept')).metadata.name).toBe('kept');
  });
});
