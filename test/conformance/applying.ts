/** kubectl apply (client-side and server-side), diff and prune by label against a running cluster. */
import type { BerthUp } from './berth-up';
import { configMap, webDeployment } from './manifests';

export function applying(up: () => BerthUp): void {
  const ns = 'conformance-apply';
  const k = () => up().kubectl;
  const n = ['-n', ns];

  beforeAll(async () => {
    await k().ok(['create', 'namespace', ns]);
  });

  it('creates, reports unchanged, then patches a change through a strategic merge', async () => {
    const file = k().file('app.yaml', `${configMap('app-config', { mode: 'fast' })}---\n${webDeployment(up().image, { name: 'app', replicas: 1, env: { A: '1' } })}`);
    expect(await k().ok(['apply', '-f', file, ...n])).toBe('configmap/app-config created\ndeployment.apps/app created\n');
    expect(await k().ok(['apply', '-f', file, ...n])).toBe('configmap/app-config unchanged\ndeployment.apps/app unchanged\n');
    k().file('app.yaml', `${configMap('app-config', { mode: 'slow' })}---\n${webDeployment(up().image, { name: 'app', replicas: 1, env: { A: '2', B: '3' } })}`);
    expect(await k().ok(['apply', '-f', file, ...n])).toBe('configmap/app-config configured\ndeployment.apps/app configured\n');
    const deployment = await k().json(['get', 'deploy', 'app', ...n]);
    expect(deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '2' }, { name: 'B', value: '3' }]);
    expect(deployment.metadata.generation).toBe(2);
    expect((await k().json(['get', 'cm', 'app-config', ...n])).data).toEqual({ mode: 'slow' });
  });

  it('diffs: exit 0 and no output when in sync, exit 1 with the change when not, and changes nothing', async () => {
    const file = k().file('diff.yaml', configMap('diffed', { a: '1' }));
    await k().ok(['apply', '-f', file, ...n]);
    const same = await k().run(['diff', '-f', file, ...n]);
    expect(same).toMatchObject({ code: 0, stdout: '' });
    k().file('diff.yaml', configMap('diffed', { a: '2' }));
    const changed = await k().run(['diff', '-f', file, ...n]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+a: "1"$/m);
    expect(changed.stdout).toMatch(/^\+\s+a: "2"$/m);
    expect((await k().json(['get', 'cm', 'diffed', ...n])).data).toEqual({ a: '1' });
  });

  it('applies server-side with managed fields, and a client-side applied object moves to server-side apply', async () => {
    const file = k().file('ssa.yaml', configMap('ssa', { a: '1' }));
    expect(await k().ok(['apply', '--server-side', '-f', file, ...n])).toBe('configmap/ssa serverside-applied\n');
    const applied = await k().json(['get', 'cm', 'ssa', ...n, '--show-managed-fields']);
    expect(applied.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1' })]);

    const moved = k().file('moved.yaml', configMap('moved', { a: '1' }));
    await k().ok(['apply', '-f', moved, ...n]);
    k().file('moved.yaml', configMap('moved', { a: '2' }));
    expect(await k().ok(['apply', '--server-side', '-f', moved, ...n])).toBe('configmap/moved serverside-applied\n');
    const after = await k().json(['get', 'cm', 'moved', ...n, '--show-managed-fields']);
    expect(after.data).toEqual({ a: '2' });
    expect(after.metadata.managedFields.map((f: any) => f.manager)).toContain('kubectl');
  });

  it('prunes by label exactly the labelled objects gone from the files, and nothing else', async () => {
    const file = k().file('pruned.yaml', [configMap('keep', { a: '1' }, { set: 'p' }), configMap('drop', { a: '1' }, { set: 'p' })].join('---\n'));
    await k().ok(['apply', '-f', file, ...n]);
    await k().ok(['create', 'configmap', 'unlabelled', ...n, '--from-literal=a=1']);
    k().file('pruned.yaml', configMap('keep', { a: '1' }, { set: 'p' }));
    const out = await k().ok(['apply', '--prune', '-l', 'set=p', '-f', file, ...n]);
    expect(out).toBe('configmap/keep unchanged\nconfigmap/drop pruned\n');
    const names = (await k().json(['get', 'cm', ...n])).items.map((c: any) => c.metadata.name).sort();
    expect(names).toEqual(expect.arrayContaining(['keep', 'unlabelled']));
    expect(names).not.toContain('drop');
  });
}
