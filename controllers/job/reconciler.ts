/**
 * The Job reconciler, after upstream's syncJob:
 *
 *   job gone        ──► release our finalizer from the pods it left
 *   job finished    ──► release finalizers; delete the Job once ttlSecondsAfterFinished passed
 *   otherwise       count pods (status + not-yet-counted finished pods)
 *                   decide: failed > backoffLimit / past activeDeadlineSeconds ──► FailureTarget
 *                           succeeded ≥ completions (none active)              ──► SuccessCriteriaMet
 *                   decided? stop the active pods   else: create / delete pods towards
 *                   min(parallelism, completions − succeeded), after the failure backoff
 *                   tracking.ts: count finished pods exactly once, then Complete / Failed
 *
 * Expectations hold creations in flight, so a cache that has not seen our own pods yet never
 * makes the controller create more.
 */
import type { Job, Pod } from '../../src/api/types';
import { controllerOf, EventType, Expectations, indexes, ObjectCache, Reconciler, Result, requeueAfter, splitKey } from '../../src/client';
import { clone } from '../../src/util/json';
import { BACKOFF_LIMIT_EXCEEDED, DEADLINE_EXCEEDED, ensureCondition, FAILURE_TARGET, findCondition, finishedTime, isFinished, SUCCESS_CRITERIA_MET, SUSPENDED, timestamp, COMPLETIONS_REACHED } from './conditions';
import {
  completionIndexOf,
  finishedAt,
  hasTrackingFinalizer,
  isActive,
  isIndexed,
  isPodFailed,
  isReady,
  isTerminating,
  JOB_NAME_LABEL,
  parseIndexes,
  podFromTemplate,
  podsForRemoval,
  restartCount,
} from './pods';
import { Decision, trackStatus } from './tracking';

/** Upstream's maximum pod failure backoff. */
const MAX_BACKOFF_MS = 6 * 60_000;

export interface JobApi {
  createPod(pod: Pod): Promise<Pod>;
  /** Deletes the pod (keeping its finalizers); gone already is fine. */
  deletePod(pod: Pod): Promise<void>;
  /** Removes our tracking finalizer from the pod; gone already is fine. */
  removeTrackingFinalizer(pod: Pod): Promise<void>;
  updateStatus(job: Job): Promise<Job>;
  /** Deletes the Job if it is still the one with this uid; gone already is fine. */
  deleteJob(job: Job): Promise<void>;
}

export interface JobReconcilerOptions {
  jobs: ObjectCache<Job>;
  pods: ObjectCache<Pod>;
  api: JobApi;
  expectations: Expectations;
  event(job: Job, type: EventType, reason: string, message: string): void;
  now?: () => number;
  /** The delay before replacing the first failed pod; it doubles per failure since the last success (default 10 s). */
  podBackoffMs?: number;
}

export class JobReconciler implements Reconciler {
  /** Per Job key: pods whose finalizer we removed, until the cache shows it gone (upstream's finalizerExpectations). */
  private readonly finalizersRemoved = new Map<string, Set<string>>();
  private readonly now: () => number;

  constructor(private readonly options: JobReconcilerOptions) {
    this.now = options.now ?? Date.now;
  }

  async reconcile(_ctx: unknown, key: string): Promise<Result | void> {
    const cached = this.options.jobs.get(key);
    if (!cached) {
      this.options.expectations.forget(key);
      this.finalizersRemoved.delete(key);
      await this.releaseOrphans(key);
      return;
    }
    const pods = this.options.pods.byIndex(indexes.owner, cached.metadata.uid ?? '').filter((p) => controllerOf(p)?.uid === cached.metadata.uid);
    const removing = this.settleFinalizerExpectations(key, pods);
    if (isFinished(cached)) {
      await Promise.all(pods.filter(hasTrackingFinalizer).map((p) => this.options.api.removeTrackingFinalizer(p)));
      return this.expireAfterTtl(cached);
    }
    return this.sync(key, clone(cached) as Job, pods, removing);
  }

