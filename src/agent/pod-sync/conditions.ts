/**
 * The pod conditions the node agent owns — PodReadyToStartContainers, Initialized,
 * ContainersReady, Ready — worded as kubelet words them, and PodScheduled kept as placement set
 * it. A condition keeps its lastTransitionTime while its status does not change.
 */
import { ContainerStatus, Pod, PodCondition } from '../../api/types';
import { PodPhase } from './phase';

type Status = 'True' | 'False' | 'Unknown';

interface Verdict {
  status: Status;
  reason?: string;
  message?: string;
}

const goList = (names: string[]) => `[${names.join(' ')}]`;

function initialized(pod: Pod, initStatuses: ContainerStatus[], statuses: ContainerStatus[], phase: PodPhase): Verdict {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return { status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const container of inits) {
    const status = initStatuses.find((s) => s.name === container.name);
    if (!status) {
      unknown.push(container.name);
      continue;
    }
    const done =
      container.restartPolicy === 'Always' ? status.started === true : status.state?.terminated?.exitCode === 0;
    if (!done) incomplete.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'True', reason: 'PodCompleted' };
  // A regular container that ran means the pod was initialized before (its init containers may
  // have been removed since).
  if (statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return { status: 'True' };
  if (unknown.length > 0) {
    return { status: 'False', reason: 'ContainersNotInitialized', message: `containers with unknown status: ${goList(unknown)}` };
  }
  if (incomplete.length > 0) {
    return { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${goList(incomplete)}` };
  }
  return { status: 'True' };
}

function containersReady(pod: Pod, initStatuses: ContainerStatus[], statuses: ContainerStatus[], phase: PodPhase): Verdict {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const container of pod.spec?.initContainers ?? []) {
    if (container.restartPolicy !== 'Always') continue;
    const status = initStatuses.find((s) => s.name === container.name);
    if (!status) unknown.push(container.name);
    else if (!status.ready) unready.push(container.name);
  }
  for (const container of pod.spec?.containers ?? []) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status) unknown.push(container.name);
    else if (!status.ready) unready.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'False', reason: 'PodCompleted' };
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length > 0) return { status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
  return { status: 'True' };
}

function ready(pod: Pod, containers: Verdict): Verdict {
  if (containers.status !== 'True') return containers;
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const condition = pod.status?.conditions?.find((c) => c.type === gate.conditionType);
    if (!condition) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (condition.status !== 'True') {
      messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${condition.status}`);
    }
  }
  if (messages.length > 0) return { status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
  return { status: 'True' };
}

export interface ConditionInputs {
  pod: Pod;
  initStatuses: ContainerStatus[];
  statuses: ContainerStatus[];
  phase: PodPhase;
  sandboxReady: boolean;
  now: string;
}

/** The agent's conditions merged into the pod's current ones (others, e.g. readiness gates, kept). */
export function podConditions(input: ConditionInputs): PodCondition[] {
  const { pod, initStatuses, statuses, phase, now } = input;
  const old = pod.status?.conditions ?? [];
  const containers = containersReady(pod, initStatuses, statuses, phase);
  const verdicts: [string, Verdict][] = [
    ['PodReadyToStartContainers', { status: input.sandboxReady ? 'True' : 'False' }],
    ['Initialized', initialized(pod, initStatuses, statuses, phase)],
    ['Ready', ready(pod, containers)],
    ['ContainersReady', containers],
  ];
  const ours = new Set(verdicts.map(([type]) => type));
  const conditions: PodCondition[] = [];
  const scheduled = old.find((c) => c.type === 'PodScheduled');
  conditions.push(scheduled ?? { type: 'PodScheduled', status: 'True', lastTransitionTime: now });
  for (const [type, verdict] of verdicts) {
    const previous = old.find((c) => c.type === type);
    const condition: PodCondition = {
      type,
      status: verdict.status,
      lastTransitionTime: previous && previous.status === verdict.status ? previous.lastTransitionTime ?? now : now,
    };
    if (verdict.reason) condition.reason = verdict.reason;
    if (verdict.message) condition.message = verdict.message;
    conditions.push(condition);
  }
  for (const condition of old) if (condition.type !== 'PodScheduled' && !ours.has(condition.type)) conditions.push(condition);
  return conditions;
}
