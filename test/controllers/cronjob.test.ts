/**
 * The cronjob controller against a real API server, on an injected clock: the test moves time
 * forward a minute at a time and touches the CronJob so it is looked at (the controller itself
 * would wake at the next start time, which the unit tests check). Jobs are finished by the test.
 */
import type { CronJob, Event, Job } from '../../src/api/types';
import { kinds } from '../../src/client';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

let plane: TestControlPlane;
let clock = Date.now();
beforeAll(async () => {
  plane = await startControlPlane(['cronjob'], { settings: { now: () => clock } });
});
afterAll(async () => {
  await plane.stop();
});

const cronJobs = () => plane.client.resource(kinds.CronJob, 'default');
const jobs = () => plane.client.resource(kinds.Job, 'default');
let pokes = 0;

function cronJob(name: string, spec: Partial<NonNullable<CronJob['spec']>> = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { metadata: { labels: { run: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

/** Creates the CronJob and sets the clock one second past the first minute boundary after its creation. */
async function create(name: string, spec: Partial<NonNullable<CronJob['spec']>> = {}): Promise<number> {
  // No start time has come yet when the controller first looks at it.
  clock = Date.now();
  const made = await cronJobs().create(cronJob(name, spec));
  const created = Date.parse(made.metadata.creationTimestamp!);
  const firstSlot = (Math.floor(created / 60_000) + 1) * 60_000;
  clock = firstSlot + 1000;
  return firstSlot;
}

/** Touches the CronJob so the controller reconciles it now, at the clock's time. */
async function poke(name: string): Promise<void> {
  await cronJobs().patch(name, 'merge', { metadata: { annotations: { poke: String(++pokes) } } });
}

async function jobsOf(name: string): Promise<Job[]> {
  return (await jobs().list({ labelSelector: `run=${name}` })).items.filter((j) => !j.metadata.deletionTimestamp).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

async function settle(name: string, count: number): Promise<Job[]> {
  return eventually(`${count} jobs of ${name}`, async () => {
    const list = await jobsOf(name);
    return list.length === count ? list : undefined;
  });
}

async function finish(job: Job, outcome: 'Complete' | 'Failed', at: number): Promise<void> {
  const when = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = outcome === 'Complete' ? ['SuccessCriteriaMet', 'Complete'] : ['FailureTarget', 'Failed'];
  await jobs().updateStatus({
    ...job,
    status: {
      startTime: when,
      ...(outcome === 'Complete' ? { completionTime: when, succeeded: 1 } : { failed: 1 }),
      conditions: conditions.map((type) => ({ type, status: 'True', reason: 'Test', message: 'finished by the test', lastTransitionTime: when, lastProbeTime: when })),
    },
  });
}

async function reasons(name: string): Promise<string[]> {
  const list = await plane.client.resource(kinds.Event, 'default').list();
  return list.items.filter((e: Event) => e.involvedObject?.kind === 'CronJob' && e.involvedObject.name === name).map((e) => e.reason ?? '');
}

it('creates one Job per scheduled minute, named for the minute, however often it is looked at', async () => {
  const slot = await create('tick');
  await poke('tick');
  const [first] = await settle('tick', 1);
  expect(first.metadata.name).toBe(`tick-${slot / 60_000}`);
  expect(first.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(slot).toISOString().replace(/\.\d+Z$/, 'Z'));
  expect(first.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'CronJob', name: 'tick', controller: true })]);
  await poke('tick');
  await poke('tick');
  await new Promise((r) => setTimeout(r, 300));
  expect(await jobsOf('tick')).toHaveLength(1);

  clock += 60_000;
  await poke('tick');
  const both = await settle('tick', 2);
  expect(both[1].metadata.name).toBe(`tick-${slot / 60_000 + 1}`);
  const status = await eventually('status', async () => {
    const c = await cronJobs().get('tick');
    return c.status?.active?.length === 2 ? c.status : undefined;
  });
  expect(status.lastScheduleTime).toBe(new Date(slot + 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
  expect(status.active!.map((r) => r.name).sort()).toEqual(both.map((j) => j.metadata.name).sort());
  expect(await eventually('SuccessfulCreate events', async () => ((await reasons('tick')).includes('SuccessfulCreate') ? true : undefined))).toBe(true);
});

it('with Forbid skips a slot while a Job runs, and starts once it has finished', async () => {
  const slot = await create('single', { concurrencyPolicy: 'Forbid' });
  await poke('single');
  const [first] = await settle('single', 1);
  await eventually('first active', async () => ((await cronJobs().get('single')).status?.active?.length === 1 ? true : undefined));

  clock += 60_000;
  await poke('single');
  await eventually('JobAlreadyActive', async () => ((await reasons('single')).includes('JobAlreadyActive') ? true : undefined));
  expect(await jobsOf('single')).toHaveLength(1);

  await finish(first, 'Complete', clock - 1000);
  const both = await settle('single', 2);
  expect(both[1].metadata.name).toBe(`single-${slot / 60_000 + 1}`);
  const status = await eventually('status', async () => {
    const c = await cronJobs().get('single');
    return c.status?.lastSuccessfulTime && c.status.active?.length === 1 ? c.status : undefined;
  });
  expect(status.active![0].name).toBe(both[1].metadata.name);
  expect(await reasons('single')).toContain('SawCompletedJob');
});

it('keeps only successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
  await create('history', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
  const made: Job[] = [];
  for (let i = 0; i < 4; i++) {
    if (i > 0) clock += 60_000;
    await poke('history');
    const list = await settle('history', made.length + 1);
    made.push(list[list.length - 1]);
  }
  await finish(made[0], 'Complete', clock - 4000);
  await finish(made[1], 'Complete', clock - 3000);
  await finish(made[2], 'Failed', clock - 2000);
  await finish(made[3], 'Failed', clock - 1000);
  const left = await eventually('pruned', async () => {
    await poke('history');
    const list = await jobsOf('history');
    return list.length === 2 ? list : undefined;
  });
  expect(left.map((j) => j.metadata.name)).toEqual([made[1].metadata.name, made[3].metadata.name]);
});

it('skips a slot whose startingDeadlineSeconds has passed, with a MissSchedule event', async () => {
  await create('late', { startingDeadlineSeconds: 10 });
  clock += 30_000;
  await poke('late');
  await eventually('MissSchedule', async () => ((await reasons('late')).includes('MissSchedule') ? true : undefined));
  expect(await jobsOf('late')).toHaveLength(0);
});

it('creates nothing while suspended', async () => {
  await create('resting', { suspend: true });
  await poke('resting');
  await new Promise((r) => setTimeout(r, 300));
  expect(await jobsOf('resting')).toHaveLength(0);
  await cronJobs().patch('resting', 'merge', { spec: { suspend: false } });
  await settle('resting', 1);
});
