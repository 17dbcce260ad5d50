/**
 * batch/v1 Job and CronJob (upstream's batch validation): the generated selector and labels, the
 * counts, a template whose pods restart OnFailure or Never, what may not change once a Job exists
 * (selector, template, completions...), status counts, and a CronJob's schedule and time zone.
 */
import type { Cause } from '../../api/errors';
import { isDNS1123Label } from '../../api/names';
import type { CronJob, Job, JobSpec, JobStatus, PodTemplateSpec } from '../../api/types';
import { clone, deepEqual } from '../../util/json';
import { child, duplicate, immutable, index, invalid, key, nonNegative, notSupported, required } from './field-errors';
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL } from './defaults-batch';
import { onKind } from './kinds';
import { isKnownTimeZone, scheduleProblem } from './cron-schedule';
import { labelSelectorCauses, renderSelector, selects } from './validate-common';
import { podTemplateCauses } from './validate-pod-spec';

/** The CronJob controller appends an 11-character suffix to job names, which may have 63. */
const CRONJOB_NAME_MAX_LENGTH = 52;
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;
const same = (a: unknown, b: unknown): boolean => deepEqual(a ?? null, b ?? null);

export const jobValidation = onKind('job-validation', 'batch', 'Job', {
  validate(obj, { operation, old, subresource }) {
    const job = obj as Job;
    if (subresource === 'status') return jobStatusCauses(job.status, 'status');
    const spec = job.spec;
    if (!spec) return [required('spec')];
    const previous = old as Job | undefined;
    // Jobs created before the prefixed labels existed keep validating without them, as upstream.
    const prefixedLabels = !previous || [CONTROLLER_UID_LABEL, JOB_NAME_LABEL].every((l) => previous.spec?.template.metadata?.labels?.[l] !== undefined);
    const causes = [...generatedSelectorCauses(job, prefixedLabels), ...jobSpecCauses(spec, 'spec')];
    if (spec.selector) causes.push(...labelSelectorCauses(spec.selector, 'spec.selector'));
    else causes.push(required('spec.selector'));
    if (spec.selector && !selects(spec.selector, spec.template.metadata?.labels)) {
      causes.push(invalid('spec.template.metadata.labels', spec.template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
    }
    const completions = spec.completions ?? 0;
    if (spec.completionMode === 'Indexed' && completions > 0) {
      const hostname = `${job.metadata.name}-${completions - 1}`;
      if (isDNS1123Label(hostname).length > 0) {
        causes.push(invalid('metadata.name', job.metadata.name, `will not able to create pod with invalid DNS label: ${hostname}`));
      }
    }
    if (operation === 'UPDATE' && previous?.spec) causes.push(...jobUpdateCauses(spec, previous));
    return causes;
  },
});

export const cronJobValidation = onKind('cronjob-validation', 'batch', 'CronJob', {
  validate(obj, { operation, old }) {
    const cronJob = obj as CronJob;
    const spec = cronJob.spec;
    if (!spec) return [required('spec')];
    const previous = (old as CronJob | undefined)?.spec;
    const causes: Cause[] = [];
    const name = cronJob.metadata.name ?? '';
    if (operation === 'CREATE' && name.length > CRONJOB_NAME_MAX_LENGTH) {
      causes.push(invalid('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX_LENGTH} characters`));
    }
    if (!spec.schedule) causes.push(required('spec.schedule'));
    else causes.push(...scheduleCauses(spec.schedule, spec.timeZone, previous?.schedule));
    causes.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
    if (!previous || !same(previous.timeZone, spec.timeZone)) causes.push(...timeZoneCauses(spec.timeZone, 'spec.timeZone'));
    causes.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
    causes.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
    const template = spec.jobTemplate.spec;
    const at = 'spec.jobTemplate.spec';
    if (!template) return [...causes, required(at)];
    causes.push(...jobSpecCauses(template, at));
    if (template.selector) causes.push(invalid(child(at, 'selector'), renderSelector(template.selector), '`selector` will be auto-generated'));
    if (template.manualSelector) causes.push(notSupported(child(at, 'manualSelector'), true, ['nil', 'false']));
    return causes;
  },
});

/** Without manualSelector, the template carries the job's uid and name and the selector picks them. */
function generatedSelectorCauses(job: Job, prefixedLabels: boolean): Cause[] {
  const spec = job.spec!;
  if (spec.manualSelector || !spec.selector) return [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  const causes: Cause[] = uid ? [] : [required('metadata.uid')];
  const expected: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (prefixedLabels) Object.assign(expected, { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name });
  const labels = spec.template.metadata?.labels ?? {};
  for (const [label, value] of Object.entries(expected)) {
    const at = key('spec.template.metadata.labels', label);
    if (labels[label] === undefined) causes.push(required(at, value));
    else if (labels[label] !== value) causes.push(invalid(at, labels, `must be '${value}'`));
  }
  if (!selects(spec.selector, expected)) causes.push(invalid('spec.selector', renderSelector(spec.selector), '`selector` not auto-generated'));
  return causes;
}

/** What a Job and a CronJob's job template share (upstream's validateJobSpec). */
function jobSpecCauses(spec: JobSpec, path: string): Cause[] {
  const causes = (['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const).flatMap(
    (field) => nonNegative(spec[field], child(path, field)),
  );
  const indexed = spec.completionMode === 'Indexed';
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) {
    causes.push(required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (indexed && spec.completions === undefined) causes.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
  if (!indexed) {
    if (spec.backoffLimitPerIndex !== undefined) causes.push(invalid(child(path, 'backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) causes.push(invalid(child(path, 'maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
    if (spec.successPolicy) causes.push(invalid(child(path, 'successPolicy'), spec.successPolicy, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy && spec.podReplacementPolicy !== undefined && spec.podReplacementPolicy !== 'Failed') {
    causes.push(notSupported(child(path, 'podReplacementPolicy'), spec.podReplacementPolicy, ['Failed']));
  }
  causes.push(...podTemplateCauses(spec.template, child(path, 'template')));
  const restartPolicy = spec.template.spec?.restartPolicy;
  const restartPath = child(path, 'template.spec.restartPolicy');
  if (restartPolicy === 'Always' || !restartPolicy) causes.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') causes.push(notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && restartPolicy !== 'Never') causes.push(invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  return causes;
}

/** Fields fixed once a Job exists; a suspended job that never started may still move its pods. */
function jobUpdateCauses(spec: JobSpec, previous: Job): Cause[] {
  const old = previous.spec!;
  const causes: Cause[] = [];
  if (spec.completionMode !== 'Indexed') causes.push(...immutable(spec.completions, old.completions, 'spec.completions', same));
  else if (!same(spec.completions, old.completions) && spec.completions !== undefined && spec.completions !== spec.parallelism) {
    causes.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  if (!same(spec.selector, old.selector)) causes.push(invalid('spec.selector', spec.selector ? renderSelector(spec.selector) : null, 'field is immutable'));
  const schedulable = Boolean(old.suspend) && !previous.status?.startTime;
  causes.push(...immutable(spec.template, comparableTemplate(old.template, spec.template, schedulable), 'spec.template', same));
  for (const field of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
    causes.push(...immutable(spec[field], old[field], child('spec', field), same));
  }
  return causes;
}

/** The old template, with what a suspended, never-started job may change taken from the new one. */
function comparableTemplate(old: PodTemplateSpec, next: PodTemplateSpec, schedulable: boolean): PodTemplateSpec {
  if (!schedulable) return old;
  const copy = clone(old);
  const metadata = (copy.metadata ??= {});
  metadata.labels = next.metadata?.labels;
  metadata.annotations = next.metadata?.annotations;
  if (copy.spec && next.spec) {
    copy.spec.nodeSelector = next.spec.nodeSelector;
    copy.spec.tolerations = next.spec.tolerations;
    copy.spec.schedulingGates = next.spec.schedulingGates;
    if (next.spec.affinity || copy.spec.affinity) copy.spec.affinity = { ...copy.spec.affinity, nodeAffinity: next.spec.affinity?.nodeAffinity };
    if (copy.spec.affinity && Object.values(copy.spec.affinity).every((v) => v === undefined) && !next.spec.affinity) delete copy.spec.affinity;
  }
  return copy;
}

function jobStatusCauses(status: JobStatus | undefined, path: string): Cause[] {
  if (!status) return [];
  const causes = (['active', 'succeeded', 'failed', 'ready', 'terminating'] as const).flatMap((field) => nonNegative(status[field], child(path, field)));
  const seen = new Set<string>();
  for (const outcome of ['succeeded', 'failed'] as const) {
    (status.uncountedTerminatedPods?.[outcome] ?? []).forEach((uid, i) => {
      const at = index(child(child(path, 'uncountedTerminatedPods'), outcome), i);
      if (!uid) causes.push(invalid(at, uid, 'must not be empty'));
      else if (seen.has(uid)) causes.push(duplicate(at, uid));
      else seen.add(uid);
    });
  }
  return causes;
}

function scheduleCauses(schedule: string, timeZone: string | undefined, previousSchedule: string | undefined): Cause[] {
  const path = 'spec.schedule';
  const causes: Cause[] = [];
  const problem = scheduleProblem(schedule);
  if (problem) causes.push(invalid(path, schedule, problem));
  // A schedule that already carried a TZ may keep it (old objects); new ones use timeZone.
  const mayUseTZ = (previousSchedule ?? '').includes('TZ');
  if (mayUseTZ && schedule.includes('TZ') && timeZone !== undefined) {
    causes.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!mayUseTZ && schedule.includes('TZ')) {
    causes.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return causes;
}

function timeZoneCauses(zone: string | undefined, path: string): Cause[] {
  if (zone === undefined) return [];
  if (zone === '') return [invalid(path, zone, 'timeZone must be nil or non-empty string')];
  const parts = zone.split('/');
  if (parts.some((p) => p === '.' || p === '..' || p.startsWith('-') || !TIME_ZONE_PART.test(p))) return [invalid(path, zone, `unknown time zone ${zone}`)];
  if (zone.toLowerCase() === 'local') return [invalid(path, zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(zone) ? [] : [invalid(path, zone, `unknown time zone ${zone}`)];
}
