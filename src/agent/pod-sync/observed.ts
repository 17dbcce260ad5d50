/**
 * What the agent knows about one pod besides its spec: the runtime's sandboxes and containers
 * (every instance still kept, for restart counts and lastState), why the last sync could not
 * start a container, and which containers failed liveness or startup probes.
 */
import { Pod } from '../../api/types';
import { ContainerInfo, PodRef, SandboxInfo } from '../runtime/runtime';

export interface Waiting {
  reason: string;
  message?: string;
}

export interface ObservedPod {
  sandboxes: SandboxInfo[];
  containers: ContainerInfo[];
  /** The node's address: hostIP, and podIP for hostNetwork pods. */
  hostIP?: string;
  /** Why a container is not running, from the last sync (ErrImagePull, CrashLoopBackOff, ...). */
  waiting?: Record<string, Waiting>;
  /** Containers (by id) whose liveness or startup probe failed, with the message to kill them with. */
  unhealthy?: Record<string, string>;
}

export const emptyObserved = (hostIP?: string): ObservedPod => ({ sandboxes: [], containers: [], hostIP });

export function podRef(pod: Pod): PodRef {
  return { uid: pod.metadata.uid ?? '', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '' };
}

/** Newest first: by attempt, then by creation. */
function newestFirst<T extends { attempt: number; createdAt: number }>(a: T, b: T): number {
  return b.attempt - a.attempt || b.createdAt - a.createdAt;
}

/** The sandbox the pod runs in now: the newest one. */
export function currentSandbox(observed: ObservedPod): SandboxInfo | undefined {
  return [...observed.sandboxes].sort(newestFirst)[0];
}

/** Every kept instance of a container, newest first. */
export function instancesOf(observed: ObservedPod, name: string): ContainerInfo[] {
  return observed.containers.filter((c) => c.name === name).sort(newestFirst);
}

export function latestInstance(observed: ObservedPod, name: string): ContainerInfo | undefined {
  return instancesOf(observed, name)[0];
}

/** Groups a runtime's full listing by pod uid. */
export function groupByPod(sandboxes: SandboxInfo[], containers: ContainerInfo[]): Map<string, ObservedPod> {
  const pods = new Map<string, ObservedPod>();
  const entry = (uid: string): ObservedPod => {
    let observed = pods.get(uid);
    if (!observed) pods.set(uid, (observed = emptyObserved()));
    return observed;
  };
  for (const sandbox of sandboxes) entry(sandbox.pod.uid).sandboxes.push(sandbox);
  for (const container of containers) entry(container.pod.uid).containers.push(container);
  return pods;
}
