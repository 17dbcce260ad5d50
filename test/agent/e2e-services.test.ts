/**
 * Services end to end on the real Docker engine: three replicas of httpd on port 80, placed by
 * the placement controller onto the agent's node, each answering on its own pod IP; the service
 * controller gives their NodePort Service a nodePort, the endpoints controller lists the ready
 * ones, and the agent's proxy spreads connections to 127.0.0.1:<nodePort> over them, dropping a
 * replica as soon as its readiness probe fails.
 *
 * The ReplicaSet and Deployment controllers were not in the tree when this was written: the test
 * creates the three pods itself, unbound, as a ReplicaSet would.
 */
import { Pod, Service } from '../../src/api/types';
import { kinds } from '../../src/client';
import { request } from '../support/http';
import { eventually } from '../support/control-plane';
import { AgentCluster, isReady, startAgentCluster } from './e2e-harness';

let cluster: AgentCluster;
beforeAll(async () => {
  cluster = await startAgentCluster('e2e-services', ['service', 'endpoints', 'placement']);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const replicas = ['web-a', 'web-b', 'web-c'];

function webPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'httpd',
          image: cluster.image,
          command: ['sh', '-c', 'mkdir -p /tmp/www && echo "$POD_NAME" > /tmp/www/index.html && touch /tmp/www/ready && exec httpd -f -p 80 -h /tmp/www'],
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          ports: [{ name: 'http', containerPort: 80 }],
          readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    },
  };
}

/** Who answers a request to 127.0.0.1:<nodePort>, over `count` new connections. */
async function answers(nodePort: number, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await request('GET', `http://127.0.0.1:${nodePort}/`, undefined, { headers: { connection: 'close' } });
    expect(reply.status).toBe(200);
    seen.push(reply.text.trim());
  }
  return seen;
}

it('runs three replicas of httpd on port 80, each on its own IP, and spreads a NodePort Service over them', async () => {
  const pods = cluster.client.resource(kinds.Pod, 'default');
  for (const name of replicas) await pods.create(webPod(name));
  const service = await cluster.client.resource(kinds.Service, 'default').create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
  } as Service);
  const ready = await eventually(
    'three ready replicas on the agent node',
    async () => {
      const list = (await pods.list({ labelSelector: 'app=web' })).items;
      return list.length === 3 && list.every((p) => isReady(p) && p.spec?.nodeName === cluster.node) ? list : undefined;
    },
    40_000,
  );
  const ips = ready.map((p) => p.status!.podIP!);
  expect(new Set(ips).size).toBe(3);
  for (const pod of ready) {
    const reply = await request('GET', `http://${pod.status!.podIP}:80/`, undefined, { headers: { connection: 'close' } });
    expect(reply.text.trim()).toBe(pod.metadata.name);
  }

  const nodePort: number = await eventually('a nodePort', async () => (await cluster.client.resource(kinds.Service, 'default').get(service.metadata.name!)).spec?.ports?.[0]?.nodePort);
  await eventually('the proxy to know all three', async () => {
    const endpoints = await cluster.client.resource(kinds.Endpoints, 'default').get('web');
    return (endpoints.subsets ?? []).flatMap((s) => s.addresses ?? []).length === 3;
  });
  const seen = await eventually('every replica to answer on the nodePort', async () => {
    const got = await answers(nodePort, 6);
    return new Set(got).size === 3 ? got : undefined;
  });
  // Round-robin: six connections, each replica twice.
  expect([...seen].sort()).toEqual(['web-a', 'web-a', 'web-b', 'web-b', 'web-c', 'web-c']);
}, 90_000);

it('stops sending connections to a replica whose readiness probe fails, and sends them again once it passes', async () => {
  const service = await cluster.client.resource(kinds.Service, 'default').get('web');
  const nodePort = service.spec!.ports![0].nodePort!;
  const pods = cluster.client.resource(kinds.Pod, 'default');
  const victim = await pods.get('web-b');
  const containerId = victim.status!.containerStatuses![0].containerID!.replace('docker://', '');
  const exec = async (command: string[]) => {
    const run = await cluster.docker.getContainer(containerId).exec({ Cmd: command });
    await run.start({ Detach: true });
  };

  await exec(['rm', '/tmp/www/ready']);
  await eventually('web-b to be unready in the Endpoints', async () => {
    const endpoints = await cluster.client.resource(kinds.Endpoints, 'default').get('web');
    const notReady = (endpoints.subsets ?? []).flatMap((s) => s.notReadyAddresses ?? []).map((a) => a.targetRef?.name);
    return notReady.includes('web-b');
  });
  await eventually('the proxy to leave web-b out', async () => !(await answers(nodePort, 4)).includes('web-b'));
  expect(new Set(await answers(nodePort, 6))).toEqual(new Set(['web-a', 'web-c']));

  await exec(['touch', '/tmp/www/ready']);
  await eventually('web-b to answer again', async () => (await answers(nodePort, 6)).includes('web-b'));
}, 60_000);
