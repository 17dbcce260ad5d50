import type { Obj } from '../../api/object';
import type { Pod } from '../../api/types';
import { podIssues } from './pod-issues';
import { assess, World } from './readiness';
import { ObjectTracker } from './tracker';

const noWorld: World = { podsOwnedBy: () => [], podsSelected: () => [], replicaSetsOwnedBy: () => [], endpoints: () => undefined };

function deployment(status: Record<string, unknown>, extra: { generation?: number; replicas?: number } = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd1', generation: extra.generation ?? 1 },
    spec: { replicas: extra.replicas ?? 3, selector: { matchLabels: { app: 'web' } }, progressDeadlineSeconds: 60 },
    status,
  };
}

function pod(name: string, status: Record<string, unknown>, nodeName?: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }], nodeName }, status } as Pod;
}

const unschedulable = (name: string) =>
  pod(name, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' }] });
const pulling = (name: string, reason: string, message: string) =>
  pod(name, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'nope:1', imageID: '', state: { waiting: { reason, message } } }] }, 'n1');

describe('deployment readiness (as kubectl rollout status)', () => {
  it.each([
    ['a generation not yet observed', deployment({ observedGeneration: 1 }, { generation: 2 }), 'waiting', /controller to see this version/],
    ['replicas not yet updated', deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 1, availableReplicas: 0 }), 'waiting', /^rollout 1\/3 updated, 0\/3 available$/],
    ['old replicas still there', deployment({ observedGeneration: 1, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), 'waiting', /^rollout 3\/3 updated, 1 old replicas pending termination$/],
    ['updated replicas not available', deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), 'waiting', /^rollout 3\/3 updated, 2\/3 available$/],
    ['everything available', deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'ready', /rolled out, 3\/3 available/],
    [
      'the progress deadline passed',
      deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }] }),
      'failed',
      /exceeded its progress deadline \(60s\): ReplicaSet "web-1" has timed out/,
    ],
  ])('%s', (_name, obj, state, summary) => {
    const a = assess('apps', 'Deployment', obj, noWorld);
    expect(a.state).toBe(state);
    expect(a.summary).toMatch(summary);
  });

  it('speaks of the pods of the current revision only', () => {
    const d = deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 1 });
    d.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    const world: World = {
      ...noWorld,
      replicaSetsOwnedBy: () => [
        { metadata: { name: 'web-old', uid: 'rs1', annotations: { 'deployment.kubernetes.io/revision': '1' } } } as never,
        { metadata: { name: 'web-new', uid: 'rs2', annotations: { 'deployment.kubernetes.io/revision': '2' } } } as never,
      ],
      podsOwnedBy: (uid) => (uid === 'rs2' ? [unschedulable('web-new-a')] : [pulling('web-old-a', 'ImagePullBackOff', 'Back-off')]),
    };
    const a = assess('apps', 'Deployment', d, world);
    expect(a.issues.map((i) => [i.pod, i.reason])).toEqual([['web-new-a', 'Unschedulable']]);
    expect(a.pendingPods).toBe(1);
  });
});

describe('other kinds', () => {
  it.each([
    ['a Job that completed', 'ready', 'batch', 'Job', { spec: { completions: 2 }, status: { succeeded: 2, conditions: [{ type: 'Complete', status: 'True' }] } }],
    ['a Job that failed', 'failed', 'batch', 'Job', { spec: {}, status: { failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } }],
    ['a running Job', 'waiting', 'batch', 'Job', { spec: { completions: 3 }, status: { succeeded: 1, active: 1 } }],
    ['a ready Pod', 'ready', '', 'Pod', { spec: { nodeName: 'n1', containers: [] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }],
    ['a Pod that succeeded', 'ready', '', 'Pod', { spec: { containers: [] }, status: { phase: 'Succeeded' } }],
    ['a Pod that failed', 'failed', '', 'Pod', { spec: { containers: [] }, status: { phase: 'Failed', reason: 'Error' } }],
    ['a Service without an IP yet', 'waiting', '', 'Service', { spec: { selector: { app: 'web' } } }],
    ['a Service without a selector', 'ready', '', 'Service', { spec: { clusterIP: '10.96.0.9' } }],
    ['a Service whose pods are not ready', 'waiting', '', 'Service', { spec: { clusterIP: '10.96.0.9', selector: { app: 'web' } } }],
    ['a CRD not yet established', 'waiting', 'apiextensions.k8s.io', 'CustomResourceDefinition', { status: {} }],
    ['a ConfigMap', 'ready', '', 'ConfigMap', { data: {} }],
    ['a CronJob', 'ready', 'batch', 'CronJob', { spec: { schedule: '* * * * *' } }],
  ])('%s is %s', (_name, state, group, kind, rest) => {
    expect(assess(group, kind, { apiVersion: 'v1', kind, metadata: { name: 'x', namespace: 'default', uid: 'u' }, ...rest } as Obj, noWorld).state).toBe(state);
  });

  it('counts the ready addresses of a Service', () => {
    const world: World = { ...noWorld, endpoints: () => ({ metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }] }) as never };
    const a = assess('', 'Service', { metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.9', selector: { app: 'web' } } }, world);
    expect([a.state, a.summary]).toEqual(['ready', 'cluster IP 10.96.0.9, 2 ready endpoints']);
    const nodePort = assess('', 'Service', { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', clusterIP: '10.96.0.9', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } }, world);
    expect(nodePort.summary).toBe('cluster IP 10.96.0.9, node port 30080, 2 ready endpoints');
  });
});

describe('pod issues', () => {
  it('reads unschedulable, image pull, crash loop and config errors from the status', () => {
    const crashing = pod('c', {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: false, restartCount: 4, image: 'app:1', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { exitCode: 2, reason: 'Error' } } },
      ],
    });
    expect(podIssues(crashing)).toEqual([expect.objectContaining({ kind: 'crash', reason: 'CrashLoopBackOff', restarts: 4, lastExit: 'exit code 2' })]);
    expect(podIssues(unschedulable('u'))).toEqual([expect.objectContaining({ kind: 'unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' })]);
    expect(podIssues(pulling('p', 'ErrImagePull', 'not found'))).toEqual([expect.objectContaining({ kind: 'image', image: 'nope:1' })]);
  });
});

