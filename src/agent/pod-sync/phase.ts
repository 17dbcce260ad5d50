/**
 * The pod phase from its container statuses, by the rules of kubelet's getPhase: Pending while
 * an init container has not completed or a container waits for its first start; Running while
 * something runs or restarts; Succeeded or Failed once every container stopped for good.
 */
import { ContainerStatus, Pod } from '../../api/types';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * `podIsTerminal`: the pod will run nothing more (it is being deleted and everything stopped);
 * its phase is then Succeeded or Failed whatever the restart policy.
 * `podHasInitialized`: the pod's Initialized condition was True before, so a sidecar that is
 * restarting does not make it Pending again.
 */
export function getPhase(
  pod: Pod,
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): PodPhase {
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.restartPolicy ?? 'Always';
  const byName = (list: ContainerStatus[], name: string) => list.find((s) => s.name === name);

  let pendingRegularInit = 0;
  let pendingRestartableInit = 0;
  let failedInitialization = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;

  for (const container of spec.initContainers ?? []) {
    const status = byName(initStatuses, container.name);
    if (container.restartPolicy === 'Always') {
      if (!status) {
        unknown++;
      } else if (status.state?.running) {
        if (!status.started) pendingRestartableInit++;
        running++;
      } else if (status.state?.waiting && !status.lastState?.terminated) {
        pendingRestartableInit++;
        waiting++;
      } else if (!status.state?.terminated && !status.state?.waiting) {
        pendingRestartableInit++;
        unknown++;
      }
      continue;
    }
    if (!status || status.state?.running) {
      pendingRegularInit++;
    } else if (status.state?.terminated) {
      if (status.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) {
        if (status.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else {
        pendingRegularInit++;
      }
    } else {
      pendingRegularInit++;
    }
  }

  for (const container of spec.containers) {
    const status = byName(statuses, container.name);
    if (!status) {
      unknown++;
    } else if (status.state?.running) {
      running++;
    } else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else {
      unknown++;
    }
  }

  if (failedInitialization > 0 && policy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    // Everything stopped but will restart.
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
