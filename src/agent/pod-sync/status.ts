/**
 * The pod's status as the node agent reports it, from the spec, what the runtime holds, the
 * probe verdicts and why the last sync held containers back: phase, conditions, addresses,
 * startTime, and a status per container with state, lastState, restartCount, ready and started.
 * Pure; the caller writes it only when it differs from the stored one (statusChanged).
 */
import { Container, ContainerState, ContainerStatus, Pod, PodStatus } from '../../api/types';
import { deepEqual } from '../../util/json';
import { ContainerInfo } from '../runtime/runtime';
import { podConditions } from './conditions';
import { ObservedPod, currentSandbox, instancesOf } from './observed';
import { getPhase } from './phase';
import { qosClass } from './qos';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** The probe verdicts for container instances; undefined while a probe has no verdict yet. */
export interface ProbeResults {
  result(containerId: string, kind: ProbeKind): boolean | undefined;
}

export const noProbeResults: ProbeResults = { result: () => undefined };

/** RFC 3339 at second precision, as Kubernetes writes meta/v1 Time. */
export const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function terminated(c: ContainerInfo, idScheme: string): ContainerState {
  const exitCode = c.exitCode ?? 0;
  const reason = c.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  return {
    terminated: {
      exitCode,
      reason,
      ...(c.message ? { message: c.message } : {}),
      ...(c.startedAt ? { startedAt: timestamp(c.startedAt) } : {}),
      ...(c.finishedAt ? { finishedAt: timestamp(c.finishedAt) } : {}),
      containerID: `${idScheme}${c.id}`,
    },
  };
}

function stateOf(c: ContainerInfo, idScheme: string): ContainerState {
  if (c.state === 'running') return { running: { startedAt: timestamp(c.startedAt ?? c.createdAt) } };
  if (c.state === 'exited') return terminated(c, idScheme);
  return { waiting: { reason: 'ContainerCreating' } };
}

interface StatusInputs {
  observed: ObservedPod;
  probes: ProbeResults;
  idScheme: string;
  defaultWaiting: string;
  isInit: boolean;
}

function containerStatus(container: Container, input: StatusInputs): ContainerStatus {
  const { observed, probes, idScheme } = input;
  const [latest, previous] = instancesOf(observed, container.name);
  const status: ContainerStatus = {
    name: container.name,
    ready: false,
    restartCount: latest?.attempt ?? 0,
    image: container.image ?? '',
    imageID: latest?.imageID ?? '',
    state: { waiting: { reason: input.defaultWaiting } },
    lastState: previous?.state === 'exited' ? terminated(previous, idScheme) : {},
  };
  if (latest) {
    status.containerID = `${idScheme}${latest.id}`;
    status.state = stateOf(latest, idScheme);
  }
  const waiting = observed.waiting?.[container.name];
  if (waiting && latest?.state !== 'running') {
    if (status.state?.terminated) status.lastState = status.state;
    status.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
  }
  const running = latest?.state === 'running';
  const sidecar = input.isInit && container.restartPolicy === 'Always';
  if (input.isInit && !sidecar) {
    status.started = running;
    status.ready = status.state?.terminated?.exitCode === 0;
    return status;
  }
  status.started = running && (!container.startupProbe || probes.result(latest.id, 'startup') === true);
  status.ready = status.started && (!container.readinessProbe || probes.result(latest!.id, 'readiness') === true);
  return status;
}

export function podStatus(pod: Pod, observed: ObservedPod, probes: ProbeResults, now: number, idScheme = 'docker://'): PodStatus {
  const old = pod.status ?? {};
  const spec = pod.spec ?? { containers: [] };
  const inits = spec.initContainers ?? [];
  // Before it runs, every container waits in "PodInitializing" if the pod has init containers.
  const defaultWaiting = inits.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const common = { observed, probes, idScheme, defaultWaiting };
  const initStatuses = inits.map((c) => containerStatus(c, { ...common, isInit: true }));
  const statuses = spec.containers.map((c) => containerStatus(c, { ...common, isInit: false }));

  const nothingRuns = !observed.containers.some((c) => c.state === 'running');
  const podIsTerminal = Boolean(pod.metadata.deletionTimestamp) && nothingRuns && observed.containers.length > 0;
  const podHasInitialized = old.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  let phase = getPhase(pod, initStatuses, statuses, podIsTerminal, podHasInitialized);
  // A pod that ended stays ended: nothing brings it back.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;

  const sandbox = currentSandbox(observed);
  const sandboxReady = sandbox?.state === 'ready' && (sandbox.hostNetwork || Boolean(sandbox.ip));
  const status: PodStatus = {
    phase,
    conditions: podConditions({ pod, initStatuses, statuses, phase, sandboxReady, now: timestamp(now) }),
    qosClass: old.qosClass ?? qosClass(spec),
    startTime: old.startTime ?? timestamp(now),
  };
  const hostIP = observed.hostIP ?? old.hostIP;
  if (hostIP) {
    status.hostIP = hostIP;
    status.hostIPs = [{ ip: hostIP }];
  }
  const podIP = sandboxReady ? (sandbox!.hostNetwork ? hostIP : sandbox!.ip) : old.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (inits.length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  if (old.reason) status.reason = old.reason;
  if (old.message) status.message = old.message;
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}

/** Whether a new status says anything the stored one does not. */
export function statusChanged(stored: PodStatus | undefined, next: PodStatus): boolean {
  return !deepEqual(stored ?? {}, next);
}
