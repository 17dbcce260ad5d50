/**
 * Counting finished pods exactly once, across restarts, as upstream's
 * trackJobStatusAndRemoveFinalizers does with the `batch.kubernetes.io/job-tracking` finalizer:
 *
 *   1. a finished pod still holding the finalizer ──► its uid into status.uncountedTerminatedPods (write)
 *   2. remove the finalizer from those pods
 *   3. uids in uncountedTerminatedPods whose pod has no finalizer left ──► out of the list, into
 *      status.succeeded / status.failed (write)
 *   4. outcome decided, nothing uncounted, nothing terminating ──► Complete / Failed (write, event)
 *
 * A crash between any two steps repeats no count: a pod is counted only by moving its uid out of
 * the list (one status write), and a pod without the finalizer never goes into the list again.
 */
import type { Job, JobCondition, Pod } from '../../src/api/types';
import type { EventType } from '../../src/client';
import { COMPLETE, conditionTrue, ensureCondition, FAILED, FAILURE_TARGET, newCondition, SUCCESS_CRITERIA_MET, timestamp } from './conditions';
import { completionIndexOf, formatIndexes, hasTrackingFinalizer, isPodFailed } from './pods';
import type { JobApi } from './reconciler';

/** The outcome once decided: the interim condition to record, then the final one. */
export interface Decision {
  type: typeof SUCCESS_CRITERIA_MET | typeof FAILURE_TARGET;
  reason: string;
  message: string;
}

export interface Tracking {
  job: Job;
  pods: readonly Pod[];
  decision: Decision | undefined;
  /** Pods whose finalizer removal was sent and not yet seen in the cache. */
  removing: ReadonlySet<string>;
  succeededIndexes: Set<number> | undefined;
  terminating: number;
  needsFlush: boolean;
  now: number;
  api: Pick<JobApi, 'updateStatus' | 'removeTrackingFinalizer'>;
  event(job: Job, type: EventType, reason: string, message: string): void;
  expectFinalizersRemoved(uids: string[]): void;
}

/** Moves uncounted uids whose pods no longer hold the finalizer into the counters. Returns whether anything moved. */
export function countUncounted(job: Job, withFinalizer: ReadonlySet<string>): boolean {
  const status = (job.status ??= {});
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let moved = false;
  for (const outcome of ['succeeded', 'failed'] as const) {
    const uids = uncounted[outcome] ?? [];
    const left = uids.filter((uid) => withFinalizer.has(uid));
    if (left.length === uids.length) continue;
    status[outcome] = (status[outcome] ?? 0) + uids.length - left.length;
    uncounted[outcome] = left;
    moved = true;
  }
  return moved;
}

export async function trackStatus(t: Tracking): Promise<Job> {
  let job = t.job;
  let needsFlush = t.needsFlush;
  const status = (job.status ??= {});
  const uncounted = (status.uncountedTerminatedPods ??= {});
  uncounted.succeeded ??= [];
  uncounted.failed ??= [];
  const held = (p: Pod) => hasTrackingFinalizer(p) && !t.removing.has(p.metadata.uid!);
  const withFinalizer = new Set(t.pods.filter(held).map((p) => p.metadata.uid!));
  if (countUncounted(job, withFinalizer)) needsFlush = true;

  const release: Pod[] = [];
  const completions = job.spec?.completions ?? 0;
  for (const pod of t.pods) {
    if (!held(pod)) continue;
    const uid = pod.metadata.uid!;
    const failed = isPodFailed(pod, job);
    if (!(job.metadata.deletionTimestamp || t.decision || pod.status?.phase === 'Succeeded' || failed)) continue;
    release.push(pod);
    if (pod.status?.phase === 'Succeeded' && !uncounted.failed.includes(uid)) {
      // Indexed Jobs count successes by index (completedIndexes), so no uid needs remembering.
      if (!t.succeededIndexes && !uncounted.succeeded.includes(uid)) {
        uncounted.succeeded.push(uid);
        needsFlush = true;
      }
    } else if (failed || (t.decision && t.decision.type !== SUCCESS_CRITERIA_MET)) {
      // Once the Job has failed, every pod not yet finished counts as failed.
      const index = completionIndexOf(pod);
      const counts = !t.succeededIndexes || (index !== undefined && index < completions);
      if (counts && !uncounted.failed.includes(uid)) {
        uncounted.failed.push(uid);
        needsFlush = true;
      }
    }
  }
  if (t.succeededIndexes) {
    const completed = formatIndexes(t.succeededIndexes);
    if ((status.completedIndexes ?? '') !== completed || status.succeeded !== t.succeededIndexes.size) needsFlush = true;
    status.completedIndexes = completed;
    status.succeeded = t.succeededIndexes.size;
  }

  let final: JobCondition | undefined;
  if (t.decision) {
    if (!conditionTrue(job, t.decision.type)) {
      (status.conditions ??= []).push(newCondition(t.decision.type, t.decision.reason, t.decision.message, t.now));
      needsFlush = true;
    }
    final = newCondition(t.decision.type === FAILURE_TARGET ? FAILED : COMPLETE, t.decision.reason, t.decision.message, t.now);
  }

  // 1: the uncounted uids are stored before any finalizer goes, so a crash cannot lose a count.
  if (needsFlush) {
    job = await t.api.updateStatus(job);
    needsFlush = false;
  }
  // 2: release the pods.
  let error: unknown;
  if (release.length > 0) {
    t.expectFinalizersRemoved(release.map((p) => p.metadata.uid!));
    await Promise.all(
      release.map(async (pod) => {
        try {
          await t.api.removeTrackingFinalizer(pod);
          withFinalizer.delete(pod.metadata.uid!);
        } catch (e) {
          error ??= e;
        }
      }),
    );
  }
  // 3: count them.
  if (countUncounted(job, withFinalizer)) needsFlush = true;
  if (error) {
    if (needsFlush) await t.api.updateStatus(job);
    throw error;
  }
  // 4: finished.
  const left = (job.status?.uncountedTerminatedPods?.succeeded?.length ?? 0) + (job.status?.uncountedTerminatedPods?.failed?.length ?? 0);
  const finished = final !== undefined && left === 0 && t.terminating === 0;
  if (finished) {
    ensureCondition((job.status!.conditions ??= []), final!.type, 'True', final!.reason ?? '', final!.message ?? '', t.now);
    if (final!.type === COMPLETE) job.status!.completionTime = timestamp(t.now);
    needsFlush = true;
  }
  if (needsFlush) job = await t.api.updateStatus(job);
  if (finished) {
    if (final!.type === COMPLETE) {
      const completions = job.spec?.completions;
      if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) t.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      t.event(job, 'Normal', 'Completed', 'Job completed');
    } else t.event(job, 'Warning', final!.reason ?? 'Failed', final!.message ?? 'Job failed');
  }
  return job;
}