  private async sync(key: string, job: Job, pods: Pod[], removing: Set<string>): Promise<Result | void> {
    const now = this.now();
    const spec = job.spec!;
    const status = (job.status ??= {});
    const before = { active: status.active, ready: status.ready, terminating: status.terminating, startTime: status.startTime };
    const satisfied = this.options.expectations.satisfied(key);
    const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
    const tracked = (p: Pod) => hasTrackingFinalizer(p) && !removing.has(p.metadata.uid ?? '');
    const active = pods.filter(isActive);
    let activeCount = active.length;
    let ready = active.filter(isReady).length;
    let terminating = pods.filter(isTerminating).length;
    const newSucceeded = pods.filter((p) => tracked(p) && p.status?.phase === 'Succeeded' && !uncounted.succeeded.has(p.metadata.uid!));
    const newFailed = pods.filter((p) => tracked(p) && isPodFailed(p, job) && !uncounted.failed.has(p.metadata.uid!));
    const completions = spec.completions;
    const succeededIndexes = isIndexed(job) ? this.succeededIndexes(job, pods) : undefined;
    const succeeded = succeededIndexes ? succeededIndexes.size : (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size;
    const failed = (status.failed ?? 0) + newFailed.length + uncounted.failed.size;
    const suspended = spec.suspend === true;
    if (!status.startTime && !suspended) status.startTime = timestamp(now);

    let decision: Decision | undefined;
    let suspendChanged = false;
    let requeue: number | undefined;
    const recorded = [SUCCESS_CRITERIA_MET, FAILURE_TARGET].map((t) => findCondition(job, t)).find((c) => c?.status === 'True');
    if (recorded) decision = { type: recorded.type as Decision['type'], reason: recorded.reason ?? '', message: recorded.message ?? '' };
    else if (failed > (spec.backoffLimit ?? 6) || this.pastBackoffLimitOnFailure(job, pods)) decision = { type: FAILURE_TARGET, ...BACKOFF_LIMIT_EXCEEDED };
    else if (this.pastActiveDeadline(job, now)) decision = { type: FAILURE_TARGET, ...DEADLINE_EXCEEDED };
    else if (spec.activeDeadlineSeconds !== undefined && !suspended && status.startTime) requeue = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now;

    if (decision) {
      const stopped = await this.deletePods(job, active, false);
      // Finished only once every pod is stopped and the cache has caught up with our own writes.
      if (stopped.deleted !== activeCount || !satisfied) decision = undefined;
      activeCount -= stopped.deleted;
      terminating += stopped.deleted;
      ready -= stopped.ready;
      if (stopped.error) throw stopped.error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const outcome = await this.manage(key, job, pods, active, succeeded, succeededIndexes);
        activeCount = outcome.active;
        terminating += outcome.terminating;
        ready -= outcome.ready;
        if (outcome.requeueAfter !== undefined) requeue = Math.min(requeue ?? Infinity, outcome.requeueAfter);
        managed = true;
      }
      const complete = completions === undefined ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
      if (complete) decision = { type: SUCCESS_CRITERIA_MET, ...COMPLETIONS_REACHED };
      else if (managed) suspendChanged = this.suspendCondition(job, suspended, now);
    }
    status.active = activeCount;
    status.ready = ready;
    status.terminating = terminating;
    const changed = suspendChanged || before.active !== status.active || before.ready !== status.ready || before.terminating !== status.terminating || before.startTime !== status.startTime;
    await trackStatus({
      job,
      pods,
      decision,
      removing,
      succeededIndexes,
      terminating,
      needsFlush: changed,
      now,
      api: this.options.api,
      event: this.options.event,
      expectFinalizersRemoved: (uids) => this.expectFinalizersRemoved(key, uids),
    });
    return requeue !== undefined && requeue > 0 ? requeueAfter(requeue) : undefined;
  }

