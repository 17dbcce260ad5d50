/**
 * Job conditions as 1.32 writes them: the interim SuccessCriteriaMet / FailureTarget first (the
 * outcome is decided; pods are still being stopped and counted), then Complete / Failed once no
 * pod is left uncounted or terminating.
 */
import type { Job, JobCondition } from '../../src/api/types';

export const COMPLETE = 'Complete';
export const FAILED = 'Failed';
export const SUSPENDED = 'Suspended';
export const SUCCESS_CRITERIA_MET = 'SuccessCriteriaMet';
export const FAILURE_TARGET = 'FailureTarget';

export const BACKOFF_LIMIT_EXCEEDED = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const DEADLINE_EXCEEDED = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
export const COMPLETIONS_REACHED = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function findCondition(job: Job, type: string): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => c.type === type);
}

export function conditionTrue(job: Job, type: string): boolean {
  return findCondition(job, type)?.status === 'True';
}

/** Complete or Failed: nothing more happens to the Job but its TTL. */
export function isFinished(job: Job): boolean {
  return conditionTrue(job, COMPLETE) || conditionTrue(job, FAILED);
}

/** When the Job finished (its Complete or Failed condition's transition), in ms. */
export function finishedTime(job: Job): number | undefined {
  const condition = (job.status?.conditions ?? []).find((c) => (c.type === COMPLETE || c.type === FAILED) && c.status === 'True');
  const at = condition?.lastTransitionTime ?? job.status?.completionTime;
  return at ? Date.parse(at) : undefined;
}

export function newCondition(type: string, reason: string, message: string, now: number): JobCondition {
  return { type, status: 'True', reason, message, lastProbeTime: timestamp(now), lastTransitionTime: timestamp(now) };
}

/**
 * Sets a condition's status, reason and message (upstream's ensureJobConditionStatus): the
 * transition time moves only when the status does. Returns whether anything changed. A False
 * condition that does not exist yet is not added.
 */
export function ensureCondition(conditions: JobCondition[], type: string, status: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    if (status === 'False') return false;
    conditions.push(newCondition(type, reason, message, now));
    return true;
  }
  if (existing.status === status && existing.reason === reason && existing.message === message) return false;
  if (existing.status !== status) existing.lastTransitionTime = timestamp(now);
  existing.status = status;
  existing.reason = reason;
  existing.message = message;
  existing.lastProbeTime = timestamp(now);
  return true;
}
