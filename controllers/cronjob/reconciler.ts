/**
 * The CronJob reconciler, after upstream's CronJob controller (v2):
 *
 *   status.active  ◄── jobs it controls: finished ones leave (SawCompletedJob), missing ones leave
 *                      (MissingJob), unfinished ones it forgot come back; lastSuccessfulTime
 *   suspended?     ──► stop here
 *   most recent start time not had yet (warn past 100 missed)
 *     none          ──► wait for the next one
 *     too late      ──► MissSchedule (startingDeadlineSeconds)
 *     had already   ──► (a Job of that slot is active, or lastScheduleTime is it)
 *     Forbid + busy ──► JobAlreadyActive
 *     Replace       ──► delete the active Jobs
 *     create Job `<cronjob>-<minutes since the epoch>` (the name makes a crash-and-retry harmless)
 *   history        ──► delete the oldest finished Jobs past successful/failedJobsHistoryLimit
 *   requeueAfter   ──► the next start time; no polling
 */
import { isAlreadyExists } from '../../src/api/errors';
import type { CronJob, Job, ObjectReference } from '../../src/api/types';
import { controllerOf, EventType, indexes, ObjectCache, Reconciler, Result, requeueAfter } from '../../src/client';
import { clone, deepEqual } from '../../src/util/json';
import { jobFromTemplate, jobName } from './job-template';
import { mostRecentScheduleTime, nextScheduleDelay, parseSchedule, Schedule, TOO_MANY_MISSED } from './schedule';

export interface CronJobApi {
  getCronJob(namespace: string, name: string): Promise<CronJob | undefined>;
  getJob(namespace: string, name: string): Promise<Job | undefined>;
  createJob(job: Job): Promise<Job>;
  /** Deletes the Job and, in the background, its pods; gone already is fine. */
  deleteJob(job: Pick<Job, 'metadata'>): Promise<void>;
  updateStatus(cronJob: CronJob): Promise<CronJob>;
}

export interface CronJobReconcilerOptions {
  cronJobs: ObjectCache<CronJob>;
  jobs: ObjectCache<Job>;
  api: CronJobApi;
  event(cronJob: CronJob, type: EventType, reason: string, message: string): void;
  now?: () => number;
}

type Finished = 'Complete' | 'Failed' | undefined;

