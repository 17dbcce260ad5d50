/** batch/v1 Job and CronJob. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, mergeList, setList, struct } from '../codecs';
import { int32, int64, time } from '../scalars';
import { ConditionStatus, ObjectReference } from './core-common';
import { PodTemplateSpec } from './core-pod';
import { LabelSelector, ObjectMeta, resource } from './meta';

export const PodFailurePolicyRule = struct(
  'PodFailurePolicyRule',
  {
    action: described(
      enumOf('PodFailurePolicyAction', ['FailJob', 'FailIndex', 'Ignore', 'Count']),
      'What to do when the rule matches a failed pod.',
    ),
  },
  {
    onExitCodes: described(
      struct(
        'PodFailurePolicyOnExitCodesRequirement',
        {
          operator: enumOf('PodFailurePolicyOnExitCodesOperator', ['In', 'NotIn']),
          values: setList(int32),
        },
        { containerName: t.string },
      ),
      'Matches on container exit codes.',
    ),
    onPodConditions: described(
      atomicList(struct('PodFailurePolicyOnPodConditionsPattern', { type: t.string }, { status: ConditionStatus })),
      'Matches on pod conditions.',
    ),
  },
);

export const SuccessPolicyRule = struct('SuccessPolicyRule', {}, { succeededIndexes: t.string, succeededCount: int32 });

export const JobSpec = struct(
  'JobSpec',
  { template: described(PodTemplateSpec, 'The pods to run; restartPolicy must be Never or OnFailure.') },
  {
    parallelism: described(int32, 'Maximum pods running at once. Defaults to 1.'),
    completions: described(int32, 'Successful pods needed for the job to complete. Defaults to 1.'),
    activeDeadlineSeconds: described(int64, 'Seconds the job may be active before the system terminates it.'),
    podFailurePolicy: described(
      struct('PodFailurePolicy', { rules: atomicList(PodFailurePolicyRule) }),
      'How failed pods count towards backoffLimit.',
    ),
    successPolicy: described(struct('SuccessPolicy', { rules: atomicList(SuccessPolicyRule) }), 'When the job may be declared succeeded.'),
    backoffLimit: described(int32, 'Retries before the job is marked failed. Defaults to 6.'),
    backoffLimitPerIndex: described(int32, 'Retries of each index of an Indexed job.'),
    maxFailedIndexes: described(int32, 'Failed indexes tolerated before the job fails.'),
    selector: described(LabelSelector, 'Selects the pods of the job; generated unless manualSelector.'),
    manualSelector: described(t.boolean, 'Let the user set the selector.'),
    ttlSecondsAfterFinished: described(int32, 'Seconds after finishing before the job is deleted.'),
    completionMode: described(enumOf('CompletionMode', ['NonIndexed', 'Indexed']), 'NonIndexed or Indexed. Defaults to NonIndexed.'),
    suspend: described(t.boolean, 'Suspends the job: no pods are created, running ones are terminated.'),
    podReplacementPolicy: described(enumOf('PodReplacementPolicy', ['TerminatingOrFailed', 'Failed']), 'When replacement pods are created.'),
    managedBy: described(t.string, 'The controller that manages the job.'),
  },
);
export type JobSpec = t.TypeOf<typeof JobSpec>;

export const JobCondition = struct(
  'JobCondition',
  {
    type: described(t.string, 'Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet.'),
    status: described(ConditionStatus, 'True, False or Unknown.'),
  },
  {
    lastProbeTime: described(time, 'When the condition was last checked.'),
    lastTransitionTime: described(time, 'When the status last changed.'),
    reason: t.string,
    message: t.string,
  },
);
export type JobCondition = t.TypeOf<typeof JobCondition>;

export const JobStatus = struct(
  'JobStatus',
  {},
  {
    conditions: described(mergeList(JobCondition, 'type', { atomic: true }), 'The latest observations of the job state.'),
    startTime: described(time, 'When the job controller started the job.'),
    completionTime: described(time, 'When the job completed.'),
    active: described(int32, 'Pods pending or running.'),
    succeeded: described(int32, 'Pods that succeeded.'),
    failed: described(int32, 'Pods that failed.'),
    terminating: described(int32, 'Pods terminating.'),
    completedIndexes: described(t.string, 'Completed indexes of an Indexed job, as ranges (1,3-5).'),
    failedIndexes: described(t.string, 'Failed indexes of a job with backoffLimitPerIndex.'),
    uncountedTerminatedPods: described(
      struct('UncountedTerminatedPods', {}, { succeeded: setList(t.string), failed: setList(t.string) }),
      'UIDs of finished pods not yet counted in the status.',
    ),
    ready: described(int32, 'Pods that are ready.'),
  },
);
export type JobStatus = t.TypeOf<typeof JobStatus>;

export const Job = resource(
  'batch/v1',
  'Job',
  'Job runs pods until a number of them succeed.',
  {},
  {
    spec: described(JobSpec, 'The desired behaviour of the Job.'),
    status: described(JobStatus, 'The most recently observed status; written by the Job controller.'),
  },
);
export type Job = t.TypeOf<typeof Job>;

export const JobTemplateSpec = struct(
  'JobTemplateSpec',
  {},
  {
    metadata: described(ObjectMeta, 'Metadata of the jobs created from this template.'),
    spec: described(JobSpec, 'Specification of the jobs created from this template.'),
  },
);

export const CronJobSpec = struct(
  'CronJobSpec',
  {
    schedule: described(t.string, 'The schedule in cron format, e.g. "*/5 * * * *" or "@hourly".'),
    jobTemplate: described(JobTemplateSpec, 'The job created on each run.'),
  },
  {
    timeZone: described(t.string, 'Time zone of the schedule, e.g. Europe/Paris. Defaults to the controller time zone.'),
    startingDeadlineSeconds: described(int64, 'Seconds after a missed schedule a job may still start.'),
    concurrencyPolicy: described(
      enumOf('ConcurrencyPolicy', ['Allow', 'Forbid', 'Replace']),
      'Allow, Forbid or Replace concurrent runs. Defaults to Allow.',
    ),
    suspend: described(t.boolean, 'Suspends subsequent runs. Defaults to false.'),
    successfulJobsHistoryLimit: described(int32, 'Successful finished jobs to keep. Defaults to 3.'),
    failedJobsHistoryLimit: described(int32, 'Failed finished jobs to keep. Defaults to 1.'),
  },
);
export type CronJobSpec = t.TypeOf<typeof CronJobSpec>;

export const CronJobStatus = struct(
  'CronJobStatus',
  {},
  {
    active: described(atomicList(ObjectReference), 'The jobs currently running.'),
    lastScheduleTime: described(time, 'When a job was last scheduled.'),
    lastSuccessfulTime: described(time, 'When a job last completed successfully.'),
  },
);
export type CronJobStatus = t.TypeOf<typeof CronJobStatus>;

export const CronJob = resource(
  'batch/v1',
  'CronJob',
  'CronJob runs a Job on a schedule.',
  {},
  {
    spec: described(CronJobSpec, 'The desired behaviour of the CronJob.'),
    status: described(CronJobStatus, 'The most recently observed status; written by the CronJob controller.'),
  },
);
export type CronJob = t.TypeOf<typeof CronJob>;
