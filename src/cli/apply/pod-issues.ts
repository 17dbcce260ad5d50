/**
 * What holds a pod back, read from its status as kubelet and the scheduler write it: cannot be
 * placed (PodScheduled=False, Unschedulable), an image that does not pull, a container that
 * keeps crashing, a container that cannot be created, or a pod that failed.
 */
import type { ContainerStatus, Pod } from '../../api/types';

export type IssueKind = 'unschedulable' | 'image' | 'crash' | 'container' | 'failed';

export interface PodIssue {
  kind: IssueKind;
  pod: string;
  container?: string;
  /** Unschedulable, ErrImagePull, ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError, ... */
  reason: string;
  message?: string;
  image?: string;
  restarts?: number;
  /** For a crash: how the last run ended (`exit code 1`, `OOMKilled`). */
  lastExit?: string;
}

const imageReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const containerReasons = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** True when a pull error says the image is not there at all (rather than the registry being away). */
export function imageDoesNotExist(message: string | undefined): boolean {
  return /not found|does not exist|manifest unknown|no such image|pull access denied|repository .* not exist/i.test(message ?? '');
}

function lastExit(status: ContainerStatus): string | undefined {
  const t = status.lastState?.terminated;
  if (!t) return undefined;
  return t.reason && t.reason !== 'Error' ? `${t.reason}, exit code ${t.exitCode}` : `exit code ${t.exitCode}`;
}

export function podIssues(pod: Pod): PodIssue[] {
  const name = pod.metadata.name ?? '';
  const issues: PodIssue[] = [];
  const status = pod.status ?? {};
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (!pod.spec?.nodeName && scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    issues.push({ kind: 'unschedulable', pod: name, reason: 'Unschedulable', message: scheduled.message });
  }
  if (status.phase === 'Failed') issues.push({ kind: 'failed', pod: name, reason: status.reason ?? 'Failed', message: status.message });
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const waiting = c.state?.waiting;
    if (!waiting?.reason) continue;
    const base = { pod: name, container: c.name, reason: waiting.reason, message: waiting.message, image: c.image, restarts: c.restartCount };
    if (imageReasons.has(waiting.reason)) issues.push({ kind: 'image', ...base });
    else if (waiting.reason === 'CrashLoopBackOff') issues.push({ kind: 'crash', ...base, lastExit: lastExit(c) });
    else if (containerReasons.has(waiting.reason)) issues.push({ kind: 'container', ...base });
  }
  return issues;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** One line for an issue, e.g. `web-7d9f-x2k: ImagePullBackOff: Back-off pulling image "nope:1"`. */
export function describeIssue(issue: PodIssue): string {
  const who = issue.container ? `${issue.pod} (${issue.container})` : issue.pod;
  const detail = issue.kind === 'crash' ? `restarted ${issue.restarts ?? 0} times${issue.lastExit ? `, last ${issue.lastExit}` : ''}` : issue.message;
  return `${who}: ${issue.reason}${detail ? `: ${detail}` : ''}`;
}
