/**
 * The agent's log endpoint and the API server's side of it (AgentLogs), over real HTTP, with a
 * pod on the simulated runtime: the token is required, the pod must be the one asked for, errors
 * arrive as the same errors, and an agent that cannot be asked says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BadRequest, NotFound, Unavailable } from '../../src/api/errors';
import { Node, Pod } from '../../src/api/types';
import { LogServer } from '../../src/agent/logs/log-server';
import { noInputs } from '../../src/agent/pod-sync/env';
import { PodSyncer } from '../../src/agent/pod-sync/syncer';
import { SimulatedRuntime } from '../../src/agent/runtime/simulated/simulated-runtime';
import type { LogOptions } from '../../src/apiserver/node-logs';
import { AgentLogs } from '../../src/apiserver/agent-logs';
import { request } from '../support/http';
import { closedPort } from '../support/ports';

const token = 'shared-secret-for-logs';
const runtime = new SimulatedRuntime({ node: 'logs-node' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'berth-agent-logs-'));
const syncer = new PodSyncer({ runtime, dataDir, hostIP: '127.0.0.1' });
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'chatty', namespace: 'default', uid: 'uid-chatty' },
  spec: { nodeName: 'logs-node', containers: [{ name: 'app', image: 'busybox' }] },
};
let server: LogServer;
let node: Node;

beforeAll(async () => {
  pod.status = (await syncer.sync(pod, noInputs)).status;
  server = await LogServer.start({
    token,
    host: '127.0.0.1',
    port: 0,
    lookup: (namespace, name) => (namespace === 'default' && name === 'chatty' ? { pod, runtime } : undefined),
  });
  node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'logs-node' },
    status: { addresses: [{ type: 'Hostname', address: 'nowhere.invalid' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: server.port } } },
  };
});
afterAll(async () => {
  await server?.close();
  syncer.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const options = (more: Partial<LogOptions> = {}): LogOptions => ({ container: 'app', follow: false, previous: false, timestamps: false, ...more });

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

describe('the log endpoint', () => {
  it('answers 401 with a Status to a request without the token, or with another one', async () => {
    const url = `${server.url}/containerLogs/default/chatty/app`;
    for (const headers of [{}, { Authorization: 'Bearer not-the-token' }] as Record<string, string>[]) {
      const reply = await request('GET', url, undefined, { headers });
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    expect((await request('GET', `${server.url}/healthz`)).status).toBe(200);
  });

  it("serves a container's log with the token, and refuses a pod of the same name with another uid", async () => {
    const url = `${server.url}/containerLogs/default/chatty/app`;
    const reply = await request('GET', `${url}?tailLines=1`, undefined, { token });
    expect(reply).toMatchObject({ status: 200, text: 'simulated container app running\n' });
    expect(reply.headers['content-type']).toBe('text/plain');
    const stale = await request('GET', `${url}?podUID=another-uid`, undefined, { token });
    expect(stale.body).toMatchObject({ code: 404, message: 'pod default/chatty does not run on this node' });
    const unknown = await request('GET', `${server.url}/containerLogs/default/chatty/nope`, undefined, { token });
    expect(unknown.body).toMatchObject({ code: 400, message: 'container nope is not valid for pod chatty' });
  });
});

describe('AgentLogs (the API server side)', () => {
  const logs = new AgentLogs({ token });
  const signal = new AbortController().signal;

  it("reaches the agent at the node's InternalIP and its published port", async () => {
    expect(await text(await logs.open(pod, node, options({ timestamps: true }), signal))).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z simulated container app running\n$/);
  });

  it("passes the agent's errors on as the same errors", async () => {
    await expect(logs.open(pod, node, options({ container: 'nope' }), signal)).rejects.toThrow(new BadRequest('container nope is not valid for pod chatty'));
    const other = { ...pod, metadata: { ...pod.metadata, uid: 'another-uid' } };
    await expect(logs.open(other, node, options(), signal)).rejects.toThrow(NotFound);
  });

  it('says why an agent cannot be asked: no node, no published port, nobody listening, a different token', async () => {
    await expect(logs.open(pod, undefined, options(), signal)).rejects.toThrow(new NotFound('nodes "logs-node" not found'));
    const portless = { ...node, status: { ...node.status, daemonEndpoints: { kubeletEndpoint: { Port: 0 } } } };
    await expect(logs.open(pod, portless, options(), signal)).rejects.toThrow(
      new BadRequest('node logs-node serves no logs: its agent publishes no log port (start it with --agent-token-file)'),
    );
    const closed = closedPort;
    const away = { ...node, status: { ...node.status, daemonEndpoints: { kubeletEndpoint: { Port: closed } } } };
    await expect(logs.open(pod, away, options(), signal)).rejects.toThrow(Unavailable);
    await expect(logs.open(pod, away, options(), signal)).rejects.toThrow(`the agent of node logs-node does not answer at 127.0.0.1:${closed}`);
    await expect(new AgentLogs({ token: 'wrong' }).open(pod, node, options(), signal)).rejects.toThrow(
      "the agent of node logs-node refused the API server's token: give both the same --agent-token-file",
    );
  });
});
