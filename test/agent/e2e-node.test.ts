/**
 * The agent end to end on the real Docker engine, as the API sees it: the Node it registers and
 * its Lease, pods that run, crash into CrashLoopBackOff with growing delays, restart on a failed
 * liveness probe, honour their grace period on deletion, and whose logs kubectl follows through
 * the API server.
 */
import { Lease, Node, Pod } from '../../src/api/types';
import { kinds } from '../../src/client';
import { eventually } from '../support/control-plane';
import { Kubectl } from '../support/kubectl';
import { AgentCluster, boundPod, isRunning, startAgentCluster, waitForPod } from './e2e-harness';

let cluster: AgentCluster;
beforeAll(async () => {
  cluster = await startAgentCluster('e2e-node', [], { renewEveryMs: 1_000 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const pods = () => cluster.client.resource(kinds.Pod, 'default');

it('registers its Node: Ready, the well-known labels, capacity, addresses, the runtime and the log port', async () => {
  const node = await cluster.client.resource(kinds.Node).get(cluster.node);
  expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': cluster.node, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': expect.any(String) });
  expect(node.status!.capacity).toMatchObject({ cpu: expect.stringMatching(/^\d+$/), memory: expect.stringMatching(/^\d+Ki$/), pods: '110', 'ephemeral-storage': expect.stringMatching(/^\d+Ki$/) });
  expect(node.status!.allocatable).toEqual(node.status!.capacity);
  expect(node.status!.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: expect.any(String) }]);
  expect(node.status!.nodeInfo!.containerRuntimeVersion).toMatch(/^docker:\/\/\d+\.\d+/);
  expect(node.status!.daemonEndpoints!.kubeletEndpoint!.Port).toBe(cluster.agent.logs!.port);
  const types = (node.status!.conditions ?? []).map((c) => `${c.type}=${c.status}`);
  expect(types).toEqual(['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
});

it('keeps its Lease in kube-node-lease fresh, owned by the Node', async () => {
  const leases = cluster.client.resource(kinds.Lease, 'kube-node-lease');
  const first = await eventually('the lease', () => leases.get(cluster.node));
  const node = (await cluster.client.resource(kinds.Node).get(cluster.node)) as Node;
  expect(first.spec).toMatchObject({ holderIdentity: cluster.node, leaseDurationSeconds: 40 });
  expect(first.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: cluster.node, uid: node.metadata.uid }]);
  const renewed: Lease = await eventually('a renewal', async () => {
    const now = await leases.get(cluster.node);
    return now.spec!.renewTime !== first.spec!.renewTime ? now : undefined;
  }, 5_000);
  expect(Date.parse(renewed.spec!.renewTime!)).toBeGreaterThan(Date.parse(first.spec!.renewTime!));
});

