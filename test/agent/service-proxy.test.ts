/**
 * The service proxy against a real API server and real sockets: TCP servers on 127.0.0.2–4 stand
 * for pods, Endpoints are written as the endpoints controller writes them, and connections go to
 * 127.0.0.1:<nodePort>.
 */
import net from 'node:net';
import { Endpoints, Service } from '../../src/api/types';
import { Client, kinds, SharedInformerFactory } from '../../src/client';
import { ServiceProxy } from '../../src/agent/service-proxy/service-proxy';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { eventually } from '../support/control-plane';
import { freePort } from '../support/ports';

let api: TestApiServer;
let client: Client;
let proxy: ServiceProxy;
const stop = new AbortController();
const backends: net.Server[] = [];
let backendPort: number;

/** A nodePort in the Service range that is free on 127.0.0.1 right now. */
async function freeNodePort(): Promise<number> {
  for (;;) {
    const port = 30000 + Math.floor(Math.random() * 2767);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** A "pod" that greets with its name, then echoes. */
async function backend(ip: string, port: number): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.write(`${ip}\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, ip, resolve));
  backends.push(server);
  return server;
}

/** Connects to the nodePort and reads the greeting; the socket stays open. */
function connect(port: number): Promise<{ socket: net.Socket; who: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (data) => resolve({ socket, who: data.toString().trim() }));
  });
}

async function greeters(port: number, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const { socket, who } = await connect(port);
    seen.push(who);
    socket.destroy();
  }
  return seen;
}

const endpointsOf = (ips: string[], notReady: string[] = []): Endpoints => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'echo', namespace: 'default' },
  subsets: [{ addresses: ips.map((ip) => ({ ip })), notReadyAddresses: notReady.map((ip) => ({ ip })), ports: [{ name: 'tcp', port: backendPort }] }],
});

let nodePort: number;

beforeAll(async () => {
  api = await startTestApiServer('sqlite');
  client = new Client({ server: api.url, insecureSkipTlsVerify: false, namespace: 'default', source: 'test' });
  const informers = new SharedInformerFactory(client);
  proxy = new ServiceProxy({ services: informers.for(kinds.Service), endpoints: informers.for(kinds.Endpoints), addresses: ['127.0.0.1'] });
  informers.start(stop.signal);
  proxy.start();
  backendPort = await freePort();
  for (const ip of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) await backend(ip, backendPort);
  nodePort = await freeNodePort();
  await client.resource(kinds.Service, 'default').create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'echo', namespace: 'default' },
    spec: { type: 'NodePort', ports: [{ name: 'tcp', port: 7, nodePort }] },
  } as Service);
});

afterAll(async () => {
  await proxy?.stop();
  stop.abort();
  client?.close();
  for (const server of backends) server.close();
  await api?.stop();
});

const endpoints = () => client.resource(kinds.Endpoints, 'default');

it('spreads new connections round-robin over the ready endpoints', async () => {
  await endpoints().update(endpointsOf(['127.0.0.2', '127.0.0.3', '127.0.0.4']));
  await eventually('three targets', async () => proxy.table().find((e) => e.nodePort === nodePort)?.targets.length === 3);
  const seen = await greeters(nodePort, 6);
  expect([...seen].sort()).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.3', '127.0.0.3', '127.0.0.4', '127.0.0.4']);
});

it('keeps an established connection when its endpoint leaves the Endpoints, and sends new ones elsewhere', async () => {
  const { socket, who } = await connect(nodePort);
  const others = ['127.0.0.2', '127.0.0.3', '127.0.0.4'].filter((ip) => ip !== who);
  const current = await endpoints().get('echo');
  await endpoints().update({ ...endpointsOf(others, [who]), metadata: current.metadata });
  await eventually('the proxy to drop it', async () => proxy.table().find((e) => e.nodePort === nodePort)?.targets.length === 2);
  expect(new Set(await greeters(nodePort, 4))).toEqual(new Set(others));
  const echoed = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
  socket.write('still here\n');
  expect(await echoed).toBe('still here\n');
  socket.destroy();
});

it('tries the next endpoint when one refuses the connection', async () => {
  const current = await endpoints().get('echo');
  // 127.0.0.9 has no server: connecting there is refused.
  await endpoints().update({ ...endpointsOf(['127.0.0.9', '127.0.0.2']), metadata: current.metadata });
  await eventually('the new targets', async () => proxy.table().find((e) => e.nodePort === nodePort)?.targets.some((t) => t.ip === '127.0.0.9'));
  expect(await greeters(nodePort, 4)).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.2']);
});

it('closes a connection when no endpoint is ready, and stops listening when the Service goes', async () => {
  const current = await endpoints().get('echo');
  await endpoints().update({ ...endpointsOf([], ['127.0.0.2']), metadata: current.metadata });
  await eventually('no targets', async () => proxy.table().find((e) => e.nodePort === nodePort)?.targets.length === 0);
  const closed = await new Promise<boolean>((resolve) => {
    const socket = net.connect(nodePort, '127.0.0.1');
    socket.on('data', () => resolve(false));
    socket.on('close', () => resolve(true));
    socket.on('error', () => undefined);
  });
  expect(closed).toBe(true);

  await client.resource(kinds.Service, 'default').delete('echo');
  await eventually('the listener to close', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(nodePort, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    return refused;
  });
});
