/**
 * The `cronjob` controller loop (see README.md).
 */
import { unlessNotFound } from '../../src/api/errors';
import type { CronJob } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, kinds } from '../../src/client';
import type { ControllerEntry, ControllerSettings } from '..';
import { CronJobReconciler } from './reconciler';

export { CronJobReconciler } from './reconciler';
export type { CronJobApi, CronJobReconcilerOptions } from './reconciler';
export { jobFromTemplate, jobName, SCHEDULED_TIMESTAMP_ANNOTATION } from './job-template';
export { mostRecentScheduleTime, nextScheduleDelay, parseSchedule } from './schedule';

export function createCronJobController(tools: ControllerTools, settings: Pick<ControllerSettings, 'now'> = {}): ControllerDeclaration<CronJob> {
  const cronJobs = tools.informers.for(kinds.CronJob);
  const jobs = tools.informers.for(kinds.Job);
  const jobClient = tools.client.resource(kinds.Job);
  const cronJobClient = tools.client.resource(kinds.CronJob);
  const events = tools.recorder('cronjob-controller');
  const write = { fieldManager: 'berth-cronjob-controller' };
  return {
    name: 'cronjob',
    for: kinds.CronJob,
    owns: [kinds.Job],
    workers: 2,
    reconciler: new CronJobReconciler({
      cronJobs: cronJobs.cache,
      jobs: jobs.cache,
      now: settings.now,
      event: (cronJob, type, reason, message) => events.event(cronJob, type, reason, message),
      api: {
        getCronJob: (namespace, name) => unlessNotFound(cronJobClient.namespace(namespace).get(name)),
        getJob: (namespace, name) => unlessNotFound(jobClient.namespace(namespace).get(name)),
        createJob: (job) => jobClient.create(job, write),
        deleteJob: async (job) => {
          await unlessNotFound(jobClient.namespace(job.metadata.namespace!).delete(job.metadata.name!, { propagationPolicy: 'Background', preconditions: job.metadata.uid ? { uid: job.metadata.uid } : undefined }));
        },
        updateStatus: (cronJob) => cronJobClient.updateStatus(cronJob, write),
      },
    }),
  };
}

export const cronJobEntry: ControllerEntry = {
  name: 'cronjob',
  description: 'starts a Job for each scheduled time of each CronJob and keeps its history',
  create: (tools, settings) => createCronJobController(tools, settings),
};
