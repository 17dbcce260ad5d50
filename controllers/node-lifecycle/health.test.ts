import type { Lease, Node, Taint } from '../../src/api/types';
import { desiredTaints, NodeHealth, sameTaints, silentNodeStatus, timestamp } from './health';

function node(conditions: Array<{ type: string; status: 'True' | 'False' | 'Unknown'; lastHeartbeatTime?: string }>, spec: Node['spec'] = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: '2030-01-01T00:00:00Z' }, spec, status: { conditions } };
}

const lease = (renewTime: string): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime } });
const keys = (taints: Taint[]) => taints.map((t) => `${t.key}:${t.effect}`).sort();

describe('node health', () => {
  it('counts a sign of life when the Lease is renewed or the Ready heartbeat moves, by its own clock', () => {
    const health = new NodeHealth();
    const n = node([{ type: 'Ready', status: 'True', lastHeartbeatTime: '2030-01-01T00:00:00Z' }]);
    expect(health.observe(n, lease('2030-01-01T00:00:00.000000Z'), 1000)).toBe(1000); // first sight: a full grace period from now
    expect(health.observe(n, lease('2030-01-01T00:00:00.000000Z'), 5000)).toBe(1000); // nothing moved
    expect(health.observe(n, lease('2030-01-01T00:00:10.000000Z'), 9000)).toBe(9000); // renewed
    const beat = node([{ type: 'Ready', status: 'True', lastHeartbeatTime: '2030-01-01T00:01:00Z' }]);
    expect(health.observe(beat, lease('2030-01-01T00:00:10.000000Z'), 12000)).toBe(12000); // heartbeat
    expect(health.observe(beat, undefined, 20000)).toBe(12000); // a Lease gone is no sign of life
  });
});

describe('the status of a silent node', () => {
  it('turns the monitored conditions Unknown with upstream reasons, adding those never reported', () => {
    const status = silentNodeStatus(node([{ type: 'Ready', status: 'True', lastHeartbeatTime: '2030-01-01T00:00:05Z' }, { type: 'NetworkUnavailable', status: 'False' }]), Date.parse('2030-01-01T00:01:00Z'))!;
    const byType = Object.fromEntries(status.conditions!.map((c) => [c.type, c]));
    expect(byType.Ready).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2030-01-01T00:00:05Z',
      lastTransitionTime: '2030-01-01T00:01:00Z',
    });
    expect(byType.MemoryPressure).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: '2030-01-01T00:00:00Z' });
    expect(byType.DiskPressure.status).toBe('Unknown');
    expect(byType.PIDPressure.status).toBe('Unknown');
    expect(byType.NetworkUnavailable.status).toBe('False'); // not the agent's to report
  });

  it('changes nothing when they are Unknown already', () => {
    const unknown = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'Unknown' as const }));
    expect(silentNodeStatus(node(unknown), 0)).toBeUndefined();
  });
});

describe('the taints a node should carry', () => {
  const now = Date.parse('2030-01-01T00:02:00Z');

  it.each([
    ['Ready', 'True', []],
    ['Ready', 'False', ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']],
    ['Ready', 'Unknown', ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']],
    ['MemoryPressure', 'True', ['node.kubernetes.io/memory-pressure:NoSchedule']],
    ['DiskPressure', 'True', ['node.kubernetes.io/disk-pressure:NoSchedule']],
    ['PIDPressure', 'True', ['node.kubernetes.io/pid-pressure:NoSchedule']],
    ['NetworkUnavailable', 'True', ['node.kubernetes.io/network-unavailable:NoSchedule']],
  ] as const)('%s=%s gives %j', (type, status, expected) => {
    expect(keys(desiredTaints(node([{ type, status }]), now))).toEqual(expected);
  });

  it('adds the unschedulable taint to a cordoned node and keeps taints it does not manage', () => {
    const own = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const taints = desiredTaints(node([{ type: 'Ready', status: 'True' }], { unschedulable: true, taints: [own] }), now);
    expect(keys(taints)).toEqual(['dedicated:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
  });

  it('stamps a new NoExecute taint with now, keeps the time of one already there, and swaps unreachable for not-ready', () => {
    const fresh = desiredTaints(node([{ type: 'Ready', status: 'Unknown' }]), now);
    expect(fresh.find((t) => t.effect === 'NoExecute')?.timeAdded).toBe(timestamp(now));
    const earlier = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const, timeAdded: '2030-01-01T00:00:30Z' };
    const kept = desiredTaints(node([{ type: 'Ready', status: 'Unknown' }], { taints: [earlier] }), now);
    expect(kept.find((t) => t.effect === 'NoExecute')?.timeAdded).toBe('2030-01-01T00:00:30Z');
    const swapped = desiredTaints(node([{ type: 'Ready', status: 'False' }], { taints: [earlier] }), now);
    expect(keys(swapped)).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    const back = desiredTaints(node([{ type: 'Ready', status: 'True' }], { taints: swapped }), now);
    expect(back).toEqual([]);
  });

  it('compares taint lists regardless of order and timeAdded', () => {
    const a: Taint[] = [{ key: 'x', effect: 'NoSchedule' }, { key: 'y', effect: 'NoExecute', timeAdded: '2030-01-01T00:00:00Z' }];
    expect(sameTaints(a, [{ key: 'y', effect: 'NoExecute' }, { key: 'x', effect: 'NoSchedule' }])).toBe(true);
    expect(sameTaints(a, [{ key: 'x', effect: 'NoSchedule' }])).toBe(false);
  });
});
