import { Container } from '../../api/types';
import { computePodActions } from './actions';
import { Backoff, crashKey, pullKey } from './backoff';
import { emptyObserved } from './observed';
import { T0, exited, instance, observed, pod, sandbox, seconds } from './test-fixtures';

const app: Container = { name: 'app', image: 'berth/busybox:1.35' };
const side: Container = { name: 'side', image: 'berth/busybox:1.35' };
const init1: Container = { name: 'init-1', image: 'berth/busybox:1.35' };
const init2: Container = { name: 'init-2', image: 'berth/busybox:1.35' };

const fresh = () => ({ crash: new Backoff(), pull: new Backoff() });
const initInstance = (c: Container, over = {}) => instance(c, { kind: 'init', ...over });

describe('computePodActions', () => {
  it('creates the sandbox and starts every app container of a new pod', () => {
    const actions = computePodActions(pod({ containers: [app, side] }), emptyObserved(), T0, fresh());
    expect(actions.createSandbox).toEqual({ attempt: 0 });
    expect(actions.killPod).toBe(false);
    expect(actions.start).toEqual([
      { name: 'app', kind: 'app', attempt: 0 },
      { name: 'side', kind: 'app', attempt: 0 },
    ]);
  });

  it('starts only the first init container of a new pod', () => {
    const actions = computePodActions(pod({ initContainers: [init1, init2] }), emptyObserved(), T0, fresh());
    expect(actions.createSandbox).toEqual({ attempt: 0 });
    expect(actions.start).toEqual([{ name: 'init-1', kind: 'init', attempt: 0 }]);
  });

  it.each([
    ['the next init container once the one before completed', [exited(init1, 0, T0 + seconds(2), { kind: 'init' })], [{ name: 'init-2', kind: 'init', attempt: 0 }]],
    ['nothing while an init container runs', [initInstance(init1)], []],
    [
      'the app containers once every init container completed',
      [exited(init1, 0, T0 + seconds(2), { kind: 'init' }), exited(init2, 0, T0 + seconds(3), { kind: 'init' })],
      [{ name: 'app', kind: 'app', attempt: 0 }],
    ],
  ])('with init containers, starts %s', (_name, containers, start) => {
    const actions = computePodActions(pod({ initContainers: [init1, init2] }), observed(containers), T0 + seconds(5), fresh());
    expect(actions.createSandbox).toBeUndefined();
    expect(actions.start).toEqual(start);
  });

  it('fails the pod when an init container fails and nothing may restart', () => {
    const containers = [exited(init1, 1, T0 + seconds(2), { kind: 'init' })];
    const actions = computePodActions(pod({ initContainers: [init1], restartPolicy: 'Never' }), observed(containers), T0 + seconds(5), fresh());
    expect(actions.killPod).toBe(true);
    expect(actions.start).toEqual([]);
  });

  it('restarts a failed init container under restartPolicy OnFailure', () => {
    const finished = T0 + seconds(2);
    const containers = [exited(init1, 1, finished, { kind: 'init' })];
    const actions = computePodActions(pod({ initContainers: [init1], restartPolicy: 'OnFailure' }), observed(containers), T0 + seconds(5), fresh());
    expect(actions.start).toEqual([{ name: 'init-1', kind: 'init', attempt: 1, backoffFrom: finished }]);
  });

  it.each([
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 1, true],
    ['OnFailure', 0, false],
    ['Never', 1, false],
    ['Never', 0, false],
  ] as const)('under restartPolicy %s, a container that exited %i is restarted: %s', (policy, code, restarted) => {
    const finished = T0 + seconds(3);
    const actions = computePodActions(pod({ restartPolicy: policy }), observed([exited(app, code, finished)]), T0 + seconds(4), fresh());
    expect(actions.start).toEqual(restarted ? [{ name: 'app', kind: 'app', attempt: 1, backoffFrom: finished }] : []);
    // Nothing runs and nothing will: the sandbox goes.
    expect(actions.killPod).toBe(!restarted);
  });

  it('holds a crashing container back with delays that double up to five minutes (CrashLoopBackOff)', () => {
    const backoffs = fresh();
    const subject = pod();
    let now = T0;
    let attempt = 0;
    const delays: number[] = [];
    const messages: string[] = [];
    for (let crash = 0; crash < 8; crash++) {
      // The container runs a second and exits 1.
      now += seconds(1);
      const latest = exited(app, 1, now, { attempt, createdAt: now - seconds(1) });
      let actions = computePodActions(subject, observed([latest]), now, backoffs);
      if (actions.waiting.app) {
        expect(actions.waiting.app.reason).toBe('CrashLoopBackOff');
        expect(actions.start).toEqual([]);
        delays.push(actions.waiting.app.retryInMs);
        messages.push(actions.waiting.app.message!);
        expect(actions.requeueAfterMs).toBe(actions.waiting.app.retryInMs);
        now += actions.waiting.app.retryInMs;
        actions = computePodActions(subject, observed([latest]), now, backoffs);
      }
      expect(actions.start).toEqual([{ name: 'app', kind: 'app', attempt: attempt + 1, backoffFrom: latest.finishedAt }]);
      backoffs.crash.next(crashKey('uid-1', 'app'), actions.start[0].backoffFrom!, now);
      attempt++;
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300].map(seconds));
    expect(messages[0]).toBe('back-off 10s restarting failed container=app pod=web_default(uid-1)');
    expect(messages[4]).toBe('back-off 2m40s restarting failed container=app pod=web_default(uid-1)');
    expect(messages[6]).toBe('back-off 5m0s restarting failed container=app pod=web_default(uid-1)');
  });

  it('starts the crash backoff over after a container ran for ten minutes', () => {
    const backoffs = fresh();
    const key = crashKey('uid-1', 'app');
    backoffs.crash.next(key, T0, T0);
    backoffs.crash.next(key, T0 + seconds(20), T0 + seconds(20));
    expect(backoffs.crash.delay(key)).toBe(seconds(20));
    const finished = T0 + seconds(20 + 11 * 60);
    const actions = computePodActions(pod(), observed([exited(app, 1, finished, { attempt: 2 })]), finished + 1, backoffs);
    expect(actions.start).toEqual([{ name: 'app', kind: 'app', attempt: 3, backoffFrom: finished }]);
    expect(backoffs.crash.next(key, finished, finished + 1)).toBe(seconds(10));
  });

  it('waits out an image pull backoff with ImagePullBackOff and the upstream message', () => {
    const backoffs = fresh();
    backoffs.pull.next(pullKey('uid-1', app.image!), T0, T0);
    const actions = computePodActions(pod(), observed([]), T0 + seconds(4), backoffs);
    expect(actions.start).toEqual([]);
    expect(actions.waiting.app).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "berth/busybox:1.35"',
      retryInMs: seconds(6),
    });
    expect(actions.killPod).toBe(false);
    const later = computePodActions(pod(), observed([]), T0 + seconds(10), backoffs);
    expect(later.start).toEqual([{ name: 'app', kind: 'app', attempt: 0 }]);
  });

  it('kills and restarts a container whose liveness probe failed', () => {
    const running = instance(app);
    const actions = computePodActions(
      pod(),
      observed([running], { unhealthy: { [running.id]: 'Container app failed liveness probe' } }),
      T0 + seconds(30),
      fresh(),
    );
    expect(actions.kill).toEqual([{ id: running.id, name: 'app', message: 'Container app failed liveness probe, will be restarted' }]);
    expect(actions.start).toEqual([{ name: 'app', kind: 'app', attempt: 1 }]);
  });

  it('kills without restarting a container that failed liveness under restartPolicy Never', () => {
    const running = instance(app);
    const actions = computePodActions(
      pod({ restartPolicy: 'Never' }),
      observed([running], { unhealthy: { [running.id]: 'Container app failed liveness probe' } }),
      T0 + seconds(30),
      fresh(),
    );
    expect(actions.kill).toEqual([{ id: running.id, name: 'app', message: 'Container app failed liveness probe' }]);
    expect(actions.start).toEqual([]);
  });

  it('replaces a running container whose spec changed, whatever the restart policy', () => {
    const running = instance(app);
    const changed = { ...app, image: 'berth/busybox:1.36' };
    const actions = computePodActions(pod({ containers: [changed], restartPolicy: 'Never' }), observed([running]), T0, fresh());
    expect(actions.kill).toEqual([{ id: running.id, name: 'app', message: 'Container app definition changed, will be restarted' }]);
    expect(actions.start).toEqual([{ name: 'app', kind: 'app', attempt: 1 }]);
  });

  it('leaves a healthy running pod alone', () => {
    const actions = computePodActions(pod(), observed([instance(app)]), T0 + seconds(60), fresh());
    expect(actions).toEqual({ killPod: false, start: [], kill: [], removeContainers: [], removeSandboxes: [], waiting: {} });
  });

  it('replaces a sandbox that stopped (the runtime restarted) and starts every container again', () => {
    const stopped = sandbox({ state: 'notready' });
    const containers = [exited(app, 137, T0 + seconds(9))];
    const actions = computePodActions(pod(), observed(containers, { sandboxes: [stopped] }), T0 + seconds(10), fresh());
    expect(actions.killPod).toBe(true);
    expect(actions.createSandbox).toEqual({ attempt: 1 });
    expect(actions.start).toEqual([{ name: 'app', kind: 'app', attempt: 1, backoffFrom: T0 + seconds(9) }]);
  });

  it('does not bring a restartPolicy Never pod back once its sandbox is gone', () => {
    const stopped = sandbox({ state: 'notready' });
    const actions = computePodActions(
      pod({ restartPolicy: 'Never' }),
      observed([exited(app, 137, T0 + seconds(9))], { sandboxes: [stopped] }),
      T0 + seconds(10),
      fresh(),
    );
    expect(actions.createSandbox).toBeUndefined();
    expect(actions.start).toEqual([]);
  });

  it('does not set up a pod again whose containers all succeeded under OnFailure', () => {
    const stopped = sandbox({ state: 'notready' });
    const actions = computePodActions(
      pod({ restartPolicy: 'OnFailure' }),
      observed([exited(app, 0, T0 + seconds(9))], { sandboxes: [stopped] }),
      T0 + seconds(10),
      fresh(),
    );
    expect(actions.createSandbox).toBeUndefined();
  });

  it('reruns the init containers in a new sandbox', () => {
    const stopped = sandbox({ state: 'notready' });
    const containers = [exited(init1, 0, T0 + seconds(2), { kind: 'init' }), exited(app, 137, T0 + seconds(9))];
    const actions = computePodActions(pod({ initContainers: [init1] }), observed(containers, { sandboxes: [stopped] }), T0 + seconds(10), fresh());
    expect(actions.createSandbox).toEqual({ attempt: 1 });
    expect(actions.start).toEqual([{ name: 'init-1', kind: 'init', attempt: 1, backoffFrom: T0 + seconds(2) }]);
    // In the new sandbox, the old init container's success does not count.
    const next = sandbox({ id: 'sandbox-1', attempt: 1, createdAt: T0 + seconds(11) });
    const afterwards = computePodActions(
      pod({ initContainers: [init1] }),
      observed(containers, { sandboxes: [stopped, next] }),
      T0 + seconds(12),
      fresh(),
    );
    expect(afterwards.start.map((s) => s.name)).toEqual(['init-1']);
  });

  it('stops everything of a pod being deleted and starts nothing', () => {
    const deleting = pod({}, { metadata: { name: 'web', namespace: 'default', uid: 'uid-1', deletionTimestamp: '2026-01-01T00:01:00Z' } });
    const actions = computePodActions(deleting, observed([instance(app)]), T0, fresh());
    expect(actions.killPod).toBe(true);
    expect(actions.start).toEqual([]);
  });

  it('keeps the newest two instances of a container and removes older dead ones', () => {
    const containers = [0, 1, 2, 3].map((attempt) => exited(app, 1, T0 + seconds(attempt * 10), { attempt }));
    const actions = computePodActions(pod(), observed(containers), T0 + seconds(100), fresh());
    expect(actions.removeContainers.sort()).toEqual(['app-0', 'app-1']);
  });

  it('replaces a container that was created but never ran', () => {
    const created = instance(app, { state: 'created', startedAt: undefined });
    const actions = computePodActions(pod(), observed([created]), T0, fresh());
    expect(actions.kill.map((k) => k.id)).toEqual([created.id]);
    expect(actions.start).toEqual([{ name: 'app', kind: 'app', attempt: 1 }]);
  });
});
