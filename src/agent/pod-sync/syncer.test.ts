import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pod } from '../../api/types';
import { SimulatedRuntime } from '../runtime/simulated/simulated-runtime';
import { noInputs } from './env';
import { PodSyncer } from './syncer';
import { pod } from './test-fixtures';

describe('PodSyncer on the simulated runtime', () => {
  let dataDir: string;
  let now: number;
  let runtime: SimulatedRuntime;
  let syncer: PodSyncer;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'berth-syncer-'));
    now = Date.parse('2026-01-01T00:00:00Z');
    runtime = new SimulatedRuntime({ node: 'sim-1', subnetPrefix: '10.250', clock: () => now, unpullable: (image) => image.startsWith('nowhere/') });
    syncer = new PodSyncer({ runtime, dataDir, hostIP: '192.168.1.10', clock: () => now });
  });

  afterEach(async () => {
    syncer.dispose();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Syncs as the agent would, writing the status back into the pod. */
  const sync = async (subject: Pod) => {
    const result = await syncer.sync(subject, noInputs);
    subject.status = result.status;
    return result;
  };

  it('runs a pod: sandbox with an address, container running, Ready, events in order (no Pulling for an image already there)', async () => {
    const subject = pod();
    const result = await sync(subject);
    expect(result.status.phase).toBe('Running');
    expect(result.status.podIP).toMatch(/^10\.250\./);
    expect(result.status.containerStatuses![0]).toMatchObject({ ready: true, restartCount: 0, state: { running: {} } });
    expect(result.status.containerStatuses![0].containerID).toMatch(/^simulated:\/\//);
    expect(result.events.map((e) => e.reason)).toEqual(['Pulled', 'Created', 'Started']);
    // Nothing to do the second time.
    const again = await sync(subject);
    expect(again.events).toEqual([]);
    expect(again.status).toEqual(result.status);
  });

  it('shows ErrImagePull, then ImagePullBackOff, and keeps the pod', async () => {
    const subject = pod({ containers: [{ name: 'app', image: 'nowhere/app:1' }] });
    const first = await sync(subject);
    expect(first.status.phase).toBe('Pending');
    expect(first.status.containerStatuses![0].state!.waiting).toEqual({
      reason: 'ErrImagePull',
      message: 'Failed to pull image "nowhere/app:1": Error response from daemon: simulated pull failure',
    });
    expect(first.requeueAfterMs).toBe(10_000);
    now += 1000;
    const second = await sync(subject);
    expect(second.status.containerStatuses![0].state!.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "nowhere/app:1"' });
    expect(second.requeueAfterMs).toBe(9000);
    now += 9000;
    const third = await sync(subject);
    expect(third.status.containerStatuses![0].state!.waiting!.reason).toBe('ErrImagePull');
    // The next wait is twice as long.
    expect(third.requeueAfterMs).toBe(20_000);
  });

  it('restarts a crashing container with growing backoff and reports CrashLoopBackOff', async () => {
    const subject = pod({ containers: [{ name: 'app', image: 'x:1', env: [{ name: 'SIMULATED_EXIT_CODE', value: '3' }] }] });
    await sync(subject);
    const restarts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await sync(subject);
      const status = result.status.containerStatuses![0];
      restarts.push(status.restartCount);
      if (result.requeueAfterMs) {
        expect(status.state!.waiting!.reason).toBe('CrashLoopBackOff');
        expect(status.lastState!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
        now += result.requeueAfterMs;
      }
    }
    expect(restarts).toEqual([1, 1, 2, 2]);
    expect(subject.status!.phase).toBe('Running');
  });

  it('runs a Job-like pod to Succeeded and stops its sandbox', async () => {
    const subject = pod({ restartPolicy: 'Never', containers: [{ name: 'app', image: 'x:1', env: [{ name: 'SIMULATED_EXIT_CODE', value: '0' }] }] });
    await sync(subject);
    const result = await sync(subject);
    expect(result.status.phase).toBe('Succeeded');
    expect(result.status.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect((await runtime.listSandboxes())[0].state).toBe('notready');
  });

  it('says why a container cannot be configured (CreateContainerConfigError)', async () => {
    const subject = pod({ containers: [{ name: 'app', image: 'x:1', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }] });
    const result = await sync(subject);
    expect(result.status.containerStatuses![0].state!.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'secret "db" not found' });
  });

  it('stops a deleted pod and removes the containers of pods that are gone', async () => {
    const subject = pod();
    await sync(subject);
    subject.metadata.deletionTimestamp = '2026-01-01T00:00:10Z';
    subject.metadata.deletionGracePeriodSeconds = 0;
    const result = await sync(subject);
    expect(result.status.phase).toBe('Failed');
    expect(result.status.containerStatuses![0].state!.terminated!.exitCode).toBe(143);
    expect(await syncer.removeOrphans(new Set())).toEqual(['uid-1']);
    expect(await runtime.listContainers()).toEqual([]);
    expect(await runtime.listSandboxes()).toEqual([]);
  });
});
