/**
 * The job controller against a real API server. No agent: the test plays the kubelet, moving the
 * Job's pods to Succeeded or Failed through /status.
 */
import { defaultControllerSettings } from '../../controllers';
import { jobEntry } from '../../controllers/job';
import type { Event, Job, Pod } from '../../src/api/types';
import { Client, kinds, Manager } from '../../src/client';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';

let plane: TestControlPlane;
beforeAll(async () => {
  plane = await startControlPlane(['job'], { settings: { jobPodBackoffMs: 50 } });
});
afterAll(async () => {
  await plane.stop();
});

const jobs = () => plane.client.resource(kinds.Job, 'default');
const pods = () => plane.client.resource(kinds.Pod, 'default');

function job(name: string, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } }, ...spec },
  };
}

async function podsOf(name: string): Promise<Pod[]> {
  return (await pods().list({ labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
}

/** Plays the kubelet: the pod ran and ended in `phase`. */
async function finish(pod: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
  const now = new Date().toISOString();
  await pods().updateStatus({
    ...pod,
    status: { phase, containerStatuses: [{ name: 'work', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, finishedAt: now } } }] },
  });
}

async function jobWhen(name: string, check: (j: Job) => boolean, timeoutMs = 20_000): Promise<Job> {
  return eventually(`job ${name}`, async () => {
    const j = await jobs().get(name);
    return check(j) ? j : undefined;
  }, timeoutMs);
}

const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/** Finishes every pod of the job that is not finished yet, as it appears, until `done`. */
async function runPods(name: string, phase: 'Succeeded' | 'Failed', done: () => Promise<boolean>, observe: (active: number) => void = () => undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`job ${name} did not finish`);
    const open = (await podsOf(name)).filter((p) => !p.status?.phase || p.status.phase === 'Pending');
    observe(open.length);
    for (const p of open) await finish(p, phase);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('completes a Job of completions 3 and parallelism 2 with exactly 3 successful pods', async () => {
  await jobs().create(job('three', { completions: 3, parallelism: 2 }));
  let mostActive = 0;
  await runPods('three', 'Succeeded', async () => !!condition(await jobs().get('three'), 'Complete'), (n) => (mostActive = Math.max(mostActive, n)));
  const done = await jobs().get('three');
  expect(done.status).toMatchObject({ succeeded: 3, active: 0, uncountedTerminatedPods: {} });
  expect(done.status?.failed ?? 0).toBe(0);
  expect(done.status?.completionTime).toBeDefined();
  expect(condition(done, 'SuccessCriteriaMet')?.reason).toBe('CompletionsReached');
  expect(condition(done, 'Complete')?.reason).toBe('CompletionsReached');
  expect(mostActive).toBeLessThanOrEqual(2);
  const made = await podsOf('three');
  expect(made).toHaveLength(3);
  expect(made.every((p) => p.status?.phase === 'Succeeded' && !(p.metadata.finalizers ?? []).length)).toBe(true);
  expect(made[0].metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: 'three', uid: done.metadata.uid, controller: true })]);
  expect(made[0].metadata.labels).toMatchObject({ 'batch.kubernetes.io/controller-uid': done.metadata.uid, 'batch.kubernetes.io/job-name': 'three' });
  const reasons = await eventually('events', async () => {
    const list = (await plane.client.resource(kinds.Event, 'default').list()).items.filter((e: Event) => e.involvedObject?.name === 'three');
    return list.some((e) => e.reason === 'Completed') ? list : undefined;
  });
  expect(reasons.filter((e) => e.reason === 'SuccessfulCreate').reduce((n, e) => n + (e.count ?? 1), 0)).toBe(3);
});

