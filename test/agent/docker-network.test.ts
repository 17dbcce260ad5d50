/**
 * Pods on the real Docker engine, as the node agent runs them: each in its own network
 * namespace on the project network, containers of a pod sharing localhost, hostPort and
 * hostNetwork as in Kubernetes, environment and ConfigMap/Secret files in place.
 */
import { ConfigMap, Secret } from '../../src/api/types';
import { podLogs } from '../../src/agent/logs/pod-logs';
import { inSubnet } from '../../src/agent/probes/runners';
import { request } from '../support/http';
import { freePort, waitFor } from '../support/ports';
import { dockerNode, Node, readAll, running, testPod } from './harness';

let node: Node;
beforeAll(async () => {
  node = await dockerNode('network');
}, 60_000);
afterAll(async () => {
  await node?.close();
});

const httpd = (port: number, dir = '/www') => ['httpd', '-f', '-p', String(port), '-h', dir];

it('gives the containers of one pod a shared localhost', async () => {
  const pod = testPod('pair', {
    containers: [
      { name: 'web', image: node.image, command: httpd(8080), readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } },
      {
        name: 'client',
        image: node.image,
        command: ['sh', '-c', 'until wget -q -O- http://127.0.0.1:8080/; do sleep 0.2; done; echo "hostname $(hostname)"; sleep 3600'],
      },
    ],
  });
  await node.drive(pod, (p) => running(p) && p.status!.containerStatuses![0].ready);
  const output = await waitFor('the client to reach the web container over localhost', async () => {
    const text = await readAll(await podLogs(node.runtime, pod, { container: 'client' }));
    return text.includes('hostname pair') ? text : undefined;
  });
  expect(output).toContain('served by berth');
});

it('runs three pods listening on port 80 side by side, each answering on its own IP', async () => {
  const pods = ['one', 'two', 'three'].map((name) =>
    testPod(name, {
      containers: [
        {
          name: 'web',
          image: node.image,
          command: ['sh', '-c', 'mkdir -p /tmp/www && echo "I am $POD_NAME" > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www'],
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          ports: [{ containerPort: 80 }],
          readinessProbe: { httpGet: { port: 80, path: '/' }, periodSeconds: 1 },
        },
      ],
    }),
  );
  await Promise.all(pods.map((pod) => node.drive(pod, (p) => p.status?.containerStatuses?.[0]?.ready === true)));
  const ips = pods.map((pod) => pod.status!.podIP!);
  expect(new Set(ips).size).toBe(3);
  for (const ip of ips) expect(node.runtime.podSubnets().some((subnet) => inSubnet(ip, subnet))).toBe(true);
  for (const pod of pods) {
    const reply = await request('GET', `http://${pod.status!.podIP}:80/`);
    expect(reply.text.trim()).toBe(`I am ${pod.metadata.name}`);
  }
});

it('publishes a hostPort on the node', async () => {
  const hostPort = await freePort();
  const pod = testPod('published', {
    containers: [{ name: 'web', image: node.image, command: httpd(80), ports: [{ containerPort: 80, hostPort, hostIP: '127.0.0.1' }] }],
  });
  await node.drive(pod, running);
  const reply = await waitFor('the host port to answer', async () => request('GET', `http://127.0.0.1:${hostPort}/`));
  expect(reply.status).toBe(200);
  expect(reply.text).toContain('served by berth');
});

it("runs a hostNetwork pod in the node's network with the node's address", async () => {
  const port = await freePort();
  const pod = testPod('on-host', { hostNetwork: true, containers: [{ name: 'web', image: node.image, command: httpd(port) }] });
  await node.drive(pod, running);
  expect(pod.status!.podIP).toBe('127.0.0.1');
  const reply = await waitFor('the host-network pod to answer on loopback', async () => request('GET', `http://127.0.0.1:${port}/`));
  expect(reply.text).toContain('served by berth');
});

it('sets environment variables and writes ConfigMap and Secret files', async () => {
  const settings: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'hello', 'app.conf': 'mode=fast\n' } };
  const creds = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } } as Secret;
  const pod = testPod('configured', {
    volumes: [
      { name: 'config', configMap: { name: 'settings', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
      { name: 'secret', secret: { secretName: 'creds', defaultMode: 0o400 } },
      { name: 'scratch', emptyDir: {} },
    ],
    containers: [
      {
        name: 'app',
        image: node.image,
        command: [
          'sh',
          '-c',
          'echo "env $GREETING $POD_NAME/$POD_NAMESPACE $POD_IP $PASSWORD"; cat /etc/app/conf/app.conf; cat /etc/secret/password; echo; ' +
            'stat -L -c "%a" /etc/secret/password; touch /etc/app/x 2>/dev/null || echo read-only; touch /scratch/ok && echo writable; sleep 3600',
        ],
        env: [
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/app', readOnly: true },
          { name: 'secret', mountPath: '/etc/secret', readOnly: true },
          { name: 'scratch', mountPath: '/scratch' },
        ],
      },
    ],
  });
  await node.drive(pod, running, { inputs: { configMaps: { settings }, secrets: { creds } } });
  const output = await waitFor('the container to print its configuration', async () => {
    const text = await readAll(await podLogs(node.runtime, pod, {}));
    return text.includes('writable') ? text : undefined;
  });
  expect(output.split('\n')).toEqual([
    `env hello configured/default ${pod.status!.podIP} s3cret`,
    'mode=fast',
    's3cret',
    '400',
    'read-only',
    'writable',
    '',
  ]);
});
