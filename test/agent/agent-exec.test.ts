/**
 * kubectl exec's path below the API server, on the real Docker engine: AgentExec opens the
 * v5.channel.k8s.io WebSocket to the agent's endpoint with the shared token, the agent runs the
 * command with docker exec, and a client socket joined to it (as the API server joins kubectl's)
 * gets stdout and stderr apart, feeds stdin and closes it, and reads the exit Status.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { BadRequest, NotFound, Unavailable } from '../../src/api/errors';
import type { Node as NodeObject } from '../../src/api/types';
import { LogServer } from '../../src/agent/logs/log-server';
import { AgentExec } from '../../src/apiserver/agent-exec';
import { ExecConnector, ExecRequest, STREAM_PROTOCOL_V5 } from '../../src/apiserver/node-exec';
import { dockerNode, Node, running, testPod } from './harness';

const token = 'shared-secret-for-exec';
let node: Node;
let server: LogServer;
let nodeObject: NodeObject;
let clients: WebSocketServer;
const pod = testPod('shell', { containers: [{ name: 'app', image: 'placeholder', command: ['sleep', '3600'] }] });

beforeAll(async () => {
  node = await dockerNode('exec');
  pod.spec!.containers[0].image = node.image;
  await node.drive(pod, running);
  server = await LogServer.start({ token, host: '127.0.0.1', port: 0, lookup: (namespace, name) => (namespace === 'default' && name === 'shell' ? { pod, runtime: node.runtime } : undefined) });
  nodeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.node },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: server.port } } },
  };
  clients = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => STREAM_PROTOCOL_V5 });
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => clients?.close(resolve));
  await server?.close();
  await node?.close();
});

interface Outcome {
  channels: Map<number, string>;
  closeCode: number;
}

/** Plays kubectl: a socket joined through `connect`, sending `frames`, collecting every channel until the close. */
async function run(connect: ExecConnector, frames: Buffer[] = []): Promise<Outcome> {
  const accepted = new Promise<WebSocket>((resolve) => clients.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(clients.address() as AddressInfo).port}`, [STREAM_PROTOCOL_V5]);
  connect(await accepted);
  const channels = new Map<number, string>();
  client.on('message', (data: Buffer) => channels.set(data[0], (channels.get(data[0]) ?? '') + data.subarray(1).toString()));
  await new Promise((resolve) => client.once('open', resolve));
  for (const frame of frames) client.send(frame);
  const closeCode = await new Promise<number>((resolve) => client.once('close', resolve));
  return { channels, closeCode };
}

const exec = new AgentExec({ token });
const request = (command: string[], more: Partial<ExecRequest> = {}): ExecRequest => ({ container: 'app', command, stdin: false, stdout: true, stderr: true, tty: false, ...more });
const stdin = (text: string) => Buffer.concat([Buffer.from([0]), Buffer.from(text)]);
const closeStdin = Buffer.from([255, 0]);

it('runs a command: stdout and stderr apart, stdin fed then closed, the exit code in a NonZeroExitCode Status', async () => {
  const connect = await exec.start(pod, nodeObject, request(['sh', '-c', 'echo out; echo err >&2; cat; exit 3'], { stdin: true }));
  const outcome = await run(connect, [stdin('piped in\n'), closeStdin]);
  expect(outcome.channels.get(1)).toBe('out\npiped in\n');
  expect(outcome.channels.get(2)).toBe('err\n');
  expect(JSON.parse(outcome.channels.get(3)!)).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  expect(outcome.closeCode).toBe(1000);
});

it('reports Success for a zero exit, and puts everything on stdout with a TTY', async () => {
  const outcome = await run(await exec.start(pod, nodeObject, request(['sh', '-c', 'echo to-the-terminal >&2'], { tty: true, stderr: false })));
  expect(outcome.channels.get(1)).toBe('to-the-terminal\r\n');
  expect(outcome.channels.get(2)).toBeUndefined();
  expect(JSON.parse(outcome.channels.get(3)!)).toEqual({ metadata: {}, status: 'Success' });
});

it("passes the agent's refusals on as the same errors, before any upgrade", async () => {
  await expect(exec.start(pod, nodeObject, request(['true'], { container: 'nope' }))).rejects.toThrow(new BadRequest('container nope is not running in pod shell'));
  await expect(exec.start({ ...pod, metadata: { ...pod.metadata, uid: 'another-uid' } }, nodeObject, request(['true']))).rejects.toThrow(NotFound);
  await expect(new AgentExec({ token: 'wrong' }).start(pod, nodeObject, request(['true']))).rejects.toThrow(
    "the agent of node " + node.node + " refused the API server's token: give both the same --agent-token-file",
  );
  await expect(exec.start(pod, undefined, request(['true']))).rejects.toThrow(NotFound);
  const away = { ...nodeObject, status: { ...nodeObject.status, daemonEndpoints: { kubeletEndpoint: { Port: 1 } } } };
  await expect(exec.start(pod, away, request(['true']))).rejects.toThrow(Unavailable);
});
