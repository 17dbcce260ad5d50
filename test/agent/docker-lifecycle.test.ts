/**
 * Container lifecycles on the real Docker engine: memory limits enforced (OOMKilled), images
 * that cannot be pulled (ErrImagePull, then ImagePullBackOff), probes restarting and readying
 * containers, the grace period on stop, adoption by a restarted agent, logs with tail and
 * follow, and a Docker engine that does not answer.
 */
import Docker from 'dockerode';
import { Pod } from '../../src/api/types';
import { podLogs } from '../../src/agent/logs/pod-logs';
import { noInputs } from '../../src/agent/pod-sync/env';
import { PodSyncer } from '../../src/agent/pod-sync/syncer';
import { DockerRuntime } from '../../src/agent/runtime/docker/docker-runtime';
import { ensureNetwork } from '../../src/agent/runtime/docker/network';
import { RuntimeUnavailable } from '../../src/agent/runtime/errors';
import { waitFor } from '../support/ports';
import { dockerNode, Node, readAll, ready, running, testPod } from './harness';

let node: Node;
beforeAll(async () => {
  node = await dockerNode('lifecycle');
}, 60_000);
afterAll(async () => {
  await node?.close();
});

const status = (pod: Pod) => pod.status!.containerStatuses![0];

it('OOMKills a container that allocates past its memory limit', async () => {
  const pod = testPod('hungry', {
    restartPolicy: 'Never',
    containers: [
      { name: 'app', image: node.image, command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], resources: { limits: { memory: '16Mi' } } },
    ],
  });
  // Docker may report the exit before the OOM (State.OOMKilled then stays false); the agent
  // takes the engine's oom event instead, which can come a moment after the pod failed.
  await node.drive(pod, (p) => p.status?.phase === 'Failed' && p.status.containerStatuses?.[0]?.state?.terminated?.reason === 'OOMKilled');
  expect(status(pod).state!.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  expect(status(pod).restartCount).toBe(0);
});

it('replays to a change stream that starts late what the engine did since the runtime was prepared', async () => {
  const pod = testPod('early', { restartPolicy: 'Never', containers: [{ name: 'app', image: node.image, command: ['true'] }] });
  await node.drive(pod, (p) => p.status?.phase === 'Succeeded');
  const heard: string[] = [];
  const late = new AbortController();
  const watching = node.runtime.watchChanges((uid) => heard.push(uid), late.signal);
  try {
    await waitFor('the late stream to hear of the exited container', async () => heard.includes(pod.metadata.uid!) || undefined, 10_000);
  } finally {
    late.abort();
    await watching;
  }
});

