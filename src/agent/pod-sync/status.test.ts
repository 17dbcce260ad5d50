import { Container, Pod, PodCondition } from '../../api/types';
import { emptyObserved } from './observed';
import { podStatus, ProbeResults, statusChanged, timestamp } from './status';
import { T0, exited, instance, observed, pod, sandbox, seconds } from './test-fixtures';

const app: Container = { name: 'app', image: 'berth/busybox:1.35' };
const init: Container = { name: 'init', image: 'berth/busybox:1.35' };
const probes = (verdicts: Record<string, boolean>): ProbeResults => ({ result: (id, kind) => verdicts[`${id}/${kind}`] });
const none = probes({});
const condition = (conditions: PodCondition[] | undefined, type: string) => conditions?.find((c) => c.type === type);

describe('podStatus', () => {
  it('reports a pod nothing ran for yet as Pending with every container ContainerCreating', () => {
    const status = podStatus(pod(), emptyObserved('192.168.1.10'), none, T0);
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses).toEqual([
      { name: 'app', ready: false, restartCount: 0, image: 'berth/busybox:1.35', imageID: '', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, started: false },
    ]);
    expect(status.conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(T0) },
      { type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: timestamp(T0) },
      { type: 'Initialized', status: 'True', lastTransitionTime: timestamp(T0) },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]', lastTransitionTime: timestamp(T0) },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]', lastTransitionTime: timestamp(T0) },
    ]);
    expect(status.hostIP).toBe('192.168.1.10');
    expect(status.podIP).toBeUndefined();
    expect(status.startTime).toBe(timestamp(T0));
    expect(status.qosClass).toBe('BestEffort');
  });

  it('reports a running container without probes as ready, with the pod IP and a docker:// container ID', () => {
    const status = podStatus(pod(), observed([instance(app)]), none, T0 + seconds(5));
    expect(status.phase).toBe('Running');
    expect(status.podIP).toBe('10.88.0.5');
    expect(status.podIPs).toEqual([{ ip: '10.88.0.5' }]);
    expect(status.containerStatuses![0]).toMatchObject({
      ready: true,
      started: true,
      containerID: 'docker://app-0',
      imageID: 'sha256:abc',
      state: { running: { startedAt: timestamp(T0 + seconds(1)) } },
    });
    expect(condition(status.conditions, 'Ready')).toMatchObject({ status: 'True' });
    expect(condition(status.conditions, 'PodReadyToStartContainers')).toMatchObject({ status: 'True' });
  });

  it('follows the readiness probe for ready, and the startup probe for started', () => {
    const probed = pod({ containers: [{ ...app, readinessProbe: { tcpSocket: { port: 80 } }, startupProbe: { exec: { command: ['true'] } } }] });
    const running = instance(probed.spec!.containers[0]);
    const before = podStatus(probed, observed([running]), none, T0);
    expect(before.containerStatuses![0]).toMatchObject({ ready: false, started: false });
    const started = podStatus(probed, observed([running]), probes({ 'app-0/startup': true }), T0);
    expect(started.containerStatuses![0]).toMatchObject({ ready: false, started: true });
    const ready = podStatus(probed, observed([running]), probes({ 'app-0/startup': true, 'app-0/readiness': true }), T0);
    expect(ready.containerStatuses![0]).toMatchObject({ ready: true, started: true });
    expect(condition(ready.conditions, 'ContainersReady')).toMatchObject({ status: 'True' });
  });

  it.each([
    ['OOMKilled', { exitCode: 137, oomKilled: true }],
    ['Error', { exitCode: 1 }],
    ['Completed', { exitCode: 0 }],
  ])('names a termination %s', (reason, over) => {
    const status = podStatus(pod({ restartPolicy: 'Never' }), observed([exited(app, over.exitCode, T0 + seconds(3), over)]), none, T0 + seconds(4));
    expect(status.containerStatuses![0].state).toEqual({
      terminated: {
        exitCode: over.exitCode,
        reason,
        startedAt: timestamp(T0 + seconds(1)),
        finishedAt: timestamp(T0 + seconds(3)),
        containerID: 'docker://app-0',
      },
    });
  });

  it('shows CrashLoopBackOff as waiting, the last exit as lastState, and the restart count', () => {
    const containers = [exited(app, 1, T0 + seconds(3), { attempt: 2 }), exited(app, 1, T0 + seconds(2), { attempt: 1 })];
    const waiting = { app: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=web_default(uid-1)' } };
    const status = podStatus(pod(), observed(containers, { waiting }), none, T0 + seconds(4));
    expect(status.phase).toBe('Running');
    expect(status.containerStatuses![0]).toMatchObject({
      restartCount: 2,
      ready: false,
      state: { waiting: waiting.app },
      lastState: { terminated: { exitCode: 1, reason: 'Error', containerID: 'docker://app-2' } },
    });
  });

  it('keeps the previous instance as lastState while the new one runs', () => {
    const containers = [instance(app, { attempt: 1 }), exited(app, 137, T0 + seconds(2), { attempt: 0, oomKilled: true })];
    const status = podStatus(pod(), observed(containers), none, T0 + seconds(4));
    expect(status.containerStatuses![0]).toMatchObject({
      restartCount: 1,
      state: { running: {} },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
    });
  });

  it('shows ErrImagePull with the pull error while the image is missing', () => {
    const waiting = { app: { reason: 'ErrImagePull', message: 'Failed to pull image "nope:1": not found' } };
    const status = podStatus(pod(), observed([], { waiting }), none, T0);
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses![0].state).toEqual({ waiting: waiting.app });
  });

  it.each([
    ['OnFailure', [0], 'Succeeded'],
    ['Never', [0], 'Succeeded'],
    ['Never', [1], 'Failed'],
    ['Never', [0, 1], 'Failed'],
    ['Always', [0], 'Running'],
    ['OnFailure', [1], 'Running'],
  ] as const)('under restartPolicy %s, containers that exited %j make the pod %s', (policy, codes, phase) => {
    const containers = codes.map((_, i) => ({ name: `c${i}`, image: 'berth/busybox:1.35' }));
    const status = podStatus(
      pod({ containers, restartPolicy: policy }),
      observed(containers.map((c, i) => exited(c, codes[i], T0 + seconds(3)))),
      none,
      T0 + seconds(4),
    );
    expect(status.phase).toBe(phase);
  });

  it('says PodCompleted in the Ready condition of a pod that succeeded', () => {
    const status = podStatus(pod({ restartPolicy: 'Never' }), observed([exited(app, 0, T0 + seconds(3))]), none, T0 + seconds(4));
    expect(condition(status.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(status.conditions, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('keeps a pod Pending, not Initialized and its app containers PodInitializing while init containers run', () => {
    const subject = pod({ initContainers: [init] });
    const status = podStatus(subject, observed([instance(init, { kind: 'init' })]), none, T0 + seconds(2));
    expect(status.phase).toBe('Pending');
    expect(condition(status.conditions, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init]',
    });
    expect(status.initContainerStatuses![0]).toMatchObject({ name: 'init', state: { running: {} }, ready: false });
    expect(status.containerStatuses![0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
  });

  it('marks a completed init container ready and the pod Initialized', () => {
    const subject = pod({ initContainers: [init] });
    const status = podStatus(subject, observed([exited(init, 0, T0 + seconds(2), { kind: 'init' }), instance(app, { createdAt: T0 + seconds(3) })]), none, T0 + seconds(4));
    expect(status.phase).toBe('Running');
    expect(status.initContainerStatuses![0]).toMatchObject({ ready: true, state: { terminated: { reason: 'Completed' } } });
    expect(condition(status.conditions, 'Initialized')).toMatchObject({ status: 'True' });
  });

  it('fails a restartPolicy Never pod whose init container failed', () => {
    const subject = pod({ initContainers: [init], restartPolicy: 'Never' });
    const status = podStatus(subject, observed([exited(init, 2, T0 + seconds(2), { kind: 'init' })]), none, T0 + seconds(4));
    expect(status.phase).toBe('Failed');
  });

  it('keeps lastTransitionTime while a condition holds, and moves it when the condition changes', () => {
    const first = podStatus(pod(), observed([]), none, T0);
    const stored = pod({}, { status: first });
    const same = podStatus(stored, observed([]), none, T0 + seconds(30));
    expect(condition(same.conditions, 'Ready')!.lastTransitionTime).toBe(timestamp(T0));
    expect(statusChanged(first, same)).toBe(false);
    const ready = podStatus(stored, observed([instance(app)]), none, T0 + seconds(60));
    expect(condition(ready.conditions, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: timestamp(T0 + seconds(60)) });
    expect(condition(ready.conditions, 'Initialized')!.lastTransitionTime).toBe(timestamp(T0));
    expect(statusChanged(first, ready)).toBe(true);
  });

  it('keeps a pod that ended in its final phase', () => {
    const ended: Pod = pod({}, { status: { phase: 'Succeeded' } });
    expect(podStatus(ended, observed([instance(app)]), none, T0).phase).toBe('Succeeded');
  });

  it('ends a deleted pod whose containers all stopped as Succeeded or Failed, whatever the restart policy', () => {
    const deleting = (code: number) =>
      podStatus(
        pod({}, { metadata: { name: 'web', namespace: 'default', uid: 'uid-1', deletionTimestamp: timestamp(T0) } }),
        observed([exited(app, code, T0 + seconds(3))]),
        none,
        T0 + seconds(4),
      ).phase;
    expect(deleting(0)).toBe('Succeeded');
    expect(deleting(143)).toBe('Failed');
  });

  it("reports the node's address as the pod IP of a hostNetwork pod", () => {
    const status = podStatus(pod({ hostNetwork: true }), observed([instance(app)], { sandboxes: [sandbox({ hostNetwork: true, ip: undefined })] }), none, T0);
    expect(status.podIP).toBe('192.168.1.10');
  });

  it('keeps placement conditions and readiness gates, and holds Ready until the gates pass', () => {
    const gated = pod(
      { readinessGates: [{ conditionType: 'example.com/lb' }] },
      { status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }] } },
    );
    const status = podStatus(gated, observed([instance(app)]), none, T0);
    expect(condition(status.conditions, 'PodScheduled')!.lastTransitionTime).toBe('2025-12-31T00:00:00Z');
    expect(condition(status.conditions, 'ContainersReady')).toMatchObject({ status: 'True' });
    expect(condition(status.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.',
    });
  });

  it.each([
    [{}, 'BestEffort'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ limits: { cpu: '1', memory: '64Mi' } }, 'Guaranteed'],
    [{ limits: { cpu: '1', memory: '64Mi' }, requests: { cpu: '500m' } }, 'Burstable'],
  ])('classifies resources %j as %s', (resources, qos) => {
    expect(podStatus(pod({ containers: [{ ...app, resources }] }), emptyObserved(), none, T0).qosClass).toBe(qos);
  });
});
