/**
 * The CronJob reconciler on seeded caches and an injected clock, with an in-memory API.
 */
import { AlreadyExists } from '../../src/api/errors';
import type { CronJob, Job } from '../../src/api/types';
import { ObjectCache } from '../../src/client';
import { keyOf } from '../../src/client/kinds';
import { clone } from '../../src/util/json';
import { CronJobApi, CronJobReconciler } from './reconciler';

const t = (iso: string) => Date.parse(iso);
const MINUTE = t('2030-01-01T00:05:00Z') / 60_000;

function cronJob(spec: Partial<NonNullable<CronJob['spec']>> = {}, status?: CronJob['status']): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default', uid: 'cj-uid', resourceVersion: '1', creationTimestamp: '2030-01-01T00:00:00Z' },
    spec: { schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', jobTemplate: { metadata: { labels: { run: 'tick' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } }, ...spec },
    status,
  };
}

function childJob(minute: number, finished?: 'Complete' | 'Failed', startTime?: string): Job {
  const when = new Date(minute * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `tick-${minute}`, namespace: 'default', uid: `job-${minute}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true }] },
    spec: { template: { spec: { containers: [] } } },
    status: finished ? { startTime: startTime ?? when, completionTime: finished === 'Complete' ? when : undefined, conditions: [{ type: finished, status: 'True' }] } : { startTime: startTime ?? when },
  };
}

const ref = (job: Job) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', name: job.metadata.name, uid: job.metadata.uid });

class FakeApi implements CronJobApi {
  readonly jobs = new Map<string, Job>();
  readonly cronJobs = new Map<string, CronJob>();
  readonly writes: string[] = [];
  async getCronJob(namespace: string, name: string) {
    return this.cronJobs.get(`${namespace}/${name}`);
  }
  async getJob(namespace: string, name: string) {
    return this.jobs.get(`${namespace}/${name}`);
  }
  async createJob(job: Job) {
    if (this.jobs.has(keyOf(job))) throw new AlreadyExists(`jobs.batch "${job.metadata.name}" already exists`);
    const made = { ...job, metadata: { ...job.metadata, uid: `job-${job.metadata.name!.split('-')[1]}` } };
    this.jobs.set(keyOf(job), made);
    this.writes.push(`create ${job.metadata.name}`);
    return made;
  }
  async deleteJob(job: Pick<Job, 'metadata'>) {
    this.jobs.delete(`${job.metadata.namespace}/${job.metadata.name}`);
    this.writes.push(`delete ${job.metadata.name}`);
  }
  async updateStatus(c: CronJob) {
    this.cronJobs.set(keyOf(c), clone(c));
    this.writes.push(`status active=${(c.status?.active ?? []).map((r) => r.name).join(',')} last=${c.status?.lastScheduleTime ?? ''}`);
    return c;
  }
}

function setup(seed: CronJob, jobs: Job[] = [], now = t('2030-01-01T00:05:10Z')) {
  const cronJobs = new ObjectCache<CronJob>();
  const jobCache = new ObjectCache<Job>();
  const api = new FakeApi();
  const events: string[] = [];
  cronJobs.upsert(seed);
  api.cronJobs.set(keyOf(seed), seed);
  for (const j of jobs) {
    jobCache.upsert(j);
    api.jobs.set(keyOf(j), j);
  }
  const reconciler = new CronJobReconciler({ cronJobs, jobs: jobCache, api, now: () => now, event: (_c, _type, reason, message) => events.push(`${reason}: ${message}`) });
  return { api, events, reconcile: () => reconciler.reconcile({}, 'default/tick') };
}

it('creates the Job of the most recent start time, named by its minute, and wakes for the next one', async () => {
  const s = setup(cronJob({}, { lastScheduleTime: '2030-01-01T00:04:00Z' }));
  expect(await s.reconcile()).toEqual({ requeueAfter: 50_100 });
  expect(s.api.writes).toEqual([`create tick-${MINUTE}`, `status active=tick-${MINUTE} last=2030-01-01T00:05:00Z`]);
  const job = s.api.jobs.get(`default/tick-${MINUTE}`)!;
  expect(job.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2030-01-01T00:05:00Z' });
  expect(job.metadata.labels).toEqual({ run: 'tick' });
  expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
  expect(s.events).toEqual([`SuccessfulCreate: Created job tick-${MINUTE}`]);
});

it('does nothing for a start time already had', async () => {
  const s = setup(cronJob({}, { lastScheduleTime: '2030-01-01T00:05:00Z' }));
  expect(await s.reconcile()).toEqual({ requeueAfter: 50_100 });
  expect(s.api.writes).toEqual([]);
});

it('after a crash between creating the Job and recording it, records the Job it finds instead of making another', async () => {
  const existing = childJob(MINUTE);
  const s = setup(cronJob({}, { lastScheduleTime: '2030-01-01T00:04:00Z' }));
  s.api.jobs.set(keyOf(existing), existing);
  await s.reconcile();
  expect(s.api.writes).toEqual([`status active=tick-${MINUTE} last=2030-01-01T00:05:00Z`]);
  expect(s.events).toEqual([]);
});

it('with Forbid skips the start time while a Job is active', async () => {
  const running = childJob(MINUTE - 1);
  const s = setup(cronJob({ concurrencyPolicy: 'Forbid' }, { active: [ref(running)], lastScheduleTime: '2030-01-01T00:04:00Z' }), [running]);
  expect(await s.reconcile()).toEqual({ requeueAfter: 50_100 });
  expect(s.api.writes).toEqual([]);
  expect(s.events).toEqual(['JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid']);
});

it('with Replace deletes the active Job and starts the new one', async () => {
  const running = childJob(MINUTE - 1);
  const s = setup(cronJob({ concurrencyPolicy: 'Replace' }, { active: [ref(running)], lastScheduleTime: '2030-01-01T00:04:00Z' }), [running]);
  await s.reconcile();
  expect(s.api.writes).toEqual([`delete tick-${MINUTE - 1}`, `create tick-${MINUTE}`, `status active=tick-${MINUTE} last=2030-01-01T00:05:00Z`]);
});

it('drops finished Jobs from active, records the last success, and deletes the oldest past the history limits', async () => {
  const jobs = [childJob(MINUTE - 4, 'Complete'), childJob(MINUTE - 3, 'Complete'), childJob(MINUTE - 2, 'Failed'), childJob(MINUTE - 1, 'Complete')];
  const s = setup(cronJob({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 0 }, { active: [ref(jobs[3])], lastScheduleTime: '2030-01-01T00:05:00Z' }), jobs);
  await s.reconcile();
  expect(s.api.writes).toEqual([`delete tick-${MINUTE - 4}`, `delete tick-${MINUTE - 2}`, 'status active= last=2030-01-01T00:05:00Z']);
  expect(s.api.cronJobs.get('default/tick')?.status?.lastSuccessfulTime).toBe('2030-01-01T00:04:00Z');
  expect(s.events[0]).toBe(`SawCompletedJob: Saw completed job: tick-${MINUTE - 1}, condition: Complete`);
});

it('warns past 100 missed start times and still starts only the most recent', async () => {
  const s = setup(cronJob(), [], t('2030-01-01T03:00:30Z'));
  await s.reconcile();
  expect(s.events[0]).toBe('TooManyMissedTimes: too many missed start times: 180. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  expect(s.api.writes[0]).toBe(`create tick-${t('2030-01-01T03:00:00Z') / 60_000}`);
});

it('reports a start time it may no longer start because of startingDeadlineSeconds', async () => {
  const s = setup(cronJob({ startingDeadlineSeconds: 5 }, { lastScheduleTime: '2030-01-01T00:04:00Z' }));
  expect(await s.reconcile()).toEqual({ requeueAfter: 50_100 });
  expect(s.api.writes).toEqual([]);
  expect(s.events).toEqual([`MissSchedule: Missed scheduled time to start a job: ${new Date(t('2030-01-01T00:05:00Z')).toUTCString()}`]);
});

it('starts nothing and does not wake while suspended, and says why a schedule cannot be read', async () => {
  expect(await setup(cronJob({ suspend: true })).reconcile()).toBeUndefined();
  const bad = setup(cronJob({ schedule: '61 * * * *' }));
  expect(await bad.reconcile()).toBeUndefined();
  expect(bad.events[0]).toMatch(/^UnparseableSchedule: unparseable schedule: "61 \* \* \* \*" : /);
});

it('drops an active Job that is gone, after asking the server', async () => {
  const gone = childJob(MINUTE - 1);
  const s = setup(cronJob({}, { active: [ref(gone)], lastScheduleTime: '2030-01-01T00:05:00Z' }));
  await s.reconcile();
  expect(s.events).toEqual([`MissingJob: Active job went missing: tick-${MINUTE - 1}`]);
  expect(s.api.writes).toEqual(['status active= last=2030-01-01T00:05:00Z']);
});
