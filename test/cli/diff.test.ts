/**
 * `berth diff` for drift checks: the real command against a real API server.
 */
import path from 'node:path';
import { kinds } from '../../src/client';
import { startControlPlane, TestControlPlane } from '../support/control-plane';
import { closedPort } from '../support/ports';
import { configMap, deployment, ManifestDir } from './apply-support';
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

const directory = (name = 'app') => new ManifestDir(path.join(berth.dir, `run-${++counter}`, name));

/** Fields the server fills in on a Deployment; a diff must never show them. */
const defaulted = ['imagePullPolicy', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'dnsPolicy', 'terminationMessagePath', 'schedulerName', 'maxSurge', 'creationTimestamp', 'managedFields', 'resourceVersion', 'generation', 'uid'];

describe('berth diff', () => {
  it('prints nothing and exits 0 for files that match the server', async () => {
    const files = directory();
    files.write('app.yaml', [deployment('same', 'default', { replicas: 2 }), configMap('same', 'default')]);
    await berth.ok(['apply', '-f', files.dir]);
    const run = await berth.run(['diff', '-f', files.dir]);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('shows each changed field and exits 1, without defaulted or server-set fields', async () => {
    const files = directory();
    files.write('app.yaml', [deployment('changed', 'default', { replicas: 2, image: 'berth-test/busybox:1.35' }), configMap('changed', 'default', { colour: 'blue' })]);
    await berth.ok(['apply', '-f', files.dir]);
    files.write('app.yaml', [deployment('changed', 'default', { replicas: 3, image: 'berth-test/busybox:1.36' }), configMap('changed', 'default', { colour: 'blue' })]);
    const run = await berth.run(['diff', '-f', files.dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'deployment.apps/changed',
        '  spec.replicas',
        '-   2',
        '+   3',
        '  spec.template.spec.containers[name=app].image',
        '-   berth-test/busybox:1.35',
        '+   berth-test/busybox:1.36',
        '',
      ].join('\n'),
    );
    for (const field of defaulted) expect(run.stdout).not.toContain(field);
    // A diff stores nothing.
    expect((await cp.client.resource(kinds.Deployment, 'default').get('changed')).spec?.replicas).toBe(2);
  });

  it('catches drift: a change made on the server shows against the files', async () => {
    const files = directory();
    files.write('app.yaml', [deployment('drifted', 'default', { replicas: 2 })]);
    await berth.ok(['apply', '-f', files.dir]);
    await cp.client.resource(kinds.Deployment, 'default').patch('drifted', 'merge', { spec: { replicas: 5 } }, { fieldManager: 'someone' });
    const run = await berth.run(['diff', '-f', files.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('deployment.apps/drifted\n  spec.replicas\n-   5\n+   2\n');
  });

  it('shows a new object as its manifest says it, without the defaults', async () => {
    const files = directory();
    files.write('new.yaml', [deployment('brand-new', 'default')]);
    const run = await berth.run(['diff', '-f', files.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('deployment.apps/brand-new would be created');
    expect(run.stdout).toContain('\n+   replicas: 1\n');
    expect(run.stdout).toContain('\n+         image: berth-test/busybox:1.35\n');
    expect(run.stdout).not.toContain('labels: {}');
    for (const field of defaulted) expect(run.stdout).not.toContain(field);
  });

  it('with --prune, lists the members apply --prune would delete', async () => {
    const files = directory('drift-set');
    files.write('a.yaml', [configMap('stay', 'default')]);
    files.write('b.yaml', [configMap('leave', 'default')]);
    await berth.ok(['apply', '-f', files.dir, '--prune']);
    expect(await berth.run(['diff', '-f', files.dir, '--prune'])).toEqual({ code: 0, stdout: '', stderr: '' });
    // Without --prune, the set's label on the live objects is no difference either.
    expect((await berth.run(['diff', '-f', files.dir])).code).toBe(0);
    files.remove('b.yaml');
    const run = await berth.run(['diff', '-f', files.dir, '--prune']);
    expect(run).toEqual({ code: 1, stdout: 'configmap/leave would be pruned\n', stderr: '' });
  });

  it('exits 4 for a bad manifest and 2 when the server cannot be reached — never 1', async () => {
    const files = directory();
    files.write('bad.yaml', [deployment('bad', 'default', { replicas: -1 })]);
    const bad = await berth.run(['diff', '-f', files.dir]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('spec.replicas: Invalid value: -1');

    const away = new BerthCli(`http://127.0.0.1:${closedPort}`);
    const run = await away.run(['diff', '-f', files.dir]);
    away.dispose();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot reach the API server');
  });
});
