/**
 * The node's conditions from what the agent sees, with kubelet's reasons (tools and the node
 * lifecycle controller key on them): MemoryPressure, DiskPressure, PIDPressure and Ready, in
 * kubelet's order. Thresholds are kubelet's default hard eviction thresholds
 * (memory.available < 100Mi, nodefs.available < 10%, nodefs.inodesFree < 5%), and for process ids
 * (which kubelet leaves unset) fewer than 5% left. Pure.
 */
import { NodeCondition } from '../../api/types';
import { PressureReadings } from './host';

export interface NodeHealth extends PressureReadings {
  /** Why the runtime cannot run pods (it does not answer, its network cannot be set up); absent when it can. */
  runtimeError?: string;
}

export const thresholds = {
  memoryAvailableBytes: 100 * 1024 * 1024,
  diskAvailableFraction: 0.1,
  inodesFreeFraction: 0.05,
  pidsAvailableFraction: 0.05,
};

type Verdict = Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

const pressure = (type: string, under: boolean, yes: [string, string], no: [string, string]): Verdict =>
  under ? { type, status: 'True', reason: yes[0], message: yes[1] } : { type, status: 'False', reason: no[0], message: no[1] };

function verdicts(health: NodeHealth): Verdict[] {
  const below = (value: number | undefined, limit: number) => value !== undefined && value < limit;
  const memory = below(health.memoryAvailableBytes, thresholds.memoryAvailableBytes);
  const disk = below(health.diskAvailableFraction, thresholds.diskAvailableFraction) || below(health.inodesFreeFraction, thresholds.inodesFreeFraction);
  const pids = below(health.pidsAvailableFraction, thresholds.pidsAvailableFraction);
  return [
    pressure('MemoryPressure', memory, ['KubeletHasInsufficientMemory', 'the agent has insufficient memory available'], ['KubeletHasSufficientMemory', 'the agent has sufficient memory available']),
    pressure('DiskPressure', disk, ['KubeletHasDiskPressure', 'the agent has disk pressure'], ['KubeletHasNoDiskPressure', 'the agent has no disk pressure']),
    pressure('PIDPressure', pids, ['KubeletHasInsufficientPID', 'the agent has insufficient PID available'], ['KubeletHasSufficientPID', 'the agent has sufficient PID available']),
    health.runtimeError
      ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: `container runtime is down: ${health.runtimeError}` }
      : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'the agent is posting ready status' },
  ];
}

/** The conditions to report at `now`; a condition keeps its lastTransitionTime while its status stays. */
export function nodeConditions(health: NodeHealth, previous: NodeCondition[] | undefined, now: string): NodeCondition[] {
  return verdicts(health).map((v) => {
    const before = previous?.find((c) => c.type === v.type);
    const lastTransitionTime = before && before.status === v.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { ...v, lastHeartbeatTime: now, lastTransitionTime };
  });
}

/** Whether the stored conditions say something other than `next`, heartbeat times aside. */
export function conditionsChanged(stored: NodeCondition[] | undefined, next: NodeCondition[]): boolean {
  const strip = (c: NodeCondition) => `${c.type}|${c.status}|${c.reason ?? ''}|${c.message ?? ''}|${c.lastTransitionTime ?? ''}`;
  const a = (stored ?? []).filter((c) => next.some((n) => n.type === c.type)).map(strip).sort();
  const b = next.map(strip).sort();
  return a.length !== b.length || a.some((x, i) => x !== b[i]);
}

export const isReady = (conditions: NodeCondition[] | undefined): boolean =>
  conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
