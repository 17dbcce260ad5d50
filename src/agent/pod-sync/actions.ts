/**
 * What to do next for one pod, decided from its spec and what the runtime holds, as kubelet's
 * computePodActions decides it: create the sandbox, run the init containers one by one, then the
 * app containers; restart by restart policy, on a failed liveness or startup probe, or when a
 * container's spec changed; wait out crash and image-pull backoffs; stop everything when the pod
 * is being deleted or done. Pure: the caller carries the actions out.
 */
import { Container, Pod } from '../../api/types';
import { ContainerInfo, ContainerKind } from '../runtime/runtime';
import { specHash } from '../runtime/labels';
import { BackoffView, crashKey, goDuration, pullKey } from './backoff';
import { ObservedPod, Waiting, currentSandbox, instancesOf, latestInstance } from './observed';

export interface StartAction {
  name: string;
  kind: ContainerKind;
  /** The restart count the new instance carries. */
  attempt: number;
  /** When the start follows an exit: that exit's time, for the caller to step the crash backoff. */
  backoffFrom?: number;
}

export interface KillAction {
  id: string;
  name: string;
  message: string;
}

export interface BackoffWait extends Waiting {
  retryInMs: number;
}

export interface PodActions {
  /** Stop every container and sandbox the pod has (deleted, done, or its sandbox is replaced). */
  killPod: boolean;
  createSandbox?: { attempt: number };
  /** In order: init containers one at a time, app containers all together. */
  start: StartAction[];
  kill: KillAction[];
  /** Dead container instances no longer needed for status or logs --previous. */
  removeContainers: string[];
  removeSandboxes: string[];
  /** Containers held back by a backoff, by name. */
  waiting: Record<string, BackoffWait>;
  /** When the next look is due, if a backoff ends before anything else would trigger one. */
  requeueAfterMs?: number;
}

export interface Backoffs {
  crash: BackoffView;
  pull: BackoffView;
}

const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

/** kubelet's ShouldContainerBeRestarted, for a container that is not running. */
function shouldStart(pod: Pod, latest: ContainerInfo | undefined): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (!latest) return true;
  if (latest.state === 'running') return false;
  if (latest.state === 'created' || latest.state === 'unknown') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && latest.exitCode === 0) return false;
  return true;
}

const podLabel = (pod: Pod) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

function emptyActions(): PodActions {
  return { killPod: false, start: [], kill: [], removeContainers: [], removeSandboxes: [], waiting: {} };
}

