/**
 * Docker unreachable, end to end: the agent talks to the engine through a socket the test can cut.
 * While it is cut the node turns NotReady (KubeletNotReady, "container runtime is down", a
 * NodeNotReady event) and the agent keeps trying; pods keep their place. Once the socket is back the
 * node is Ready again, pods created during the outage start, and a pod whose containers the engine
 * stopped meanwhile (as an engine restart does) is brought back.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { kinds } from '../../src/client';
import { eventually } from '../support/control-plane';
import { AgentCluster, boundPod, isRunning, startAgentCluster, waitForPod } from './e2e-harness';

/** A Unix socket forwarding to the real engine's, that can be cut and restored. */
class SocketRelay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  readonly path = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-relay-')), 'docker.sock');

  async open(): Promise<void> {
    if (this.server?.listening) return;
    this.server = net.createServer((client) => {
      const engine = net.connect('/var/run/docker.sock');
      for (const s of [client, engine]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          engine.destroy();
        });
      }
      client.pipe(engine);
      engine.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.path, resolve);
    });
  }

  /** Refuses new connections and breaks the open ones (an event stream, a keep-alive socket). */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
    fs.rmSync(this.path, { force: true });
  }
}

const relay = new SocketRelay();
let cluster: AgentCluster;
beforeAll(async () => {
  await relay.open();
  cluster = await startAgentCluster('e2e-outage', [], { dockerSocket: relay.path, checkEveryMs: 500 });
}, 60_000);
afterAll(async () => {
  await relay.open();
  await cluster?.stop();
  await relay.cut();
});

const readyCondition = async () => (await cluster.client.resource(kinds.Node).get(cluster.node)).status?.conditions?.find((c) => c.type === 'Ready');

it('reports the node NotReady while Docker does not answer, keeps its pods, and recovers them after', async () => {
  const pods = cluster.client.resource(kinds.Pod, 'default');
  const sleeper = (name: string) => boundPod(cluster, name, { containers: [{ name: 'app', image: cluster.image, command: ['sleep', '3600'] }] });
  await pods.create(sleeper('steady'));
  await pods.create(sleeper('stopped-meanwhile'));
  const steady = await waitForPod(cluster, 'steady', isRunning);
  const stopped = await waitForPod(cluster, 'stopped-meanwhile', isRunning);

  await relay.cut();
  const notReady = await eventually('the node to turn NotReady', async () => {
    const ready = await readyCondition();
    return ready?.status === 'False' ? ready : undefined;
  });
  expect(notReady.reason).toBe('KubeletNotReady');
  expect(notReady.message).toMatch(/^container runtime is down: .*the Docker engine does not answer/);
  expect(cluster.agent.isReady()).toBe(false);
  const events = await eventually('a NodeNotReady event', async () => {
    const list = await cluster.client.resource(kinds.Event, 'default').list({ fieldSelector: `involvedObject.name=${cluster.node}` });
    return list.items.some((e) => e.reason === 'NodeNotReady') ? list.items : undefined;
  });
  expect(events.find((e) => e.reason === 'NodeNotReady')!.involvedObject.kind).toBe('Node');

  // Meanwhile: a new pod arrives, and the engine stops a pod's containers (as its restart would).
  await pods.create(sleeper('during-outage'));
  const stoppedId = stopped.status!.containerStatuses![0].containerID!.replace('docker://', '');
  await cluster.docker.getContainer(stoppedId).stop({ t: 0 });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect((await pods.get('steady')).status!.phase).toBe('Running');
  expect((await pods.get('during-outage')).status?.phase ?? 'Pending').toBe('Pending');

  await relay.open();
  await eventually('the node Ready again', async () => (await readyCondition())?.status === 'True');
  await waitForPod(cluster, 'during-outage', isRunning);
  const back = await waitForPod(cluster, 'stopped-meanwhile', (p) => isRunning(p) && p.status!.containerStatuses![0].restartCount >= 1);
  expect(back.status!.containerStatuses![0].lastState!.terminated).toBeDefined();
  const after = await pods.get('steady');
  expect(after.status!.containerStatuses![0]).toMatchObject({ containerID: steady.status!.containerStatuses![0].containerID, restartCount: 0 });
  const recovered = await cluster.client.resource(kinds.Event, 'default').list({ fieldSelector: `involvedObject.name=${cluster.node}` });
  expect(recovered.items.map((e) => e.reason)).toContain('NodeReady');
}, 90_000);
