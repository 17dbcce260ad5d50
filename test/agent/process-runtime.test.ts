/**
 * The process runtime: containers as plain host processes, watched by a detached wrapper that
 * records output and exit, so a restarted agent adopts them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pod } from '../../src/api/types';
import { podLogs } from '../../src/agent/logs/pod-logs';
import { noInputs } from '../../src/agent/pod-sync/env';
import { PodSyncer } from '../../src/agent/pod-sync/syncer';
import { ProcessRuntime } from '../../src/agent/runtime/process/process-runtime';
import { waitFor } from '../support/ports';
import { readAll } from './harness';

let dataDir: string;
const syncers: PodSyncer[] = [];

const agent = async () => {
  const runtime = new ProcessRuntime({ node: 'proc-1', dataDir });
  await runtime.prepare();
  const syncer = new PodSyncer({ runtime, dataDir, hostIP: '127.0.0.1', orphanGraceSeconds: 1 });
  syncers.push(syncer);
  return { runtime, syncer };
};

const pod = (name: string, command: string[], restartPolicy: 'Always' | 'Never' = 'Always'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: randomUUID() },
  spec: { restartPolicy, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'host', command }] },
});

const drive = async (syncer: PodSyncer, subject: Pod, done: (p: Pod) => boolean) =>
  waitFor(`pod ${subject.metadata.name}`, async () => {
    subject.status = (await syncer.sync(subject, noInputs)).status;
    return done(subject) ? subject : undefined;
  }, 10_000, 100);

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'berth-process-'));
});
afterAll(async () => {
  const { syncer } = await agent();
  await syncer.removeOrphans(new Set());
  for (const s of syncers) s.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('runs a command as a host process with its environment, logs and exit code', async () => {
  const { runtime, syncer } = await agent();
  const subject = pod('job', ['sh', '-c', 'echo "hello from $HOSTNAME on $BERTH_RUNTIME"; echo oops >&2; exit 3'], 'Never');
  await drive(syncer, subject, (p) => p.status?.phase === 'Failed');
  expect(subject.status!.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  expect(subject.status!.containerStatuses![0].containerID).toMatch(/^process:\/\//);
  expect(subject.status!.podIP).toBe('127.0.0.1');
  const logs = await readAll(await podLogs(runtime, subject, {}));
  expect(logs.split('\n').sort()).toEqual(['', 'hello from job on process', 'oops']);
});

it('keeps a running process across an agent restart and stops it on deletion', async () => {
  const first = await agent();
  const subject = pod('server', ['sh', '-c', 'echo started; exec sleep 60']);
  await drive(first.syncer, subject, (p) => p.status?.phase === 'Running');
  const id = subject.status!.containerStatuses![0].containerID;

  const second = await agent();
  const result = await second.syncer.sync(subject, noInputs);
  expect(result.events).toEqual([]);
  expect(result.status.containerStatuses![0]).toMatchObject({ containerID: id, restartCount: 0, state: { running: {} } });

  subject.metadata.deletionTimestamp = new Date().toISOString();
  const stopped = await second.syncer.sync(subject, noInputs);
  expect(stopped.status.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 143 });
});