  /** Suspended=True while suspended; False (JobResumed) after, with the start time reset as upstream does. Returns whether it changed. */
  private suspendCondition(job: Job, suspended: boolean, now: number): boolean {
    const conditions = (job.status!.conditions ??= []);
    if (suspended) {
      if (!ensureCondition(conditions, SUSPENDED, 'True', 'JobSuspended', 'Job suspended', now)) return false;
      this.options.event(job, 'Normal', 'Suspended', 'Job suspended');
      return true;
    }
    if (!ensureCondition(conditions, SUSPENDED, 'False', 'JobResumed', 'Job resumed', now)) return false;
    this.options.event(job, 'Normal', 'Resumed', 'Job resumed');
    // activeDeadlineSeconds counts the time the Job is continuously active.
    job.status!.startTime = timestamp(now);
    return true;
  }

  /** Creates or deletes pods towards the wanted number of active ones. */
  private async manage(key: string, job: Job, pods: Pod[], active: Pod[], succeeded: number, succeededIndexes: Set<number> | undefined): Promise<{ active: number; terminating: number; ready: number; requeueAfter?: number }> {
    const spec = job.spec!;
    if (spec.suspend === true) {
      const removed = await this.deletePods(job, active, true, key);
      if (removed.error) throw removed.error;
      return { active: active.length - removed.deleted, terminating: removed.deleted, ready: removed.ready };
    }
    const parallelism = spec.parallelism ?? 1;
    let want = spec.completions === undefined ? (succeeded > 0 ? active.length : parallelism) : Math.min(spec.completions - succeeded, parallelism);
    want = Math.max(0, want);
    if (active.length > want) {
      const removed = await this.deletePods(job, podsForRemoval(active, active.length - want), true, key);
      if (removed.error) throw removed.error;
      return { active: active.length - removed.deleted, terminating: removed.deleted, ready: removed.ready };
    }
    if (active.length === want) return { active: active.length, terminating: 0, ready: 0 };
    const wait = this.backoffRemaining(job, pods);
    if (wait > 0) return { active: active.length, terminating: 0, ready: 0, requeueAfter: wait };
    let toCreate: Array<number | undefined>;
    if (succeededIndexes) {
      const busy = new Set([...active.map(completionIndexOf), ...succeededIndexes]);
      toCreate = [];
      for (let i = 0; i < (spec.completions ?? 0) && toCreate.length < want - active.length; i++) if (!busy.has(i)) toCreate.push(i);
    } else toCreate = Array.from({ length: want - active.length }, () => undefined);
    const created = await this.createPods(key, job, toCreate);
    return { active: active.length + created, terminating: 0, ready: 0 };
  }

