import { explain, formatAmount, formatExplanation } from './explain';
import { node, pod } from './fixtures';
import { Snapshot } from './snapshot';

const gpuTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };

describe('explaining a pod that fits nowhere', () => {
  const cluster = () =>
    Snapshot.of(
      [
        node('small-1', { cpu: '2', memory: '4Gi' }),
        node('small-2', { cpu: '2', memory: '4Gi' }),
        node('small-3', { cpu: '2', memory: '4Gi' }),
        node('gpu-1', { cpu: '16', memory: '64Gi', taints: [gpuTaint] }),
        node('gpu-2', { cpu: '16', memory: '64Gi', taints: [gpuTaint] }),
      ],
      [pod('a', { nodeName: 'small-1', cpu: '500m' }), pod('b', { nodeName: 'small-2', cpu: '1' }), pod('c', { nodeName: 'small-3', cpu: '1500m' })],
    );

  it("gives upstream's message, each node's filter and reasons, and what would make it fit", () => {
    const e = explain(pod('big', { cpu: '2' }), cluster());
    expect(e.pod).toBe('default/big');
    expect(e.chosen).toBeUndefined();
    expect(e.message).toBe('0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.');
    expect(e.rejections.map((r) => [r.node, r.filter])).toEqual([
      ['gpu-1', 'TaintToleration'],
      ['gpu-2', 'TaintToleration'],
      ['small-1', 'NodeResourcesFit'],
      ['small-2', 'NodeResourcesFit'],
      ['small-3', 'NodeResourcesFit'],
    ]);
    // The GPU nodes have 16 cpu free, but the pod may not use them: they do not count.
    expect(e.hints).toEqual([
      '2 nodes have the taint dedicated=gpu:NoSchedule; the pod would need the toleration {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}',
      'the largest free cpu on any ready node it may use is 1500m; this pod asks 2',
    ]);
  });

  it('prints it for berth explain', () => {
    expect(formatExplanation(explain(pod('big', { cpu: '2' }), cluster()))).toBe(
      [
        'Pod default/big: no node can take it',
        '0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.',
        '',
        'Rejected nodes:',
        '  NODE      FILTER             REASON',
        '  gpu-1     TaintToleration    node(s) had untolerated taint {dedicated: gpu}',
        '  gpu-2     TaintToleration    node(s) had untolerated taint {dedicated: gpu}',
        '  small-1   NodeResourcesFit   Insufficient cpu',
        '  small-2   NodeResourcesFit   Insufficient cpu',
        '  small-3   NodeResourcesFit   Insufficient cpu',
        '',
        'What would make it fit:',
        '  - 2 nodes have the taint dedicated=gpu:NoSchedule; the pod would need the toleration {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}',
        '  - the largest free cpu on any ready node it may use is 1500m; this pod asks 2',
      ].join('\n'),
    );
  });

  it.each([
    ['memory in binary units', pod('p', { memory: '8Gi' }), 'the largest free memory on any ready node it may use is 4Gi; this pod asks 8Gi'],
    ['an extended resource no node has', pod('p', { extended: { 'nvidia.com/gpu': '1' } }), 'the largest free nvidia.com/gpu on any ready node it may use is 0; this pod asks 1'],
  ])('names the largest free amount of %s', (_, incoming, hint) => {
    expect(explain(incoming, cluster()).hints).toContain(hint);
  });

  it('names the label a nodeSelector asks for that no node has', () => {
    const e = explain(pod('p', { nodeSelector: { disktype: 'ssd' } }), Snapshot.of([node('a'), node('b', { labels: { disktype: 'hdd' } })], []));
    expect(e.message).toBe("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
    expect(e.hints).toEqual(["no node has the label disktype=ssd that the pod's nodeSelector asks for"]);
  });

  it('says when no node has all the labels a nodeSelector asks for together', () => {
    const nodes = [node('a', { labels: { disktype: 'ssd' } }), node('b', { labels: { zone: 'x' } })];
    expect(explain(pod('p', { nodeSelector: { disktype: 'ssd', zone: 'x' } }), Snapshot.of(nodes, [])).hints).toEqual([
      "no node has all the labels of the pod's nodeSelector: disktype=ssd, zone=x",
    ]);
  });

  it('says which nodes are cordoned or not Ready, and which host ports are taken', () => {
    const nodes = [node('cordoned', { unschedulable: true }), node('down', { ready: 'Unknown' }), node('busy'), node('busy-too')];
    const holders = [pod('h1', { nodeName: 'busy', hostPorts: [{ port: 8080 }] }), pod('h2', { nodeName: 'busy-too', hostPorts: [{ port: 8080 }] })];
    const e = explain(pod('p', { hostPorts: [{ port: 8080 }] }), Snapshot.of(nodes, holders));
    expect(e.message).toBe(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable, 2 node(s) didn't have free ports for the requested pod ports.",
    );
    expect(e.hints).toEqual([
      '1 node is not Ready (1 unreachable: no heartbeat)',
      '1 node is cordoned; `kubectl uncordon` makes it schedulable again',
      'host port 8080/TCP is in use on 2 nodes',
    ]);
  });

  it('says how many nodes hold all the pods they allow', () => {
    const e = explain(pod('p'), Snapshot.of([node('n', { pods: '1' })], [pod('only', { nodeName: 'n' })]));
    expect(e.message).toBe('0/1 nodes are available: 1 Too many pods.');
    expect(e.hints).toEqual(['1 node already runs as many pods as its status.allocatable.pods allows']);
  });
});

describe('explaining a pod that fits', () => {
  const snapshot = () =>
    Snapshot.of([node('busy', { cpu: '8', memory: '8Gi' }), node('idle', { cpu: '8', memory: '8Gi' }), node('gpu', { taints: [gpuTaint] })], [
      pod('load', { nodeName: 'busy', cpu: '6', memory: '6Gi' }),
    ]);

  it('lists the feasible nodes best first with their scores, the rejected ones with their reasons, and no hints', () => {
    const e = explain(pod('p', { cpu: '1', memory: '1Gi' }), snapshot());
    expect(e.chosen).toBe('idle');
    expect(e.message).toBeUndefined();
    expect(e.feasible.map((f) => [f.node, f.total, f.scores.NodeResourcesFit])).toEqual([
      ['idle', 487, 87],
      ['busy', 412, 12],
    ]);
    expect(e.rejections).toEqual([{ node: 'gpu', filter: 'TaintToleration', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] }]);
    expect(e.hints).toEqual([]);
  });

  it('prints the chosen node first and a column per scorer', () => {
    const lines = formatExplanation(explain(pod('p', { cpu: '1', memory: '1Gi' }), snapshot())).split('\n');
    expect(lines[0]).toBe('Pod default/p: goes to idle (score 487; 2 feasible nodes of 3)');
    expect(lines).toContain('Feasible nodes:');
    expect(lines.find((l) => l.trim().startsWith('NODE') && l.includes('TOTAL'))).toMatch(/NODE\s+TOTAL\s+NODERESOURCESFIT\s+NODERESOURCESBALANCEDALLOCATION/);
    expect(lines.find((l) => l.trim().startsWith('idle'))).toMatch(/^ {2}idle\s+487\s+87\s+100\s+0\s+100\s+0\s+0$/);
  });
});

describe('formatAmount', () => {
  it.each([
    ['cpu', 1500, '1500m'],
    ['cpu', 2000, '2'],
    ['memory', 512 * 2 ** 20, '512Mi'],
    ['ephemeral-storage', 10 * 2 ** 30, '10Gi'],
    ['hugepages-2Mi', 4 * 2 ** 20, '4Mi'],
    ['nvidia.com/gpu', 2, '2'],
  ])('prints %s %d as %s', (resource, value, printed) => {
    expect(formatAmount(resource, value)).toBe(printed);
  });
});
