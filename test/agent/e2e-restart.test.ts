/**
 * `berth agent` killed with SIGKILL while 20 pods run, then started again: the new agent adopts
 * every container it finds and restarts none (same container ids, same start times, no new
 * containers), then goes on running new pods and serving logs. The agent runs from the sources in
 * a child process, as `bin/berth agent` runs it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { Pod } from '../../src/api/types';
import { AgentLogs } from '../../src/apiserver/agent-logs';
import { kinds } from '../../src/client';
import { busyboxImage, requireDocker } from '../support/busybox-image';
import { eventually, startControlPlane, TestControlPlane } from '../support/control-plane';
import { isRunning } from './e2e-harness';

const root = path.resolve(__dirname, '../..');
let plane: TestControlPlane;
let docker: Docker;
let image: string;
let dir: string;
const suffix = randomBytes(3).toString('hex');
const node = `restart-${suffix}`;
const network = `berth-test-restart-${suffix}`;
const token = randomBytes(16).toString('hex');
let agent: ChildProcess | undefined;

function startAgentProcess(): Promise<ChildProcess> {
  const args = [
    '-r', path.join(root, 'test/store/register-typescript.js'), path.join(root, 'src/cli/main.ts'),
    'agent', '--server', plane.api.url, '--node', node, '--runtime', 'docker', '--network', network,
    '--data-dir', path.join(dir, 'agent'), '--node-ip', '127.0.0.1', '--no-service-proxy',
    '--agent-token-file', path.join(dir, 'agent-token'), '--log-listen', '127.0.0.1:0',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BERTH_LOG_LEVEL: 'warn' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth agent did not start in 60 s: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (/registered/.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`berth agent exited with ${code}: ${output}`)));
  });
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Every container of the node on the engine: id → its pod, state, start time and restart count. */
async function containers(): Promise<Map<string, string>> {
  const listed = await docker.listContainers({ all: true, filters: { label: [`berth.node=${node}`] } });
  const out = new Map<string, string>();
  for (const c of listed) {
    const info = await docker.getContainer(c.Id).inspect().catch(() => undefined);
    if (!info) continue; // removed since the list: gone
    out.set(c.Id, `${c.Labels['berth.pod.name']} ${info.State.Status} started ${info.State.StartedAt} restarts ${info.RestartCount}`);
  }
  return out;
}

beforeAll(async () => {
  docker = await requireDocker();
  image = await busyboxImage(docker);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-restart-'));
  fs.writeFileSync(path.join(dir, 'agent-token'), `${token}\n`);
  plane = await startControlPlane([]);
  plane.api.server.services.nodeLogs = new AgentLogs({ token });
}, 60_000);

afterAll(async () => {
  if (agent) await kill(agent, 'SIGTERM');
  await plane?.stop();
  const left = await docker.listContainers({ all: true, filters: { label: [`berth.node=${node}`] } });
  left.sort((a, b) => Number(a.Labels['berth.role'] === 'sandbox') - Number(b.Labels['berth.role'] === 'sandbox'));
  for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  await docker.getNetwork(network).remove().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    nodeName: node,
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'app', image, command: ['sh', '-c', `echo "${name} up"; exec sleep 3600`] }],
  },
});

it('adopts the containers of 20 running pods after a SIGKILL and restarts none of them', async () => {
  agent = await startAgentProcess();
  const pods = plane.client.resource(kinds.Pod, 'default');
  const names = Array.from({ length: 20 }, (_, i) => `sleeper-${i}`);
  await Promise.all(names.map((name) => pods.create(pod(name))));
  await eventually('20 pods Running', async () => (await pods.list()).items.filter(isRunning).length === 20, 90_000, 250);
  const before = await containers();
  expect(before.size).toBe(40); // a sandbox and an app container per pod

  await kill(agent, 'SIGKILL');
  agent = await startAgentProcess();
  // The new agent is at work: a new pod runs, and a deleted one goes.
  await pods.create(pod('newcomer'));
  await eventually('the newcomer Running', async () => isRunning(await pods.get('newcomer')), 30_000);
  await pods.delete('sleeper-0');
  await eventually('sleeper-0 gone', async () => (await pods.list({ fieldSelector: 'metadata.name=sleeper-0' })).items.length === 0, 30_000);

  const after = await containers();
  const kept = (map: Map<string, string>) => [...map].filter(([, v]) => !v.startsWith('sleeper-0 ') && !v.startsWith('newcomer '));
  // Every other container is the very same one, started at the same time, never restarted.
  expect(kept(after)).toEqual(kept(before));
  expect([...after.values()].filter((v) => v.startsWith('newcomer ')).length).toBe(2);
  expect([...after.values()].filter((v) => v.startsWith('sleeper-0 '))).toEqual([]);
  const listed = (await pods.list()).items;
  expect(listed.filter((p) => p.metadata.name !== 'newcomer').every((p) => isRunning(p) && p.status!.containerStatuses![0].restartCount === 0)).toBe(true);

  const logs = await pods.logs('sleeper-7');
  let text = '';
  for await (const chunk of logs) text += chunk.toString();
  expect(text).toBe('sleeper-7 up\n');
}, 180_000);
