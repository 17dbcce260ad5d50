/** Pods and runtime observations for the pod-sync table tests. */
import { Container, Pod } from '../../api/types';
import { specHash } from '../runtime/labels';
import { ContainerInfo, SandboxInfo } from '../runtime/runtime';
import { ObservedPod } from './observed';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const seconds = (n: number) => n * 1000;

export function pod(spec: Partial<NonNullable<Pod['spec']>> = {}, extra: Partial<Pod> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...(extra.metadata ?? {}) },
    spec: { containers: [{ name: 'app', image: 'berth/busybox:1.35' }], ...spec },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export const ref = { uid: 'uid-1', namespace: 'default', name: 'web' };

export function sandbox(over: Partial<SandboxInfo> = {}): SandboxInfo {
  return { id: 'sandbox-0', pod: ref, attempt: 0, state: 'ready', ip: '10.88.0.5', hostNetwork: false, createdAt: T0, ...over };
}

/** An instance of `container` as the runtime would list it. */
export function instance(container: Container, over: Partial<ContainerInfo> = {}): ContainerInfo {
  const attempt = over.attempt ?? 0;
  return {
    id: `${container.name}-${attempt}`,
    pod: ref,
    name: container.name,
    kind: 'app',
    attempt,
    specHash: specHash(container),
    image: container.image ?? '',
    imageID: 'sha256:abc',
    state: 'running',
    createdAt: T0 + seconds(1) + attempt,
    startedAt: T0 + seconds(1) + attempt,
    ...over,
  };
}

export function exited(container: Container, exitCode: number, finishedAt: number, over: Partial<ContainerInfo> = {}): ContainerInfo {
  return instance(container, { state: 'exited', exitCode, finishedAt, ...over });
}

export function observed(containers: ContainerInfo[], over: Partial<ObservedPod> = {}): ObservedPod {
  return { sandboxes: [sandbox()], containers, hostIP: '192.168.1.10', ...over };
}