it('stops a failing Job at its backoffLimit with Failed / BackoffLimitExceeded', async () => {
  await jobs().create(job('doomed', { backoffLimit: 2 }));
  await runPods('doomed', 'Failed', async () => !!condition(await jobs().get('doomed'), 'Failed'));
  const failed = await jobs().get('doomed');
  expect(condition(failed, 'FailureTarget')?.reason).toBe('BackoffLimitExceeded');
  expect(condition(failed, 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  expect(failed.status).toMatchObject({ failed: 3, active: 0 });
  expect(failed.status?.completionTime).toBeUndefined();
  await new Promise((r) => setTimeout(r, 300));
  expect(await podsOf('doomed')).toHaveLength(3);
});

it('creates no pods while suspended, and runs them once resumed', async () => {
  await jobs().create(job('paused', { suspend: true }));
  const suspended = await jobWhen('paused', (j) => !!condition(j, 'Suspended'));
  expect(condition(suspended, 'Suspended')?.reason).toBe('JobSuspended');
  expect(await podsOf('paused')).toHaveLength(0);
  await jobs().patch('paused', 'merge', { spec: { suspend: false } });
  await eventually('a pod', async () => ((await podsOf('paused')).length === 1 ? true : undefined));
  const resumed = await jobWhen('paused', (j) => j.status?.conditions?.find((c) => c.type === 'Suspended')?.status === 'False');
  expect(resumed.status?.startTime).toBeDefined();
  await runPods('paused', 'Succeeded', async () => !!condition(await jobs().get('paused'), 'Complete'));
});

it('fails a Job past activeDeadlineSeconds, and deletes a finished Job after ttlSecondsAfterFinished', async () => {
  await jobs().create(job('slow', { activeDeadlineSeconds: 1, ttlSecondsAfterFinished: 1 }));
  const failed = await jobWhen('slow', (j) => !!condition(j, 'Failed'), 10_000);
  expect(condition(failed, 'Failed')?.reason).toBe('DeadlineExceeded');
  expect(failed.status?.failed).toBe(1);
  await eventually('slow deleted', async () => ((await jobs().list()).items.some((j) => j.metadata.name === 'slow') ? undefined : true), 10_000);
});

it('runs Indexed Jobs with one pod per index, its index in annotation, label, hostname and env', async () => {
  await jobs().create(job('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
  const made = await eventually('three pods', async () => {
    const list = await podsOf('indexed');
    return list.length === 3 ? list : undefined;
  });
  const indexes = made.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
  expect(indexes).toEqual(['0', '1', '2']);
  const first = made.find((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index'] === '1')!;
  expect(first.spec?.hostname).toBe('indexed-1');
  expect(first.spec?.containers[0].env).toContainEqual({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } });
  await runPods('indexed', 'Succeeded', async () => !!condition(await jobs().get('indexed'), 'Complete'));
  expect((await jobs().get('indexed')).status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
});

it('counts every pod exactly once across a controller restart', async () => {
  // A second control plane whose job controller we stop and replace while pods finish.
  const bare = await startControlPlane([]);
  const start = () => {
    const client = new Client({ server: bare.api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
    const manager = new Manager({ client, leaderElection: false });
    manager.add((tools) => jobEntry.create(tools, { ...defaultControllerSettings, jobPodBackoffMs: 50 }));
    const stop = new AbortController();
    const running = manager.run(stop.signal);
    return async () => {
      stop.abort();
      await running;
      client.close();
    };
  };
  try {
    const jobsHere = bare.client.resource(kinds.Job, 'default');
    const podsHere = bare.client.resource(kinds.Pod, 'default');
    let stop = start();
    await jobsHere.create(job('steady', { completions: 4, parallelism: 4 }));
    const four = await eventually('four pods', async () => {
      const list = (await podsHere.list({ labelSelector: 'batch.kubernetes.io/job-name=steady' })).items;
      return list.length === 4 ? list : undefined;
    });
    for (const p of four.slice(0, 2)) await podsHere.updateStatus({ ...p, status: { phase: 'Succeeded' } });
    await eventually('two counted', async () => ((await jobsHere.get('steady')).status?.succeeded === 2 ? true : undefined));
    await stop();
    for (const p of four.slice(2)) {
      const fresh = await podsHere.get(p.metadata.name!);
      await podsHere.updateStatus({ ...fresh, status: { phase: 'Succeeded' } });
    }
    stop = start();
    const done = await eventually('complete', async () => {
      const j = await jobsHere.get('steady');
      return condition(j, 'Complete') ? j : undefined;
    });
    await stop();
    expect(done.status).toMatchObject({ succeeded: 4, active: 0 });
    expect((await podsHere.list({ labelSelector: 'batch.kubernetes.io/job-name=steady' })).items).toHaveLength(4);
  } finally {
    await bare.stop();
  }
});
