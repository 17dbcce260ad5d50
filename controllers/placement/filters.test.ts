import type { Node, Pod, Taint, Toleration } from '../../src/api/types';
import { node, pod } from './fixtures';
import { nodeAffinity, nodePorts, nodeReady, nodeResourcesFit, nodeUnschedulable, taintToleration } from './filters';
import { podInfo } from './pod-info';
import type { Filter } from './plugin';
import { Snapshot } from './snapshot';

/** What `filter` says about the node named `on` for `incoming`, in a cluster of `nodes` and `pods`. */
function reasons(filter: Filter, incoming: Pod, nodes: Node[], pods: Pod[] = [], on = nodes[0].metadata.name!): string | readonly string[] | undefined {
  const snapshot = Snapshot.of(nodes, pods);
  const check = filter.prepare({ pod: podInfo(incoming), snapshot });
  return check?.(snapshot.node(on)!);
}

describe('NodeReady', () => {
  it.each([
    ['True', undefined],
    ['False', 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ['Unknown', 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    [null, 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
  ] as const)('a node whose Ready condition is %s gives %p', (ready, expected) => {
    expect(reasons(nodeReady, pod('p'), [node('n', { ready })])).toBe(expected);
  });

  it('lets a pod that tolerates the not-ready taint onto a not-ready node', () => {
    const tolerant = pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(reasons(nodeReady, tolerant, [node('n', { ready: 'False' })])).toBeUndefined();
    expect(reasons(nodeReady, tolerant, [node('n', { ready: 'Unknown' })])).toBe('node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
  });

  it('keeps the default NoExecute tolerations (300s) from letting a pod onto a not-ready node', () => {
    const defaulted = pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] });
    expect(reasons(nodeReady, defaulted, [node('n', { ready: 'False' })])).toBe('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
  });
});

describe('NodeUnschedulable', () => {
  it.each([
    ['an uncordoned node', false, [], undefined],
    ['a cordoned node', true, [], 'node(s) were unschedulable'],
    ['a cordoned node, tolerated by key', true, [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], undefined],
    ['a cordoned node, tolerated by an empty-key Exists', true, [{ operator: 'Exists' }], undefined],
    ['a cordoned node, a NoExecute toleration', true, [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }], 'node(s) were unschedulable'],
  ] as Array<[string, boolean, Toleration[], string | undefined]>)('%s', (_, unschedulable, tolerations, expected) => {
    expect(reasons(nodeUnschedulable, pod('p', { tolerations }), [node('n', { unschedulable })])).toBe(expected);
  });
});

describe('TaintToleration', () => {
  const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each([
    ['no taints', [], [], undefined],
    ['an untolerated NoSchedule taint', [gpu], [], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['an untolerated NoExecute taint', [{ key: 'evict', value: 'now', effect: 'NoExecute' }], [], 'node(s) had untolerated taint {evict: now}'],
    ['a PreferNoSchedule taint (only scored)', [{ key: 'soft', value: 'x', effect: 'PreferNoSchedule' }], [], undefined],
    ['a taint without a value', [{ key: 'special', effect: 'NoSchedule' }], [], 'node(s) had untolerated taint {special: }'],
    ['Equal with the same value', [gpu], [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], undefined],
    ['Equal with another value', [gpu], [{ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['no operator (Equal) with the same value', [gpu], [{ key: 'dedicated', value: 'gpu' }], undefined],
    ['Exists on the key, any value', [gpu], [{ key: 'dedicated', operator: 'Exists' }], undefined],
    ['Exists on another key', [gpu], [{ key: 'other', operator: 'Exists' }], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['Exists with no key: everything', [gpu, { key: 'b', effect: 'NoExecute' }], [{ operator: 'Exists' }], undefined],
    ['the right key and value, another effect', [gpu], [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['an empty effect matches every effect', [gpu], [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }], undefined],
    [
      'the first untolerated taint is named',
      [gpu, { key: 'zone', value: 'edge', effect: 'NoSchedule' }],
      [{ key: 'dedicated', operator: 'Exists' }],
      'node(s) had untolerated taint {zone: edge}',
    ],
  ] as Array<[string, Taint[], Toleration[], string | undefined]>)('%s', (_, taints, tolerations, expected) => {
    expect(reasons(taintToleration, pod('p', { tolerations }), [node('n', { taints })])).toBe(expected);
  });
});

describe('NodeAffinity', () => {
  const labelled = node('n', { labels: { disktype: 'ssd', zone: 'a', cores: '16' } });
  const mismatch = "node(s) didn't match Pod's node affinity/selector";
  const required = (...terms: object[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
  const expression = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

  it.each([
    ['no constraint', {}, undefined],
    ['a matching nodeSelector', { nodeSelector: { disktype: 'ssd' } }, undefined],
    ['a nodeSelector with another value', { nodeSelector: { disktype: 'hdd' } }, mismatch],
    ['a nodeSelector on a missing label', { nodeSelector: { gpu: 'yes' } }, mismatch],
    ['In', { affinity: required(expression('zone', 'In', ['a', 'b'])) }, undefined],
    ['In, no value matches', { affinity: required(expression('zone', 'In', ['b'])) }, mismatch],
    ['NotIn', { affinity: required(expression('zone', 'NotIn', ['b'])) }, undefined],
    ['NotIn on a missing label', { affinity: required(expression('rack', 'NotIn', ['1'])) }, undefined],
    ['Exists', { affinity: required(expression('disktype', 'Exists')) }, undefined],
    ['DoesNotExist', { affinity: required(expression('disktype', 'DoesNotExist')) }, mismatch],
    ['Gt', { affinity: required(expression('cores', 'Gt', ['8'])) }, undefined],
    ['Gt, equal', { affinity: required(expression('cores', 'Gt', ['16'])) }, mismatch],
    ['Lt', { affinity: required(expression('cores', 'Lt', ['32'])) }, undefined],
    ['Gt on a label that is not a number', { affinity: required(expression('zone', 'Gt', ['1'])) }, mismatch],
    ['terms are ORed', { affinity: required(expression('zone', 'In', ['x']), expression('disktype', 'In', ['ssd'])) }, undefined],
    ['expressions in a term are ANDed', { affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disktype', operator: 'In', values: ['hdd'] }] }) }, mismatch],
    ['an empty term matches nothing', { affinity: required({}) }, mismatch],
    ['matchFields on metadata.name', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }) }, undefined],
    ['matchFields on another name', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['m'] }] }) }, mismatch],
    ['nodeSelector and affinity must both hold', { nodeSelector: { disktype: 'hdd' }, affinity: required(expression('zone', 'In', ['a'])) }, mismatch],
  ] as Array<[string, object, string | undefined]>)('%s', (_, shape, expected) => {
    expect(reasons(nodeAffinity, pod('p', shape), [labelled])).toBe(expected);
  });
});

describe('NodePorts', () => {
  const taken = "node(s) didn't have free ports for the requested pod ports";
  type Ports = Array<{ port: number; protocol?: 'TCP' | 'UDP'; ip?: string }>;
  it.each([
    ['a free port', [{ port: 80 }], [{ port: 8080 }], undefined],
    ['the same port', [{ port: 8080 }], [{ port: 8080 }], taken],
    ['the same port, another protocol', [{ port: 53, protocol: 'UDP' }], [{ port: 53, protocol: 'TCP' }], undefined],
    ['the same port on two different addresses', [{ port: 80, ip: '10.0.0.1' }], [{ port: 80, ip: '10.0.0.2' }], undefined],
    ['a specific address against one bound on all', [{ port: 80, ip: '10.0.0.1' }], [{ port: 80 }], taken],
    ['all addresses against one bound on a specific one', [{ port: 80 }], [{ port: 80, ip: '10.0.0.1' }], taken],
  ] as Array<[string, Ports, Ports, string | undefined]>)('%s', (_, wanted, used, expected) => {
    const existing = pod('existing', { nodeName: 'n', hostPorts: used });
    expect(reasons(nodePorts, pod('p', { hostPorts: wanted }), [node('n')], [existing])).toBe(expected);
  });

  it('counts a hostNetwork container port as a host port', () => {
    const hostNetwork = pod('net', { nodeName: 'n' });
    hostNetwork.spec!.hostNetwork = true;
    hostNetwork.spec!.containers[0].ports = [{ containerPort: 9100 }];
    expect(reasons(nodePorts, pod('p', { hostPorts: [{ port: 9100 }] }), [node('n')], [hostNetwork])).toBe(taken);
  });

  it('frees the port when the pod that held it goes', () => {
    const snapshot = Snapshot.of([node('n')], [pod('existing', { nodeName: 'n', hostPorts: [{ port: 8080 }] })]);
    snapshot.removePod('uid-default-existing');
    const check = nodePorts.prepare({ pod: podInfo(pod('p', { hostPorts: [{ port: 8080 }] })), snapshot })!;
    expect(check(snapshot.node('n')!)).toBeUndefined();
  });
});

describe('NodeResourcesFit', () => {
  const small = node('n', { cpu: '2', memory: '4Gi', pods: '3', storage: '10Gi', extended: { 'nvidia.com/gpu': '1' } });
  const running = [pod('a', { nodeName: 'n', cpu: '1500m', memory: '3Gi' })];
  it.each([
    ['a pod that fits', { cpu: '500m', memory: '1Gi' }, undefined],
    ['too much cpu', { cpu: '501m' }, 'Insufficient cpu'],
    ['too much memory', { memory: '1025Mi' }, 'Insufficient memory'],
    ['too much of both, each a reason', { cpu: '1', memory: '2Gi' }, ['Insufficient cpu', 'Insufficient memory']],
    ['too much ephemeral storage', { storage: '11Gi' }, 'Insufficient ephemeral-storage'],
    ['an extended resource the node has', { extended: { 'nvidia.com/gpu': '1' } }, undefined],
    ['more of an extended resource than the node has', { extended: { 'nvidia.com/gpu': '2' } }, 'Insufficient nvidia.com/gpu'],
    ['an extended resource the node lacks', { extended: { 'example.com/fpga': '1' } }, 'Insufficient example.com/fpga'],
    ['a pod asking nothing, on a node full of cpu', {}, undefined],
  ] as Array<[string, object, string | string[] | undefined]>)('%s', (_, shape, expected) => {
    expect(reasons(nodeResourcesFit, pod('p', shape), [small], running)).toEqual(expected);
  });

  it('says Too many pods when the node holds its allocatable pods, before any resource', () => {
    const full = [pod('a', { nodeName: 'n' }), pod('b', { nodeName: 'n' }), pod('c', { nodeName: 'n' })];
    expect(reasons(nodeResourcesFit, pod('p', { cpu: '3' }), [small], full)).toEqual(['Too many pods', 'Insufficient cpu']);
    expect(reasons(nodeResourcesFit, pod('p'), [small], full)).toBe('Too many pods');
  });

  it('counts limits without requests, the largest init container and pod overhead, as upstream', () => {
    const withInit = pod('p');
    withInit.spec!.containers[0].resources = { limits: { cpu: '1' } };
    withInit.spec!.initContainers = [{ name: 'init', image: 'busybox', resources: { requests: { cpu: '1800m' } } }];
    expect(reasons(nodeResourcesFit, withInit, [node('n', { cpu: '2' })], [pod('a', { nodeName: 'n', cpu: '300m' })])).toBe('Insufficient cpu');
    // 1 (limit) + 700m (overhead) = 1700m: it fits beside 300m exactly, not beside 400m.
    withInit.spec!.initContainers[0].resources = { requests: { cpu: '500m' } };
    withInit.spec!.overhead = { cpu: '700m' };
    expect(reasons(nodeResourcesFit, withInit, [node('n', { cpu: '2' })], [pod('a', { nodeName: 'n', cpu: '300m' })])).toBeUndefined();
    expect(reasons(nodeResourcesFit, withInit, [node('n', { cpu: '2' })], [pod('a', { nodeName: 'n', cpu: '400m' })])).toBe('Insufficient cpu');
  });

  it('does not count finished pods against the node', () => {
    const done = [pod('a', { nodeName: 'n', cpu: '2', phase: 'Succeeded' }), pod('b', { nodeName: 'n', cpu: '2', phase: 'Failed' })];
    expect(reasons(nodeResourcesFit, pod('p', { cpu: '2' }), [node('n', { cpu: '2' })], done)).toBeUndefined();
  });

  it('still counts a terminating pod: it holds its resources until it is gone', () => {
    expect(reasons(nodeResourcesFit, pod('p', { cpu: '2' }), [node('n', { cpu: '2' })], [pod('a', { nodeName: 'n', cpu: '1', terminating: true })])).toBe(
      'Insufficient cpu',
    );
  });
});