// The registry is a loopback port nobody listens on: the pull is really tried, and no traffic leaves the machine.
it('reports ErrImagePull for an absent image no registry has, then ImagePullBackOff, and keeps the pod', async () => {
  const pod = testPod('unpullable', { containers: [{ name: 'app', image: '127.0.0.1:9/berth-test/absent:1' }] });
  const first = await node.syncer.sync(pod, noInputs);
  pod.status = first.status;
  expect(first.status.phase).toBe('Pending');
  const waiting = first.status.containerStatuses![0].state!.waiting!;
  expect(waiting.reason).toBe('ErrImagePull');
  // The pull was attempted: the message carries the engine's answer.
  expect(waiting.message).toMatch(/^Failed to pull image "127\.0\.0\.1:9\/berth-test\/absent:1": Error response from daemon: .+/);
  expect(first.events.map((e) => e.reason)).toEqual(['Pulling', 'Failed', 'Failed']);
  expect(first.requeueAfterMs).toBe(10_000);
  const second = await node.syncer.sync(pod, noInputs);
  expect(second.status.containerStatuses![0].state!.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "127.0.0.1:9/berth-test/absent:1"' });
  expect(second.status.phase).toBe('Pending');
});

it('restarts a container whose liveness probe fails, and readies one whose readiness probe passes', async () => {
  const pod = testPod('probed', {
    containers: [
      {
        name: 'fragile',
        image: node.image,
        // Healthy for about two seconds, then the liveness file goes away.
        command: ['sh', '-c', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 3600'],
        livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
      },
      {
        name: 'web',
        image: node.image,
        command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
        readinessProbe: { httpGet: { port: 'http', path: '/index.html' }, periodSeconds: 1 },
        ports: [{ name: 'http', containerPort: 8080 }],
      },
    ],
  });
  const events = await node.drive(pod, (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && ready(p), { timeoutMs: 30_000 });
  expect(events).toContainEqual(
    expect.objectContaining({ reason: 'Killing', message: 'Container fragile failed liveness probe, will be restarted' }),
  );
  expect(status(pod).lastState!.terminated).toBeDefined();
  expect(pod.status!.containerStatuses![1]).toMatchObject({ name: 'web', ready: true, restartCount: 0 });
});

it('gives a container that ignores SIGTERM the grace period, then kills it; one that exits on SIGTERM stops at once', async () => {
  const pod = testPod('stubborn', {
    terminationGracePeriodSeconds: 2,
    containers: [
      { name: 'ignores', image: node.image, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done'] },
      { name: 'obeys', image: node.image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'] },
    ],
  });
  await node.drive(pod, running);
  const [ignores, obeys] = (await node.runtime.listContainers({ podUid: pod.metadata.uid })).sort((a, b) => a.name.localeCompare(b.name));
  const timed = async (id: string) => {
    const start = Date.now();
    await node.runtime.stopContainer(id, 2);
    return Date.now() - start;
  };
  const [slow, fast] = await Promise.all([timed(ignores.id), timed(obeys.id)]);
  expect(slow).toBeGreaterThanOrEqual(2000);
  expect(slow).toBeLessThan(6000);
  expect(fast).toBeLessThan(1500);
  expect((await node.runtime.inspectContainer(ignores.id)).exitCode).toBe(137);
  expect((await node.runtime.inspectContainer(obeys.id)).exitCode).toBe(0);
});

it('lets a restarted agent adopt running containers by their labels without restarting any', async () => {
  const pod = testPod('adopted', { containers: [{ name: 'app', image: node.image, command: ['sleep', '3600'] }] });
  await node.drive(pod, running);
  const before = status(pod);
  const again = await node.restartAgent();
  const listed = await again.runtime.listContainers({ podUid: pod.metadata.uid });
  expect(listed.map((c) => [c.name, c.state, c.attempt])).toEqual([['app', 'running', 0]]);
  const result = await again.syncer.sync(pod, noInputs);
  expect(result.events).toEqual([]);
  expect(result.status.containerStatuses![0]).toMatchObject({ containerID: before.containerID, restartCount: 0, state: before.state });
});

it('brings a pod back in a new sandbox when the engine stopped its containers, as a Docker restart does', async () => {
  const pod = testPod('survivor', { containers: [{ name: 'app', image: node.image, command: ['sleep', '3600'] }] });
  await node.drive(pod, running);
  const everything = await node.docker.listContainers({ filters: { label: [`berth.pod.uid=${pod.metadata.uid}`] } });
  await Promise.all(everything.map((c) => node.docker.getContainer(c.Id).kill()));
  const events = await node.drive(pod, (p) => running(p) && status(p).restartCount === 1);
  expect(events.map((e) => e.reason)).toContain('SandboxChanged');
  expect(status(pod).lastState!.terminated).toMatchObject({ exitCode: 137 });
  expect((await node.runtime.listSandboxes({ podUid: pod.metadata.uid })).map((s) => s.state).sort()).toEqual(['notready', 'ready']);
});

it('removes the containers of a pod that is gone, found by their labels', async () => {
  const pod = testPod('orphan', { containers: [{ name: 'app', image: node.image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'] }] });
  await node.drive(pod, running);
  const fresh = await node.restartAgent();
  const everything = [...(await fresh.runtime.listSandboxes()), ...(await fresh.runtime.listContainers())];
  const keep = new Set(everything.map((c) => c.pod.uid).filter((uid) => uid !== pod.metadata.uid));
  expect(await fresh.syncer.removeOrphans(keep)).toEqual([pod.metadata.uid]);
  expect(await fresh.runtime.listContainers({ podUid: pod.metadata.uid })).toEqual([]);
  expect(await fresh.runtime.listSandboxes({ podUid: pod.metadata.uid })).toEqual([]);
});

it('reads logs with tailLines, timestamps and follow, and the previous instance after a restart', async () => {
  const pod = testPod('talker', {
    containers: [{ name: 'app', image: node.image, command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done; i=6; while true; do echo line $i; i=$((i+1)); sleep 0.2; done'] }],
  });
  await node.drive(pod, running);
  await waitFor('five lines', async () => ((await readAll(await podLogs(node.runtime, pod, {}))).includes('line 5') ? true : undefined));
  const tail = await readAll(await podLogs(node.runtime, pod, { tailLines: 2, timestamps: true }));
  const lines = tail.trim().split('\n');
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line \d+$/);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const all = (await readAll(await podLogs(node.runtime, pod, {}))).trim().split('\n');
  const recent = (await readAll(await podLogs(node.runtime, pod, { sinceSeconds: 1 }))).trim().split('\n');
  expect(recent.length).toBeGreaterThan(0);
  expect(recent.length).toBeLessThan(all.length);
  expect(all.slice(-recent.length)).toEqual(recent);

  const abort = new AbortController();
  const followed = await podLogs(node.runtime, pod, { follow: true, tailLines: 1, signal: abort.signal });
  let seen = '';
  // tailLines 1 gives one line at once; the next ones can only come by following.
  await new Promise<void>((resolve, reject) => {
    followed.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').filter(Boolean).length >= 3) resolve();
    });
    followed.on('error', reject);
    setTimeout(() => reject(new Error(`follow showed no new lines: ${seen}`)), 10_000);
  });
  abort.abort();
  const numbers = seen.split('\n').filter(Boolean).map((line) => Number(line.replace('line ', '')));
  expect(numbers.slice(0, 3)).toEqual([numbers[0], numbers[0] + 1, numbers[0] + 2]);

  await expect(podLogs(node.runtime, pod, { previous: true })).rejects.toThrow('previous terminated container "app" in pod "talker" not found');
  const [current] = await node.runtime.listContainers({ podUid: pod.metadata.uid });
  await node.runtime.stopContainer(current.id, 0);
  await node.drive(pod, (p) => status(p).restartCount === 1 && running(p));
  const previous = await readAll(await podLogs(node.runtime, pod, { previous: true, limitBytes: 7 }));
  expect(previous).toBe('line 1\n');
});

it('reports a Docker engine that does not answer as RuntimeUnavailable, and the pod sync fails the same way', async () => {
  const away = new DockerRuntime({ node: 'away', docker: new Docker({ socketPath: '/nonexistent/docker.sock' }) });
  await expect(away.version()).rejects.toThrow(RuntimeUnavailable);
  await expect(away.version()).rejects.toThrow(/the Docker engine does not answer \(ENOENT\); is dockerd running\?/);
  const syncer = new PodSyncer({ runtime: away, dataDir: node.dataDir, hostIP: '127.0.0.1' });
  await expect(syncer.sync(testPod('nowhere', { containers: [{ name: 'app', image: node.image }] }), noInputs)).rejects.toThrow(RuntimeUnavailable);
  syncer.dispose();
});

it('creates the project network with the configured subnet and refuses one that differs', async () => {
  const name = `${node.network}-subnet`;
  const subnet = `10.213.${10 + Math.floor(Math.random() * 200)}.0/24`;
  const created = await ensureNetwork(node.docker, name, subnet, node.labels);
  expect(created.subnets).toEqual([subnet]);
  expect((await ensureNetwork(node.docker, name, subnet, node.labels)).id).toBe(created.id);
  await expect(ensureNetwork(node.docker, name, '10.214.0.0/24', node.labels)).rejects.toThrow(
    `docker network ${name} exists with subnet ${subnet}, not the configured 10.214.0.0/24`,
  );
});
