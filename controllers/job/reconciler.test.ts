/**
 * The Job reconciler on seeded caches, with an in-memory API that records every write. The
 * caches lag until `catchUp()`, as informers do.
 */
import type { Job, Pod } from '../../src/api/types';
import { Expectations, ObjectCache } from '../../src/client';
import { keyOf } from '../../src/client/kinds';
import { clone } from '../../src/util/json';
import { JobApi, JobReconciler } from './reconciler';
import { TRACKING_FINALIZER } from './pods';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function job(spec: Partial<NonNullable<Job['spec']>> = {}, status: Job['status'] = undefined): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: 'default', uid: 'job-uid', resourceVersion: '1' },
    spec: { completions: 1, parallelism: 1, backoffLimit: 6, template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'work' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } }, ...spec },
    status,
  };
}

let podCount = 0;
function pod(phase: string | undefined, extra: { finalizer?: boolean; finishedAt?: number; restarts?: number; uid?: string } = {}): Pod {
  const name = `work-${++podCount}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: extra.uid ?? `pod-${podCount}`,
      labels: { 'batch.kubernetes.io/job-name': 'work' },
      finalizers: extra.finalizer === false ? undefined : [TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'job-uid', controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: {
      phase,
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: extra.restarts ?? 0, state: extra.finishedAt ? { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at(extra.finishedAt) } } : {} }],
    },
  } as Pod;
}

class FakeApi implements JobApi {
  readonly jobs = new Map<string, Job>();
  readonly pods = new Map<string, Pod>();
  readonly writes: string[] = [];
  async createPod(p: Pod) {
    const name = `${p.metadata.generateName}${++podCount}`;
    const made = { ...p, metadata: { ...p.metadata, name, uid: `pod-${podCount}` } };
    this.pods.set(`default/${name}`, made);
    this.writes.push(`create ${p.metadata.generateName}`);
    return made;
  }
  async deletePod(p: Pod) {
    const current = this.pods.get(keyOf(p));
    if (current && (current.metadata.finalizers ?? []).length > 0) this.pods.set(keyOf(p), { ...current, metadata: { ...current.metadata, deletionTimestamp: at(NOW) } });
    else this.pods.delete(keyOf(p));
    this.writes.push(`delete ${p.metadata.name}`);
  }
  async removeTrackingFinalizer(p: Pod) {
    const current = this.pods.get(keyOf(p));
    if (current) {
      const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
      if (current.metadata.deletionTimestamp && finalizers.length === 0) this.pods.delete(keyOf(p));
      else this.pods.set(keyOf(p), { ...current, metadata: { ...current.metadata, finalizers } });
    }
    this.writes.push(`release ${p.metadata.name}`);
  }
  async updateStatus(j: Job) {
    const stored = clone({ ...j, metadata: { ...j.metadata, resourceVersion: String(Number(j.metadata.resourceVersion) + 1) } });
    this.jobs.set(keyOf(j), stored);
    const s = j.status ?? {};
    const conditions = (s.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
    this.writes.push(`status active=${s.active} succeeded=${s.succeeded ?? 0} failed=${s.failed ?? 0} uncounted=${(s.uncountedTerminatedPods?.succeeded ?? []).length}/${(s.uncountedTerminatedPods?.failed ?? []).length} [${conditions.join(',')}]`);
    return clone(stored);
  }
  async deleteJob(j: Job) {
    this.jobs.delete(keyOf(j));
    this.writes.push(`delete job ${j.metadata.name}`);
  }
}

function setup(seed: { job: Job; pods?: Pod[] }, options: { podBackoffMs?: number } = {}) {
  const jobs = new ObjectCache<Job>();
  const pods = new ObjectCache<Pod>();
  const api = new FakeApi();
  const expectations = new Expectations();
  const events: string[] = [];
  api.jobs.set(keyOf(seed.job), seed.job);
  for (const p of seed.pods ?? []) api.pods.set(keyOf(p), p);
  const reconciler = new JobReconciler({ jobs, pods, api, expectations, now: () => NOW, podBackoffMs: options.podBackoffMs ?? 10_000, event: (_j, type, reason) => events.push(`${type} ${reason}`) });
  const catchUp = () => {
    for (const key of pods.keys()) if (!api.pods.has(key)) pods.remove(key);
    for (const p of api.pods.values()) {
      if (!pods.has(keyOf(p))) expectations.creationObserved('default/work');
      pods.upsert(p);
    }
    for (const j of api.jobs.values()) jobs.upsert(j);
  };
  catchUp();
  return { api, jobs, pods, events, expectations, catchUp, reconcile: () => reconciler.reconcile({}, 'default/work') };
}

it('creates min(parallelism, completions) pods, and no more while its own creations are not in the cache', async () => {
  const t = setup({ job: job({ completions: 3, parallelism: 2 }) });
  await t.reconcile();
  expect(t.api.writes).toEqual(['create work-', 'create work-', 'status active=2 succeeded=0 failed=0 uncounted=0/0 []']);
  const made = [...t.api.pods.values()][0];
  expect(made.metadata.finalizers).toEqual([TRACKING_FINALIZER]);
  expect(made.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
  // The cache has not seen the pods: nothing more is created.
  for (const j of t.api.jobs.values()) t.jobs.upsert(j);
  await t.reconcile();
  expect(t.api.writes.filter((w) => w.startsWith('create'))).toHaveLength(2);
  t.catchUp();
  await t.reconcile();
  expect(t.api.writes.filter((w) => w.startsWith('create'))).toHaveLength(2);
});

it('counts a finished pod once: uncounted first, then the finalizer goes, then the counter moves', async () => {
  const done = pod('Succeeded', { finishedAt: NOW - 1000 });
  const t = setup({ job: job({ completions: 2, parallelism: 1 }, { active: 0, succeeded: 0, startTime: at(NOW - 5000) }), pods: [done] });
  await t.reconcile();
  expect(t.api.writes.slice(0, 4)).toEqual([
    'create work-',
    'status active=1 succeeded=0 failed=0 uncounted=1/0 []',
    `release ${done.metadata.name}`,
    'status active=1 succeeded=1 failed=0 uncounted=0/0 []',
  ]);
  // A cache that still shows the finalizer (our removal not seen yet) must not count it again.
  for (const j of t.api.jobs.values()) t.jobs.upsert(j);
  await t.reconcile();
  expect(t.api.writes.filter((w) => w.includes('uncounted=1/0'))).toHaveLength(1);
  t.catchUp();
  await t.reconcile();
  expect(t.api.jobs.get('default/work')?.status?.succeeded).toBe(1);
});

it('after a crash between the steps, counts what was recorded exactly once', async () => {
  // Crashed after recording the uid, before removing the finalizer.
  const kept = pod('Succeeded', { uid: 'kept' });
  // Crashed after removing the finalizer, before moving the count.
  const released = pod('Succeeded', { uid: 'released', finalizer: false });
  const t = setup({ job: job({ completions: 2 }, { succeeded: 0, uncountedTerminatedPods: { succeeded: ['kept', 'released'] }, startTime: at(NOW) }), pods: [kept, released] });
  await t.reconcile();
  const status = t.api.jobs.get('default/work')!.status!;
  expect(status.succeeded).toBe(2);
  expect(status.uncountedTerminatedPods).toEqual({ succeeded: [], failed: [] });
  expect(t.api.writes.filter((w) => w.startsWith('release'))).toEqual([`release ${kept.metadata.name}`]);
  expect(t.events).toContain('Normal Completed');
});

it('fails the Job when failures pass backoffLimit: FailureTarget first, Failed once all is counted', async () => {
  const t = setup({ job: job({ backoffLimit: 1 }, { startTime: at(NOW - 60_000) }), pods: [pod('Failed', { finishedAt: NOW - 30_000 }), pod('Failed', { finishedAt: NOW - 10_000 })] });
  await t.reconcile();
  const status = t.api.jobs.get('default/work')!.status!;
  expect(status.failed).toBe(2);
  const types = status.conditions!.map((c) => [c.type, c.reason]);
  expect(types).toEqual([
    ['FailureTarget', 'BackoffLimitExceeded'],
    ['Failed', 'BackoffLimitExceeded'],
  ]);
  expect(status.completionTime).toBeUndefined();
  expect(t.api.writes.filter((w) => w.startsWith('create'))).toEqual([]);
  expect(t.events).toEqual(['Warning BackoffLimitExceeded']);
});

it('waits out the failure backoff before replacing a failed pod', async () => {
  const t = setup({ job: job({ backoffLimit: 6 }, { startTime: at(NOW - 60_000), failed: 1 }), pods: [pod('Failed', { finishedAt: NOW - 15_000, finalizer: false }), pod('Failed', { finishedAt: NOW - 4_000, finalizer: false })] });
  // Two failures since the last success: 10 s × 2 from the last one, 16 s from now.
  expect(await t.reconcile()).toEqual({ requeueAfter: 16_000 });
  expect(t.api.writes.filter((w) => w.startsWith('create'))).toEqual([]);
});

it('counts OnFailure restarts against backoffLimit and stops the running pod', async () => {
  const running = pod('Running', { restarts: 2 });
  const template = { metadata: { labels: {} }, spec: { restartPolicy: 'OnFailure' as const, containers: [{ name: 'c', image: 'x' }] } };
  const t = setup({ job: job({ backoffLimit: 2, template }, { startTime: at(NOW), active: 1 }), pods: [running] });
  await t.reconcile();
  expect(t.api.writes[0]).toBe(`delete ${running.metadata.name}`);
  const status = t.api.jobs.get('default/work')!.status!;
  expect(status.conditions?.map((c) => c.type)).toEqual(['FailureTarget']);
  // The deleted pod is terminating until its finalizer goes; then the Job is Failed.
  t.catchUp();
  await t.reconcile();
  t.catchUp();
  await t.reconcile();
  expect(t.api.jobs.get('default/work')!.status!.conditions?.map((c) => c.type)).toEqual(['FailureTarget', 'Failed']);
  expect(t.api.jobs.get('default/work')!.status!.failed).toBe(1);
});

it('looks again when activeDeadlineSeconds will have passed, and fails the Job once it has', async () => {
  const t = setup({ job: job({ activeDeadlineSeconds: 30 }, { startTime: at(NOW - 10_000) }), pods: [pod('Running')] });
  expect(await t.reconcile()).toEqual({ requeueAfter: 20_000 });
  const late = setup({ job: job({ activeDeadlineSeconds: 30 }, { startTime: at(NOW - 31_000) }) });
  await late.reconcile();
  expect(late.api.jobs.get('default/work')!.status!.conditions?.map((c) => [c.type, c.reason])).toEqual([
    ['FailureTarget', 'DeadlineExceeded'],
    ['Failed', 'DeadlineExceeded'],
  ]);
});

it('deletes a finished Job once ttlSecondsAfterFinished has passed, and waits until then', async () => {
  const finished = (ago: number) => job({ ttlSecondsAfterFinished: 60 }, { succeeded: 1, completionTime: at(NOW - ago), conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: at(NOW - ago) }] });
  const waiting = setup({ job: finished(20_000) });
  expect(await waiting.reconcile()).toEqual({ requeueAfter: 40_000 });
  const due = setup({ job: finished(61_000) });
  await due.reconcile();
  expect(due.api.writes).toEqual(['delete job work']);
});

it('deletes the active pods of a suspended Job without counting them as failed', async () => {
  const running = pod('Running');
  const t = setup({ job: job({ suspend: true }, { startTime: at(NOW), active: 1 }), pods: [running] });
  await t.reconcile();
  expect(t.api.writes.slice(0, 2)).toEqual([`release ${running.metadata.name}`, `delete ${running.metadata.name}`]);
  const status = t.api.jobs.get('default/work')!.status!;
  expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([['Suspended', 'True', 'JobSuspended']]);
  expect(status.failed ?? 0).toBe(0);
  expect(t.events).toContain('Normal Suspended');
});
