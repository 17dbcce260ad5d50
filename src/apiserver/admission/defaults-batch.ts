/**
 * batch/v1 defaults, as upstream's `pkg/apis/batch/v1/defaults.go`, and the selector a Job gets
 * unless it asks to choose its own (`manualSelector`), as upstream's job strategy generates it:
 * the pods carry the job's uid and name under both the `batch.kubernetes.io/` and the legacy
 * label keys, and the selector picks the uid.
 */
import { generateName } from '../../api/names';
import type { CronJob, Job, JobSpec } from '../../api/types';
import { defaultPodTemplate } from './defaults-pod';
import { onKind } from './kinds';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
const INT32_MAX = 2 ** 31 - 1;

export const jobDefaults = onKind('job-defaults', 'batch', 'Job', {
  mutate(obj) {
    const job = obj as Job;
    const spec = job.spec;
    if (!spec) return;
    if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
    spec.parallelism ??= 1;
    spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? INT32_MAX : 6;
    const templateLabels = spec.template.metadata?.labels;
    if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
    spec.manualSelector ??= false;
    defaultJobSpecParts(spec);
    if (!spec.manualSelector) {
      // The job-name label needs the name; a generated one is chosen here, as upstream chooses
      // it before its job strategy runs.
      if (!job.metadata.name && job.metadata.generateName) job.metadata.name = generateName(job.metadata.generateName);
      generateSelector(job);
    }
  },
});

export const cronJobDefaults = onKind('cronjob-defaults', 'batch', 'CronJob', {
  mutate(obj) {
    const spec = (obj as CronJob).spec;
    if (!spec) return;
    if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    if (spec.jobTemplate.spec) defaultJobSpecParts(spec.jobTemplate.spec);
  },
});

/** What every JobSpec gets, in a Job or in a CronJob's template. */
function defaultJobSpecParts(spec: JobSpec): void {
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
  }
  defaultPodTemplate(spec.template);
}

/** Labels the pod template with the job's identity (keeping any the user set) and selects its uid. */
function generateSelector(job: Job): void {
  const spec = job.spec!;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const metadata = (spec.template.metadata ??= {});
  const labels = (metadata.labels ??= {});
  for (const label of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[label] ??= name;
  for (const label of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[label] ??= uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}
