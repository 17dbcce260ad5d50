/**
 * `describe` for Deployments, ReplicaSets, Jobs and CronJobs, as kubectl's describers write them.
 */
import type { CronJob, Deployment, Event, Job, ReplicaSet } from '../../../api/types';
import { humanDuration } from '../../../util/duration';
import { describeEvents } from '../events';
import { describePodTemplate } from './pod';
import { annotationsMultiline, controllerOf, DescribeWriter, formatLabelSelector, labelsMultiline, rfc1123 } from './writer';

type Condition = { type: string; status: string; reason?: string };

function conditions(w: DescribeWriter, list: Condition[] | undefined): void {
  if (!list?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of list) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

const replicaSetsText = (sets: ReplicaSet[]): string =>
  sets.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ') || '<none>';

const selectorText = (selector: Parameters<typeof formatLabelSelector>[0]): string => {
  const text = formatLabelSelector(selector);
  return text === '<none>' ? '' : text;
};

export function describeDeployment(d: Deployment, replicaSets: { current?: ReplicaSet; old: ReplicaSet[] }, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const status = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', d.metadata.labels);
  annotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${selectorText(d.spec?.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${d.spec?.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${d.spec?.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  const rolling = d.spec?.strategy?.rollingUpdate;
  if (rolling) w.write(0, `RollingUpdateStrategy:\t${rolling.maxUnavailable ?? ''} max unavailable, ${rolling.maxSurge ?? ''} max surge\n`);
  describePodTemplate(w, d.spec?.template);
  conditions(w, status.conditions);
  if (replicaSets.current || replicaSets.old.length > 0) {
    w.write(0, `OldReplicaSets:\t${replicaSetsText(replicaSets.old)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSetsText(replicaSets.current ? [replicaSets.current] : [])}\n`);
  }
  describeEvents(w, events);
  return w.toString();
}

export interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

export function describeReplicaSet(rs: ReplicaSet, pods: PodCounts, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', rs.metadata.labels);
  annotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const controlledBy = controllerOf(rs.metadata);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${pods.running} Running / ${pods.waiting} Waiting / ${pods.succeeded} Succeeded / ${pods.failed} Failed\n`);
  describePodTemplate(w, rs.spec?.template);
  conditions(w, rs.status?.conditions);
  describeEvents(w, events);
  return w.toString();
}

export function describeJob(job: Job, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const spec = job.spec;
  const status = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${selectorText(spec?.selector)}\n`);
  labelsMultiline(w, 'Labels', job.metadata.labels);
  annotationsMultiline(w, 'Annotations', job.metadata.annotations);
  const controlledBy = controllerOf(job.metadata);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (spec?.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec?.completions ?? '<unset>'}\n`);
  if (spec?.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec?.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec?.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec?.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123(status.startTime)}\n`);
  if (status.completionTime) w.write(0, `Completed At:\t${rfc1123(status.completionTime)}\n`);
  if (status.startTime && status.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(status.completionTime) - Date.parse(status.startTime))}\n`);
  if (spec?.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = status.ready === undefined ? '' : ` (${status.ready} Ready)`;
  w.write(0, `Pods Statuses:\t${status.active ?? 0} Active${ready} / ${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed\n`);
  if (spec?.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${status.completedIndexes || '<none>'}\n`);
  describePodTemplate(w, spec?.template);
  describeEvents(w, events);
  return w.toString();
}

export function describeCronJob(cronJob: CronJob, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const spec = cronJob.spec;
  const unset = (v: unknown, suffix = '') => (v === undefined ? '<unset>' : `${v}${suffix}`);
  w.write(0, `Name:\t${cronJob.metadata.name}\n`);
  w.write(0, `Namespace:\t${cronJob.metadata.namespace ?? ''}\n`);
  labelsMultiline(w, 'Labels', cronJob.metadata.labels);
  annotationsMultiline(w, 'Annotations', cronJob.metadata.annotations);
  w.write(0, `Schedule:\t${spec?.schedule ?? ''}\n`);
  w.write(0, `Concurrency Policy:\t${spec?.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${spec?.suspend === undefined ? '<unset>' : spec?.suspend ? 'True' : 'False'}\n`);
  w.write(0, `Successful Job History Limit:\t${unset(spec?.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${unset(spec?.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${unset(spec?.startingDeadlineSeconds, 's')}\n`);
  const job = spec?.jobTemplate?.spec;
  w.write(0, `Selector:\t${job?.selector ? selectorText(job.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${unset(job?.parallelism)}\n`);
  w.write(0, `Completions:\t${unset(job?.completions)}\n`);
  if (job?.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${job.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, job?.template);
  w.write(0, `Last Schedule Time:\t${cronJob.status?.lastScheduleTime ? rfc1123(cronJob.status.lastScheduleTime) : '<unset>'}\n`);
  w.write(0, `Active Jobs:\t${(cronJob.status?.active ?? []).map((j) => j.name).join(', ') || '<none>'}\n`);
  describeEvents(w, events);
  return w.toString();
}
