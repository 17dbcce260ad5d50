/** kubectl delete with each cascade mode on a real Deployment, delete -f, wait --for=delete, and namespaces. */
import type { BerthUp } from './berth-up';
import { configMap, webDeployment } from './manifests';

export function deleting(up: () => BerthUp): void {
  const ns = 'conformance-delete';
  const k = () => up().kubectl;
  const n = ['-n', ns];
  const count = async (kind: string, selector: string) => (await k().json(['get', kind, ...n, '-l', selector])).items.length;

  async function deploy(name: string): Promise<void> {
    await k().ok(['apply', '-f', k().file(`${name}.yaml`, webDeployment(up().image, { name, replicas: 1 })), ...n]);
    await k().ok(['wait', '--for=condition=Available', `deploy/${name}`, ...n, '--timeout=120s']);
  }

  beforeAll(async () => {
    await k().ok(['create', 'namespace', ns]);
  });

  it('cascades in the background: the ReplicaSet and pods go after the Deployment', async () => {
    await deploy('bg');
    expect(await k().ok(['delete', 'deploy', 'bg', ...n, '--cascade=background'])).toBe('deployment.apps "bg" deleted\n');
    await k().ok(['wait', '--for=delete', 'rs', '-l', 'app=bg', ...n, '--timeout=60s']);
    await k().ok(['wait', '--for=delete', 'pod', '-l', 'app=bg', ...n, '--timeout=60s']);
  });

  it('cascades in the foreground: kubectl returns once the dependents are gone, then the Deployment', async () => {
    await deploy('fg');
    expect(await k().ok(['delete', 'deploy', 'fg', ...n, '--cascade=foreground'])).toBe('deployment.apps "fg" deleted\n');
    expect(await count('rs', 'app=fg')).toBe(0);
    expect((await k().run(['get', 'deploy', 'fg', ...n])).code).toBe(1);
  });

  it('orphans: the ReplicaSet and its pods stay, without an owner', async () => {
    await deploy('orphan');
    expect(await k().ok(['delete', 'deploy', 'orphan', ...n, '--cascade=orphan'])).toBe('deployment.apps "orphan" deleted\n');
    const [rs] = (await k().json(['get', 'rs', ...n, '-l', 'app=orphan'])).items;
    expect(rs.metadata.ownerReferences ?? []).toEqual([]);
    expect(await count('pods', 'app=orphan')).toBe(1);
    await k().ok(['delete', 'rs', rs.metadata.name, ...n]);
    await k().ok(['wait', '--for=delete', 'pod', '-l', 'app=orphan', ...n, '--timeout=60s']);
  });

  it('deletes what a file declares, and waits for deletion', async () => {
    const file = k().file('two.yaml', [configMap('one', { a: '1' }), configMap('two', { a: '2' })].join('---\n'));
    await k().ok(['apply', '-f', file, ...n]);
    expect(await k().ok(['delete', '-f', file, ...n])).toBe('configmap "one" deleted\nconfigmap "two" deleted\n');
    const gone = await k().run(['wait', '--for=delete', 'cm/one', ...n, '--timeout=5s']);
    expect(gone.code).toBe(0);
  });

  it('deletes a namespace with what it holds', async () => {
    await k().ok(['create', 'namespace', 'conformance-doomed']);
    await k().ok(['apply', '-f', k().file('doomed.yaml', webDeployment(up().image, { name: 'doomed', replicas: 1 })), '-n', 'conformance-doomed']);
    await k().ok(['wait', '--for=condition=Available', 'deploy/doomed', '-n', 'conformance-doomed', '--timeout=120s']);
    expect(await k().ok(['delete', 'namespace', 'conformance-doomed', '--timeout=120s'])).toBe('namespace "conformance-doomed" deleted\n');
    expect((await k().run(['get', 'namespace', 'conformance-doomed'])).code).toBe(1);
    expect((await k().json(['get', 'pods', '-A', '--field-selector', 'metadata.namespace=conformance-doomed'])).items).toEqual([]);
  });
}
