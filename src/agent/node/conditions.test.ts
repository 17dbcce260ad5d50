import { NodeCondition } from '../../api/types';
import { conditionsChanged, nodeConditions, NodeHealth } from './conditions';

const healthy: NodeHealth = { memoryAvailableBytes: 4 * 2 ** 30, diskAvailableFraction: 0.5, inodesFreeFraction: 0.5, pidsAvailableFraction: 0.99 };
const summary = (conditions: NodeCondition[]) => conditions.map((c) => `${c.type}=${c.status} ${c.reason}`);

describe('nodeConditions', () => {
  const cases: Array<{ name: string; health: NodeHealth; want: string[] }> = [
    {
      name: 'a healthy node',
      health: healthy,
      want: ['MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=False KubeletHasNoDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=True KubeletReady'],
    },
    {
      name: 'less than 100Mi of memory available',
      health: { ...healthy, memoryAvailableBytes: 99 * 1024 * 1024 },
      want: ['MemoryPressure=True KubeletHasInsufficientMemory', 'DiskPressure=False KubeletHasNoDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=True KubeletReady'],
    },
    {
      name: 'less than 10% of the disk, or 5% of the inodes, left',
      health: { ...healthy, inodesFreeFraction: 0.01 },
      want: ['MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=True KubeletHasDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=True KubeletReady'],
    },
    {
      name: 'nearly every process id taken',
      health: { ...healthy, pidsAvailableFraction: 0.01, diskAvailableFraction: 0.05 },
      want: ['MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=True KubeletHasDiskPressure', 'PIDPressure=True KubeletHasInsufficientPID', 'Ready=True KubeletReady'],
    },
    {
      name: 'the runtime does not answer',
      health: { ...healthy, runtimeError: 'the Docker engine does not answer' },
      want: ['MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=False KubeletHasNoDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=False KubeletNotReady'],
    },
    {
      name: 'readings the host cannot give count as no pressure',
      health: {},
      want: ['MemoryPressure=False KubeletHasSufficientMemory', 'DiskPressure=False KubeletHasNoDiskPressure', 'PIDPressure=False KubeletHasSufficientPID', 'Ready=True KubeletReady'],
    },
  ];
  it.each(cases)('$name', ({ health, want }) => {
    expect(summary(nodeConditions(health, undefined, '2025-01-01T00:00:00Z'))).toEqual(want);
  });

  it('says why the runtime is down in the Ready message', () => {
    const ready = nodeConditions({ runtimeError: 'docker: cannot ask the engine its version' }, undefined, 't').find((c) => c.type === 'Ready')!;
    expect(ready.message).toBe('container runtime is down: docker: cannot ask the engine its version');
  });

  it('keeps lastTransitionTime while a status stays and moves it when the status changes; the heartbeat always moves', () => {
    const first = nodeConditions(healthy, undefined, '2025-01-01T00:00:00Z');
    const same = nodeConditions(healthy, first, '2025-01-01T00:00:10Z');
    expect(same.every((c) => c.lastTransitionTime === '2025-01-01T00:00:00Z' && c.lastHeartbeatTime === '2025-01-01T00:00:10Z')).toBe(true);
    expect(conditionsChanged(first, same)).toBe(false);
    const down = nodeConditions({ ...healthy, runtimeError: 'gone' }, same, '2025-01-01T00:00:20Z');
    expect(down.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe('2025-01-01T00:00:20Z');
    expect(down.find((c) => c.type === 'MemoryPressure')!.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
    expect(conditionsChanged(same, down)).toBe(true);
  });

  it('sees a condition someone else rewrote (the node lifecycle controller: Ready=Unknown) as a change', () => {
    const mine = nodeConditions(healthy, undefined, 't0');
    const rewritten = mine.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown' } : c));
    const next = nodeConditions(healthy, rewritten, 't1');
    expect(conditionsChanged(rewritten, next)).toBe(true);
    expect(next.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: 't1' });
  });
});