  /** Creates in slow-start batches (1, 2, 4 ...) so a template the server refuses fails once, not N times. */
  private async createPods(key: string, job: Job, toCreate: Array<number | undefined>): Promise<number> {
    const { expectations, api, event } = this.options;
    expectations.expectCreations(key, toCreate.length);
    let created = 0;
    for (let batch = 1, offset = 0; offset < toCreate.length; offset += batch, batch *= 2) {
      const slice = toCreate.slice(offset, offset + batch);
      const results = await Promise.allSettled(slice.map((index) => api.createPod(podFromTemplate(job, index))));
      let error: unknown;
      for (const r of results) {
        if (r.status === 'fulfilled') {
          created++;
          event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        } else {
          error ??= r.reason;
          expectations.creationObserved(key);
          event(job, 'Warning', 'FailedCreate', `Error creating: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
        }
      }
      if (error) {
        // The creations never sent will never be observed either.
        for (let i = offset + slice.length; i < toCreate.length; i++) expectations.creationObserved(key);
        throw error;
      }
    }
    return created;
  }

  /**
   * Deletes pods. `release` first removes our finalizer (pods removed on purpose, suspended or
   * scaled down, are not failures); without it the finalizer stays so tracking counts them.
   */
  private async deletePods(job: Job, pods: Pod[], release: boolean, key?: string): Promise<{ deleted: number; ready: number; error?: unknown }> {
    if (key && pods.length > 0) this.options.expectations.expectDeletions(key, pods.map((p) => p.metadata.uid!));
    let deleted = 0;
    let ready = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          if (release && hasTrackingFinalizer(pod)) await this.options.api.removeTrackingFinalizer(pod);
          await this.options.api.deletePod(pod);
          deleted++;
          if (isReady(pod)) ready++;
          this.options.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (e) {
          if (key) this.options.expectations.deletionObserved(key, pod.metadata.uid!);
          error ??= e;
        }
      }),
    );
    return { deleted, ready, error };
  }

  /** Drops uids from the finalizer expectations once the cache shows the finalizer (or the pod) gone; returns those still expected. */
  private settleFinalizerExpectations(key: string, pods: Pod[]): Set<string> {
    const removing = this.finalizersRemoved.get(key) ?? new Set<string>();
    this.finalizersRemoved.set(key, removing);
    const withFinalizer = new Set(pods.filter(hasTrackingFinalizer).map((p) => p.metadata.uid!));
    for (const uid of removing) if (!withFinalizer.has(uid)) removing.delete(uid);
    return removing;
  }

  /** Records the finalizer removals about to be sent, for `settleFinalizerExpectations`. */
  private expectFinalizersRemoved(key: string, uids: string[]): void {
    const removing = this.finalizersRemoved.get(key) ?? new Set<string>();
    for (const uid of uids) removing.add(uid);
    this.finalizersRemoved.set(key, removing);
  }

  private succeededIndexes(job: Job, pods: Pod[]): Set<number> {
    const completions = job.spec?.completions ?? 0;
    const result = parseIndexes(job.status?.completedIndexes, completions);
    for (const pod of pods) {
      const index = completionIndexOf(pod);
      if (pod.status?.phase === 'Succeeded' && index !== undefined && index < completions) result.add(index);
    }
    return result;
  }

  /** OnFailure pods restart in place: their restarts count against backoffLimit (upstream's pastBackoffLimitOnFailure). */
  private pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
    if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
    const restarts = restartCount(pods);
    const limit = job.spec.backoffLimit ?? 6;
    return limit === 0 ? restarts > 0 : restarts >= limit;
  }

  private pastActiveDeadline(job: Job, now: number): boolean {
    const seconds = job.spec?.activeDeadlineSeconds;
    if (seconds === undefined || !job.status?.startTime || job.spec?.suspend === true) return false;
    return now - Date.parse(job.status.startTime) >= seconds * 1000;
  }

  /** How long to wait before replacing failed pods: base × 2^(failures since the last success − 1), at most 6 minutes, from the last failure. */
  private backoffRemaining(job: Job, pods: Pod[]): number {
    const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === 'Succeeded').map((p) => finishedAt(p) ?? 0));
    const failures = pods.filter((p) => isPodFailed(p, job)).map(finishedAt).filter((t): t is number => t !== undefined && t > lastSuccess);
    if (failures.length === 0) return 0;
    const delay = Math.min((this.options.podBackoffMs ?? 10_000) * 2 ** (failures.length - 1), MAX_BACKOFF_MS);
    return Math.max(...failures) + delay - this.now();
  }

  private async expireAfterTtl(job: Job): Promise<Result | void> {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    const finished = finishedTime(job);
    if (ttl === undefined || finished === undefined) return;
    const remaining = finished + ttl * 1000 - this.now();
    if (remaining > 0) return requeueAfter(remaining);
    await this.options.api.deleteJob(job);
  }

  /** A deleted Job's pods would keep our finalizer forever: release them. */
  private async releaseOrphans(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const orphans = this.options.pods
      .list({ namespace, labelSelector: `${JOB_NAME_LABEL}=${name}` })
      .filter((p) => hasTrackingFinalizer(p) && controllerOf(p)?.kind === 'Job' && controllerOf(p)?.name === name);
    await Promise.all(orphans.map((p) => this.options.api.removeTrackingFinalizer(p)));
  }
}
