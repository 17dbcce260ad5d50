/**
 * A Job's pods: how they are made from its template and how they count, as upstream's job
 * controller counts them. Pure.
 */
import type { Container, Job, Pod } from '../../src/api/types';
import { clone } from '../../src/util/json';

/** Held on every pod the controller makes until the pod's outcome is counted in the Job's status. */
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

export const isFinishedPhase = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
export const hasTrackingFinalizer = (pod: Pod): boolean => (pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);
export const isIndexed = (job: Job): boolean => job.spec?.completionMode === 'Indexed';

/** Pending or running, and not on its way out (upstream's FilterActivePods). */
export function isActive(pod: Pod): boolean {
  return !isFinishedPhase(pod) && !pod.metadata.deletionTimestamp;
}

/** Deleted but not finished: a pod the kubelet is still stopping. */
export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp && !isFinishedPhase(pod);
}

export function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Failed, or (unless the Job replaces only failed pods) deleted before succeeding: a deleted pod
 * is a failure of its attempt (upstream's isPodFailed).
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec?.podReplacementPolicy === 'Failed') return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** The pod's completion index, or undefined when it has none or a bad one. */
export function completionIndexOf(pod: Pod): number | undefined {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (text === undefined || !/^[0-9]+$/.test(text)) return undefined;
  return Number(text);
}

/** Container restarts of the pods still running or pending (OnFailure jobs count them against backoffLimit). */
export function restartCount(pods: readonly Pod[]): number {
  let total = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') continue;
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) total += s.restartCount ?? 0;
  }
  return total;
}

/** When the pod finished: its containers' last finishedAt, else when it was marked for deletion. */
export function finishedAt(pod: Pod): number | undefined {
  const times = (pod.status?.containerStatuses ?? []).map((s) => s.state?.terminated?.finishedAt).filter((t): t is string => !!t);
  const latest = times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
  if (latest.length > 0) return Math.max(...latest);
  return pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : undefined;
}

/**
 * The pod the Job runs next: its template with the Job's labels, our finalizer, the Job as its
 * controller, and for Indexed Jobs the index (annotation, label, hostname, JOB_COMPLETION_INDEX).
 */
export function podFromTemplate(job: Job, index?: number): Pod {
  const template = clone(job.spec!.template);
  const name = job.metadata.name!;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace,
      labels: { ...template.metadata?.labels },
      annotations: { ...template.metadata?.annotations },
      finalizers: [...(template.metadata?.finalizers ?? []), TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec,
  };
  if (index !== undefined) {
    pod.metadata.annotations![COMPLETION_INDEX] = String(index);
    pod.metadata.labels![COMPLETION_INDEX] = String(index);
    const spec = pod.spec!;
    if (!spec.hostname) spec.hostname = `${name}-${index}`;
    const withIndex = (c: Container): Container => ({
      ...c,
      env: [
        ...(c.env ?? []).filter((e) => e.name !== COMPLETION_INDEX_ENV),
        { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } },
      ],
    });
    spec.containers = spec.containers.map(withIndex);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndex);
  }
  if (Object.keys(pod.metadata.annotations!).length === 0) delete pod.metadata.annotations;
  return pod;
}

/** Which active pods to delete first when there are too many: unscheduled, then pending, then not ready, then the youngest. */
export function podsForRemoval(pods: readonly Pod[], count: number): Pod[] {
  const rank = (p: Pod): number => (!p.spec?.nodeName ? 0 : p.status?.phase === 'Pending' ? 1 : !isReady(p) ? 2 : 3);
  return [...pods]
    .sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
    .slice(0, Math.max(0, count));
}

/** `1,3-5` for [1, 3, 4, 5] (status.completedIndexes). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The indexes in `1,3-5`, those at or past `limit` dropped. */
export function parseIndexes(text: string | undefined, limit: number): Set<number> {
  const result = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const match = /^([0-9]+)(?:-([0-9]+))?$/.exec(part.trim());
    if (!match) continue;
    const from = Number(match[1]);
    const to = Math.min(match[2] === undefined ? from : Number(match[2]), limit - 1);
    for (let i = from; i <= to; i++) result.add(i);
  }
  return result;
}