it('runs a bound pod and reports it Running with its IP; kubectl logs -f follows its output and kubectl exec runs in it', async () => {
  await pods().create(
    boundPod(cluster, 'talker', {
      containers: [{ name: 'app', image: cluster.image, command: ['sh', '-c', 'for i in 1 2 3; do echo "line $i"; sleep 1; done; sleep 3600'] }],
    }),
  );
  const pod = await waitForPod(cluster, 'talker', isRunning);
  expect(pod.status!.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  expect(pod.status!.hostIP).toBe('127.0.0.1');
  const kubectl = new Kubectl(cluster.plane.api.url);
  try {
    const follow = kubectl.background(['logs', '-f', 'talker']);
    const lines = await follow.waitForLines(3, 15_000);
    expect(lines.slice(0, 3)).toEqual(['line 1', 'line 2', 'line 3']);
    await follow.stop();
    const tail = await kubectl.run(['logs', 'talker', '--tail=1']);
    expect(tail).toMatchObject({ code: 0, stdout: 'line 3\n' });
    // kubectl exec through the API server and the agent's endpoint (AgentExec, the shared token).
    const exec = await kubectl.run(['exec', '-i', 'talker', '--', 'sh', '-c', 'cat; echo "in $(hostname)"; exit 4'], { stdin: 'typed\n' });
    expect(exec).toMatchObject({ code: 4, stdout: 'typed\nin talker\n' });
  } finally {
    kubectl.dispose();
  }
});

it('backs a crashing container off with growing delays (CrashLoopBackOff, 10 s then 20 s)', async () => {
  await pods().create(boundPod(cluster, 'crasher', { containers: [{ name: 'app', image: cluster.image, command: ['sh', '-c', 'echo crashing; exit 3'] }] }));
  const messages = new Set<string>();
  const pod: Pod = await eventually(
    'a back-off of 20 s',
    async () => {
      const p = await pods().get('crasher');
      const waiting = p.status?.containerStatuses?.[0]?.state?.waiting;
      if (waiting?.reason === 'CrashLoopBackOff') messages.add(waiting.message!.split(' restarting')[0]);
      return messages.has('back-off 20s') ? p : undefined;
    },
    40_000,
    200,
  );
  expect([...messages]).toEqual(['back-off 10s', 'back-off 20s']);
  const status = pod.status!.containerStatuses![0];
  expect(status.restartCount).toBeGreaterThanOrEqual(2);
  expect(status.lastState!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  const events = await cluster.client.resource(kinds.Event, 'default').list({ fieldSelector: 'involvedObject.name=crasher' });
  expect(events.items.some((e) => e.reason === 'BackOff' && e.type === 'Warning')).toBe(true);
}, 60_000);

it('restarts a container whose liveness probe fails', async () => {
  await pods().create(
    boundPod(cluster, 'unhealthy', {
      containers: [
        {
          name: 'app',
          image: cluster.image,
          command: ['sh', '-c', 'touch /tmp/ok; sleep 2; rm /tmp/ok; sleep 3600'],
          livenessProbe: { exec: { command: ['test', '-f', '/tmp/ok'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    }),
  );
  const pod = await waitForPod(cluster, 'unhealthy', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000);
  expect(pod.status!.containerStatuses![0].lastState!.terminated).toBeDefined();
  const events = await cluster.client.resource(kinds.Event, 'default').list({ fieldSelector: 'involvedObject.name=unhealthy' });
  expect(events.items.map((e) => e.message)).toContain('Container app failed liveness probe, will be restarted');
});

it('gives a deleted pod its grace period, then removes it from the API and its containers from the node', async () => {
  await pods().create(
    boundPod(cluster, 'graceful', {
      terminationGracePeriodSeconds: 30,
      // Takes two seconds to shut down after SIGTERM.
      containers: [{ name: 'app', image: cluster.image, command: ['sh', '-c', 'trap "sleep 2; exit 0" TERM; while true; do sleep 0.2; done'] }],
    }),
  );
  const running = await waitForPod(cluster, 'graceful', isRunning);
  const started = Date.now();
  await pods().delete('graceful');
  await eventually('the pod to be gone', async () => (await pods().list({ fieldSelector: 'metadata.name=graceful' })).items.length === 0, 30_000);
  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(1_800);
  expect(took).toBeLessThan(15_000);
  await eventually('its containers to be removed', async () => {
    const left = await cluster.docker.listContainers({ all: true, filters: { label: [`berth.pod.uid=${running.metadata.uid}`] } });
    return left.length === 0;
  });
});

it('kills a container that ignores SIGTERM when the grace period ends', async () => {
  await pods().create(
    boundPod(cluster, 'stubborn', {
      terminationGracePeriodSeconds: 2,
      containers: [{ name: 'app', image: cluster.image, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done'] }],
    }),
  );
  await waitForPod(cluster, 'stubborn', isRunning);
  const started = Date.now();
  await pods().delete('stubborn');
  await eventually('the pod to be gone', async () => (await pods().list({ fieldSelector: 'metadata.name=stubborn' })).items.length === 0, 30_000);
  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(1_800);
  expect(took).toBeLessThan(10_000);
});

it('leaves the containers running when the agent stops, and the next agent adopts them', async () => {
  await pods().create(boundPod(cluster, 'survivor', { containers: [{ name: 'app', image: cluster.image, command: ['sleep', '3600'] }] }));
  const before = await waitForPod(cluster, 'survivor', isRunning);
  const id = before.status!.containerStatuses![0].containerID!.replace('docker://', '');
  await cluster.restartAgent();
  expect((await cluster.docker.getContainer(id).inspect()).State.Running).toBe(true);
  await pods().create(boundPod(cluster, 'after-restart', { containers: [{ name: 'app', image: cluster.image, command: ['sleep', '3600'] }] }));
  await waitForPod(cluster, 'after-restart', isRunning);
  const after = await pods().get('survivor');
  expect(after.status!.containerStatuses![0]).toMatchObject({ containerID: `docker://${id}`, restartCount: 0 });
});
