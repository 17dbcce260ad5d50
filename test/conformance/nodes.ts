/** kubectl cordon, uncordon and drain on the cluster's one node (run last: drain evicts every pod). */
import { tableRows } from '../kubectl/session';
import type { BerthUp } from './berth-up';
import { waitForJson } from './creating';
import { webDeployment } from './manifests';

export function nodes(up: () => BerthUp): void {
  const ns = 'conformance-nodes';
  const k = () => up().kubectl;
  const n = ['-n', ns];

  beforeAll(async () => {
    await k().ok(['create', 'namespace', ns]);
    await k().ok(['apply', '-f', k().file('drained.yaml', webDeployment(up().image, { name: 'drained', replicas: 2 })), ...n]);
    await k().ok(['wait', '--for=condition=Available', 'deploy/drained', ...n, '--timeout=120s']);
  });

  it('cordons the node so new pods stay pending with the reason, and uncordons it', async () => {
    expect(await k().ok(['cordon', up().node])).toBe(`node/${up().node} cordoned\n`);
    expect(tableRows(await k().ok(['get', 'node', up().node]))[1][1]).toBe('Ready,SchedulingDisabled');
    await k().ok(['run', 'waiting', `--image=${up().image}`, ...n, '--command', '--', 'sleep', '3600']);
    const pending = await waitForJson(k, ['get', 'pod', 'waiting', ...n], (p) => p.status?.conditions?.some((c: any) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'));
    expect(pending.status.conditions.find((c: any) => c.type === 'PodScheduled').message).toBe('0/1 nodes are available: 1 node(s) were unschedulable.');
    expect(await k().ok(['uncordon', up().node])).toBe(`node/${up().node} uncordoned\n`);
    await k().ok(['wait', '--for=condition=Ready', 'pod/waiting', ...n, '--timeout=60s']);
    await k().ok(['delete', 'pod', 'waiting', ...n, '--grace-period=0', '--force']);
  });

  it('drains the node: cordoned, pods evicted through the eviction API, replacements pending until uncordoned', async () => {
    const before = (await k().json(['get', 'pods', ...n, '-l', 'app=drained'])).items.map((p: any) => p.metadata.name);
    const drain = await k().run(['drain', up().node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=120s'], { timeoutMs: 130_000 });
    expect(drain.code).toBe(0);
    for (const name of before) expect(drain.stdout).toContain(`pod/${name} evicted`);
    expect(drain.stdout).toContain(`node/${up().node} drained`);
    const after = (await k().json(['get', 'pods', ...n, '-l', 'app=drained'])).items;
    expect(after.map((p: any) => p.metadata.name)).not.toEqual(expect.arrayContaining(before));
    for (const pod of after) expect(pod.spec.nodeName).toBeUndefined();
    await k().ok(['uncordon', up().node]);
    await k().ok(['wait', '--for=condition=Available', 'deploy/drained', ...n, '--timeout=120s']);
  });
}
