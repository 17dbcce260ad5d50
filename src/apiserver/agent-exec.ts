/**
 * pods/exec through the node agents: a WebSocket to the agent of the pod's node (the address and
 * port it publishes, as for logs) at `/exec/<namespace>/<pod>/<container>?command=…`, with the
 * shared agent secret as bearer token and the v5 remote-command protocol. Once it is open, the
 * client's socket is joined to it message for message; the agent's refusal (a Status) is passed
 * on as the same error before the client's upgrade is accepted.
 */
import { WebSocket } from 'ws';
import { NotFound, Unavailable } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage } from '../log';
import { agentEndpoint, agentError, agentUrl } from './agent-logs';
import { ExecConnector, ExecRequest, NodeExec, STREAM_PROTOCOL_V5 } from './node-exec';

export interface AgentExecOptions {
  token: string;
  connectTimeoutMs?: number;
}

/** Joins two sockets: every message both ways, and a close on either closes the other. */
export function joinSockets(a: WebSocket, b: WebSocket): void {
  const forward = (from: WebSocket, to: WebSocket) => {
    from.on('message', (data, isBinary) => {
      if (to.readyState === WebSocket.OPEN) to.send(data as Buffer, { binary: isBinary });
    });
    from.on('close', (code, reason) => {
      // 1005 (no code) and 1006 (dropped) may not be sent: a plain normal closure stands for them.
      const sendable = code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : 1000;
      if (to.readyState === WebSocket.OPEN || to.readyState === WebSocket.CONNECTING) to.close(sendable, reason);
    });
    from.on('error', () => to.terminate());
  };
  forward(a, b);
  forward(b, a);
}

export class AgentExec implements NodeExec {
  constructor(private readonly options: AgentExecOptions) {}

  start(pod: Obj, node: Obj | undefined, request: ExecRequest): Promise<ExecConnector> {
    if (!node) return Promise.reject(new NotFound(`nodes "${(pod.spec as { nodeName?: string } | undefined)?.nodeName ?? ''}" not found`));
    const nodeName = node.metadata.name ?? '';
    const { host, port } = agentEndpoint(node);
    const query = new URLSearchParams();
    for (const word of request.command) query.append('command', word);
    for (const name of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (request[name]) query.set(name, 'true');
    const url = agentUrl('ws', node, 'exec', pod, request.container, query);
    return new Promise((resolve, reject) => {
      const upstream = new WebSocket(url, [STREAM_PROTOCOL_V5], {
        headers: { Authorization: `Bearer ${this.options.token}` },
        handshakeTimeout: this.options.connectTimeoutMs ?? 10_000,
      });
      upstream.once('open', () => resolve((client) => joinSockets(client, upstream)));
      upstream.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(agentError(res.statusCode ?? 500, body, nodeName)));
      });
      upstream.once('error', (error) => reject(new Unavailable(`the agent of node ${nodeName} does not answer at ${host}:${port}: ${errorMessage(error)}`)));
    });
  }
}