describe('waiting over time', () => {
  const rules = { unschedulableSettleMs: 5000, imageMissingMs: 30000 };
  const waitingWith = (pods: Pod[]) => ({ state: 'waiting' as const, summary: 'rollout 0/1 updated', issues: pods.flatMap(podIssues), pendingPods: pods.length });

  it('calls a pod that stays unschedulable for the settle time unschedulable, and takes it back when it is placed', () => {
    const t = new ObjectTracker(rules);
    expect(t.update(waitingWith([unschedulable('a')]), 0).state).toBe('waiting');
    expect(t.update(waitingWith([unschedulable('a')]), 4999).state).toBe('waiting');
    const settled = t.update(waitingWith([unschedulable('a')]), 5000);
    expect(settled.state).toBe('unschedulable');
    expect(settled.reason).toBe('pod a cannot be scheduled: 0/2 nodes are available: 2 Insufficient cpu.');
    expect(t.update(waitingWith([pod('a', { phase: 'Pending' }, 'n1')]), 6000).state).toBe('waiting');
  });

  it('fails fast when every pending pod has waited on an image that does not exist for 30 s', () => {
    const t = new ObjectTracker(rules);
    t.update(waitingWith([pulling('a', 'ErrImagePull', 'Failed to pull image "nope:1": not found'), pulling('b', 'ImagePullBackOff', 'Back-off pulling image "nope:1"')]), 0);
    expect(t.update(waitingWith([pulling('a', 'ImagePullBackOff', 'Back-off'), pulling('b', 'ImagePullBackOff', 'Back-off')]), 29_000).state).toBe('waiting');
    const failed = t.update(waitingWith([pulling('a', 'ImagePullBackOff', 'Back-off'), pulling('b', 'ImagePullBackOff', 'Back-off')]), 30_000);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toBe('image nope:1 does not exist: Failed to pull image "nope:1": not found');
  });

  it('does not fail fast while some pending pod waits on something else, or the pull error may pass', () => {
    const other = new ObjectTracker(rules);
    other.update(waitingWith([pulling('a', 'ErrImagePull', 'not found'), pod('b', { phase: 'Pending' }, 'n1')]), 0);
    expect(other.update(waitingWith([pulling('a', 'ImagePullBackOff', 'x'), pod('b', { phase: 'Pending' }, 'n1')]), 60_000).state).toBe('waiting');
    const transient = new ObjectTracker(rules);
    transient.update(waitingWith([pulling('a', 'ErrImagePull', 'dial tcp: connection refused')]), 0);
    expect(transient.update(waitingWith([pulling('a', 'ImagePullBackOff', 'x')]), 60_000).state).toBe('waiting');
  });

  it('keeps a failure, and times out what is still waiting', () => {
    const t = new ObjectTracker(rules);
    t.update({ state: 'failed', summary: 'failed: BackoffLimitExceeded', issues: [], pendingPods: 0 }, 0);
    expect(t.update({ state: 'ready', summary: 'complete', issues: [], pendingPods: 0 }, 1).state).toBe('failed');
    const slow = new ObjectTracker(rules);
    slow.update(waitingWith([]), 0);
    expect(slow.timeOut(300_000)).toMatchObject({ state: 'timeout', reason: 'not ready after 300s: rollout 0/1 updated' });
    const stuck = new ObjectTracker(rules);
    stuck.update(waitingWith([unschedulable('a')]), 0);
    expect(stuck.timeOut(1000).state).toBe('unschedulable');
  });
});