export function computePodActions(pod: Pod, observed: ObservedPod, now: number, backoffs: Backoffs): PodActions {
  const actions = emptyActions();
  const spec = pod.spec ?? { containers: [] };
  const uid = pod.metadata.uid ?? '';
  const policy = spec.restartPolicy ?? 'Always';
  const phase = pod.status?.phase;

  collectGarbage(observed, actions);

  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') {
    actions.killPod = true;
    return actions;
  }

  /** Start a container unless a crash or pull backoff holds it back. */
  const startOrWait = (container: Container, kind: ContainerKind): void => {
    const instances = instancesOf(observed, container.name);
    const attempt = instances.length > 0 ? instances[0].attempt + 1 : 0;
    const pullWait = container.image ? backoffs.pull.remainingSinceUpdate(pullKey(uid, container.image), now) : 0;
    if (pullWait > 0) {
      actions.waiting[container.name] = {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${container.image}"`,
        retryInMs: pullWait,
      };
      return;
    }
    const lastExit = instances.find((c) => c.state === 'exited' && c.finishedAt !== undefined);
    if (!lastExit) {
      actions.start.push({ name: container.name, kind, attempt });
      return;
    }
    const key = crashKey(uid, container.name);
    const crashWait = backoffs.crash.remainingSince(key, lastExit.finishedAt!, now);
    if (crashWait > 0) {
      actions.waiting[container.name] = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(backoffs.crash.delay(key))} restarting failed container=${container.name} pod=${podLabel(pod)}`,
        retryInMs: crashWait,
      };
      return;
    }
    actions.start.push({ name: container.name, kind, attempt, backoffFrom: lastExit.finishedAt });
  };

  const sandbox = currentSandbox(observed);
  const hostNetwork = spec.hostNetwork === true;
  const readySandboxes = observed.sandboxes.filter((s) => s.state === 'ready');
  const sandboxChanged =
    !sandbox ||
    sandbox.state !== 'ready' ||
    readySandboxes.length > 1 ||
    sandbox.hostNetwork !== hostNetwork ||
    (!hostNetwork && !sandbox.ip);

  if (sandboxChanged) {
    const attempt = sandbox ? sandbox.attempt + 1 : 0;
    actions.killPod = observed.sandboxes.length > 0 || observed.containers.some((c) => c.state === 'running');
    // A pod that must not restart is not brought back once its containers have run.
    if (policy === 'Never' && attempt !== 0 && observed.containers.length > 0) return finish(actions);
    const toStart = spec.containers.filter((container) => {
      const latest = latestInstance(observed, container.name);
      return !(policy === 'OnFailure' && latest?.state === 'exited' && latest.exitCode === 0);
    });
    // Every container already succeeded: the pod is done, not to be set up again.
    if (toStart.length === 0) return finish(actions);
    actions.createSandbox = { attempt };
    const firstInit = (spec.initContainers ?? [])[0];
    if (firstInit) startOrWait(firstInit, 'init');
    else for (const container of toStart) startOrWait(container, 'app');
    return finish(actions);
  }

  const checkRunning = (container: Container, latest: ContainerInfo, restartAllowed: boolean): boolean => {
    const unhealthy = observed.unhealthy?.[latest.id];
    let message: string;
    let restart = restartAllowed;
    if (latest.specHash !== specHash(container)) {
      message = `Container ${container.name} definition changed`;
      // A changed spec replaces the container whatever the restart policy says.
      restart = true;
    } else if (unhealthy) {
      message = unhealthy;
    } else {
      return true;
    }
    actions.kill.push({ id: latest.id, name: container.name, message: restart ? `${message}, will be restarted` : message });
    if (restart) startOrWait(container, 'app');
    return false;
  };

  // Init containers, in order, each to completion (sidecars: each until it runs).
  const sinceSandbox = (name: string) =>
    instancesOf(observed, name).filter((c) => c.createdAt >= sandbox.createdAt || c.state === 'running');
  for (const init of spec.initContainers ?? []) {
    const latest = sinceSandbox(init.name)[0];
    if (isSidecar(init)) {
      if (latest?.state === 'running') {
        if (checkRunning(init, latest, true)) continue;
        return finish(actions);
      }
      if (latest && (latest.state === 'created' || latest.state === 'unknown')) {
        actions.kill.push({ id: latest.id, name: init.name, message: `Container ${init.name} is in state ${latest.state}` });
      }
      startOrWait(init, 'init');
      return finish(actions);
    }
    if (!latest) {
      startOrWait(init, 'init');
      return finish(actions);
    }
    if (latest.state === 'running') return finish(actions);
    if (latest.state === 'exited' && latest.exitCode === 0) continue;
    if (latest.state === 'exited' && policy === 'Never') {
      // A failed init container fails the whole pod when nothing may restart.
      actions.killPod = true;
      return finish(actions);
    }
    if (latest.state !== 'exited') {
      actions.kill.push({ id: latest.id, name: init.name, message: `Container ${init.name} is in state ${latest.state}` });
    }
    startOrWait(init, 'init');
    return finish(actions);
  }

  let keep = 0;
  for (const container of spec.containers) {
    const latest = latestInstance(observed, container.name);
    if (latest?.state === 'running') {
      if (checkRunning(container, latest, policy !== 'Never')) keep++;
      continue;
    }
    if (latest && (latest.state === 'created' || latest.state === 'unknown')) {
      actions.kill.push({ id: latest.id, name: container.name, message: `Container ${container.name} is in state ${latest.state}` });
    }
    if (shouldStart(pod, latest)) startOrWait(container, 'app');
  }
  for (const init of spec.initContainers ?? []) {
    if (isSidecar(init) && latestInstance(observed, init.name)?.state === 'running') keep++;
  }
  // Nothing runs and nothing will: the pod is done, its sandbox can go.
  if (keep === 0 && actions.start.length === 0 && Object.keys(actions.waiting).length === 0) actions.killPod = true;
  return finish(actions);
}

function finish(actions: PodActions): PodActions {
  const waits = Object.values(actions.waiting).map((w) => w.retryInMs);
  if (waits.length > 0) actions.requeueAfterMs = Math.min(...waits);
  return actions;
}

/**
 * Keeps, per container name, the newest instance and the one before it (lastState and logs
 * --previous); older dead instances go. Sandboxes that stopped and are not the newest go too.
 */
function collectGarbage(observed: ObservedPod, actions: PodActions): void {
  const names = new Set(observed.containers.map((c) => c.name));
  for (const name of names) {
    for (const old of instancesOf(observed, name).slice(2)) {
      if (old.state !== 'running') actions.removeContainers.push(old.id);
    }
  }
  const current = currentSandbox(observed);
  for (const sandbox of observed.sandboxes) {
    if (sandbox !== current && sandbox.state !== 'ready') actions.removeSandboxes.push(sandbox.id);
  }
}