function finishedAs(job: Job): Finished {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as Finished;
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function referenceTo(job: Job): ObjectReference {
  return { apiVersion: 'batch/v1', kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion };
}

export class CronJobReconciler implements Reconciler {
  private readonly now: () => number;

  constructor(private readonly options: CronJobReconcilerOptions) {
    this.now = options.now ?? Date.now;
  }

  async reconcile(_ctx: unknown, key: string): Promise<Result | void> {
    const cached = this.options.cronJobs.get(key);
    if (!cached || cached.metadata.deletionTimestamp) return;
    const cronJob = clone(cached) as CronJob;
    const before = clone(cached.status ?? {});
    const children = this.options.jobs.byIndex(indexes.owner, cronJob.metadata.uid ?? '').filter((j) => controllerOf(j)?.uid === cronJob.metadata.uid);
    await this.syncActive(cronJob, children);
    const wait = await this.schedule(cronJob);
    await this.cleanupHistory(cronJob, children);
    if (cronJob.status?.active?.length === 0) delete cronJob.status.active;
    if (before.active?.length === 0) delete before.active;
    if (!deepEqual(before, cronJob.status ?? {})) await this.options.api.updateStatus(cronJob);
    return wait !== undefined ? requeueAfter(Math.max(1, wait)) : undefined;
  }

  /** status.active and lastSuccessfulTime from the Jobs it controls. */
  private async syncActive(cronJob: CronJob, children: Job[]): Promise<void> {
    const status = (cronJob.status ??= {});
    const isActive = (uid?: string) => (status.active ?? []).some((r) => r.uid === uid);
    let live: CronJob | undefined;
    for (const job of children) {
      const finished = finishedAs(job);
      if (!isActive(job.metadata.uid) && !finished) {
        // The cache may not have our own status write yet: ask the server before calling it unexpected.
        live ??= await this.options.api.getCronJob(cronJob.metadata.namespace ?? '', cronJob.metadata.name ?? '');
        const recorded = (live?.status?.active ?? []).some((r) => r.uid === job.metadata.uid);
        // Otherwise created but not recorded (a crash in between), or made by someone for us to adopt.
        if (!recorded) this.options.event(cronJob, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`);
        (status.active ??= []).push(referenceTo(job));
      } else if (isActive(job.metadata.uid) && finished) {
        status.active = (status.active ?? []).filter((r) => r.uid !== job.metadata.uid);
        this.options.event(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${finished}`);
      }
      if (finished === 'Complete' && job.status?.completionTime) {
        const last = status.lastSuccessfulTime ? Date.parse(status.lastSuccessfulTime) : -Infinity;
        if (Date.parse(job.status.completionTime) > last) status.lastSuccessfulTime = job.status.completionTime;
      }
    }
    const known = new Set(children.map((j) => j.metadata.uid));
    for (const ref of [...(status.active ?? [])]) {
      if (known.has(ref.uid)) continue;
      // The cache may lag behind a Job just created: ask the server before dropping it.
      const live = await this.options.api.getJob(ref.namespace ?? cronJob.metadata.namespace ?? '', ref.name ?? '');
      if (live && live.metadata.uid === ref.uid) continue;
      this.options.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
    }
  }

  /** Starts the Job of the most recent missed slot if it should run; returns ms until the next slot. */
  private async schedule(cronJob: CronJob): Promise<number | undefined> {
    const spec = cronJob.spec!;
    const status = cronJob.status!;
    if (spec.suspend === true) return undefined;
    let schedule: Schedule;
    try {
      schedule = parseSchedule(spec.schedule, spec.timeZone);
    } catch (e) {
      // A bad schedule waits for a new spec; retrying cannot fix it.
      this.options.event(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const now = this.now();
    const nextDelay = () => nextScheduleDelay(cronJob, now, schedule);
    const { mostRecent, missed } = mostRecentScheduleTime(cronJob, now, schedule, true);
    if (mostRecent === undefined) {
      // Upstream skips a start time older than startingDeadlineSeconds without a word; say so.
      const unbounded = spec.startingDeadlineSeconds === undefined ? undefined : mostRecentScheduleTime(cronJob, now, schedule, false).mostRecent;
      if (unbounded !== undefined) this.options.event(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(unbounded).toUTCString()}`);
      return nextDelay();
    }
    if (missed > TOO_MANY_MISSED) {
      this.options.event(cronJob, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    if (spec.startingDeadlineSeconds !== undefined && mostRecent + spec.startingDeadlineSeconds * 1000 < now) {
      this.options.event(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(mostRecent).toUTCString()}`);
      return nextDelay();
    }
    const name = jobName(cronJob, mostRecent);
    const alreadyHad = (status.active ?? []).some((r) => r.name === name) || (status.lastScheduleTime !== undefined && Date.parse(status.lastScheduleTime) === mostRecent);
    if (alreadyHad) return nextDelay();
    if (spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      this.options.event(cronJob, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return nextDelay();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        await this.options.api.deleteJob({ metadata: { namespace: ref.namespace, name: ref.name, uid: ref.uid } });
        status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
        this.options.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
      }
    }
    let job: Job;
    try {
      job = await this.options.api.createJob(jobFromTemplate(cronJob, mostRecent));
      this.options.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        this.options.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      }
      // Made before a crash or by another controller: take it as ours if it is.
      const existing = await this.options.api.getJob(cronJob.metadata.namespace ?? '', name);
      if (!existing || controllerOf(existing)?.uid !== cronJob.metadata.uid) return nextDelay();
      job = existing;
    }
    if (!(status.active ?? []).some((r) => r.uid === job.metadata.uid)) (status.active ??= []).push(referenceTo(job));
    status.lastScheduleTime = timestamp(mostRecent);
    return nextDelay();
  }

  /** Deletes the oldest finished Jobs past the history limits (upstream's cleanupFinishedJobs). */
  private async cleanupHistory(cronJob: CronJob, children: Job[]): Promise<void> {
    const limits: Array<[Finished, number | undefined]> = [
      ['Complete', cronJob.spec?.successfulJobsHistoryLimit],
      ['Failed', cronJob.spec?.failedJobsHistoryLimit],
    ];
    for (const [outcome, limit] of limits) {
      if (limit === undefined) continue;
      const finished = children.filter((j) => finishedAs(j) === outcome && !j.metadata.deletionTimestamp).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        await this.options.api.deleteJob(job);
        if (cronJob.status?.active) cronJob.status.active = cronJob.status.active.filter((r) => r.uid !== job.metadata.uid);
        this.options.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
      }
    }
  }
}

/** Oldest start first; Jobs not started yet last; names break ties (upstream's byJobStartTime). */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa || !sb) return sa ? -1 : sb ? 1 : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  return Date.parse(sa) - Date.parse(sb) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
