/** batch/v1: Job and CronJob. */
import { CronJob, Job } from '../src/api/types';
import { declare } from './builtin';
import { age, templateColumns } from './columns';

/** STATUS, COMPLETIONS (succeeded/completions) and DURATION are computed by the server. */
export const jobs = declare(Job, {
  plural: 'jobs',
  categories: ['all'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.conditions[*].type', description: 'Status of the job.' },
    { name: 'Completions', type: 'string', jsonPath: '.status.succeeded', description: 'Pods that succeeded.' },
    { name: 'Duration', type: 'string', jsonPath: '.status.completionTime', description: 'Time required to complete the job.' },
    age,
    ...templateColumns('.spec.template', '.spec.selector'),
  ],
});

export const cronJobs = declare(CronJob, {
  plural: 'cronjobs',
  shortNames: ['cj'],
  categories: ['all'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule', description: 'The schedule in cron format.' },
    { name: 'Timezone', type: 'string', jsonPath: '.spec.timeZone', description: 'Time zone of the schedule.' },
    { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend', description: 'Whether subsequent runs are suspended.' },
    { name: 'Active', type: 'integer', jsonPath: '.status.active[*].name', description: 'The number of jobs currently running.' },
    { name: 'Last Schedule', type: 'date', jsonPath: '.status.lastScheduleTime', description: 'When a job was last scheduled.' },
    age,
    ...templateColumns('.spec.jobTemplate.spec.template', '.spec.jobTemplate.spec.selector'),
  ],
});
