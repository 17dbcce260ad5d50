/**
 * The labels every runtime puts on what it creates, how they are read back, and the container
 * spec hash. Labels, not names, are how a restarted agent recognises its containers.
 */
import { createHash } from 'node:crypto';
import { ContainerKind, PodRef } from './runtime';

export const labelKeys = {
  managed: 'berth.managed',
  node: 'berth.node',
  podUid: 'berth.pod.uid',
  podNamespace: 'berth.pod.namespace',
  podName: 'berth.pod.name',
  /** sandbox, init or app. */
  role: 'berth.role',
  containerName: 'berth.container.name',
  specHash: 'berth.container.hash',
  attempt: 'berth.container.attempt',
  image: 'berth.container.image',
  cpuRequest: 'berth.container.cpu-request-millis',
  memoryRequest: 'berth.container.memory-request-bytes',
} as const;

export type Role = 'sandbox' | ContainerKind;

export interface ParsedLabels {
  pod: PodRef;
  role: Role;
  containerName: string;
  specHash: string;
  attempt: number;
  image: string;
}

export function podLabels(node: string, pod: PodRef, role: Role): Record<string, string> {
  return {
    [labelKeys.managed]: 'true',
    [labelKeys.node]: node,
    [labelKeys.podUid]: pod.uid,
    [labelKeys.podNamespace]: pod.namespace,
    [labelKeys.podName]: pod.name,
    [labelKeys.role]: role,
  };
}

/** Reads labels back; undefined for anything that is not a berth container of a pod. */
export function parseLabels(labels: Record<string, string> | undefined): ParsedLabels | undefined {
  if (!labels || labels[labelKeys.managed] !== 'true') return undefined;
  const uid = labels[labelKeys.podUid];
  const role = labels[labelKeys.role];
  if (!uid || (role !== 'sandbox' && role !== 'init' && role !== 'app')) return undefined;
  const attempt = Number(labels[labelKeys.attempt] ?? '0');
  return {
    pod: { uid, namespace: labels[labelKeys.podNamespace] ?? '', name: labels[labelKeys.podName] ?? '' },
    role,
    containerName: labels[labelKeys.containerName] ?? '',
    specHash: labels[labelKeys.specHash] ?? '',
    attempt: Number.isInteger(attempt) && attempt >= 0 ? attempt : 0,
    image: labels[labelKeys.image] ?? '',
  };
}

/** JSON with keys sorted at every level, so equal values always serialise the same way. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A stable hash of a container as the pod spec states it. Key order and absent-versus-undefined
 * fields do not change it; any change of a value does, and then the container is replaced.
 */
export function specHash(container: unknown): string {
  return createHash('sha256').update(canonical(container)).digest('hex').slice(0, 16);
}
