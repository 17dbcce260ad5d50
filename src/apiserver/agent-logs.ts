/**
 * pods/log through the node agents: the API server asks the agent of the pod's node at the node's
 * address (InternalIP first, as upstream's preferred address types) and the port the agent
 * publishes in status.daemonEndpoints.kubeletEndpoint.Port, for
 * `GET /containerLogs/<namespace>/<pod>/<container>`, with the secret shared with the agents
 * (`--agent-token-file`) as bearer token. The agent's answer is streamed as it comes; its error
 * Status is passed on as the same error.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { Readable } from 'node:stream';
import { BadRequest, errorFromStatus, NotFound, Status, Unavailable } from '../api/errors';
import type { Obj } from '../api/object';
import { errorMessage } from '../log';
import type { LogOptions, NodeLogs } from './node-logs';

interface NodeStatusView {
  addresses?: Array<{ type: string; address: string }>;
  daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
}

const preferredAddressTypes = ['InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS', 'Hostname'];

/** Where the node's agent serves logs, or why it cannot be asked. */
export function agentEndpoint(node: Obj): { host: string; port: number } {
  const status = (node.status ?? {}) as NodeStatusView;
  const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!port) throw new BadRequest(`node ${node.metadata.name} serves no logs: its agent publishes no log port (start it with --agent-token-file)`);
  for (const type of preferredAddressTypes) {
    const found = status.addresses?.find((a) => a.type === type && a.address);
    if (found) return { host: found.address, port };
  }
  throw new BadRequest(`node ${node.metadata.name} has no address to reach its agent at`);
}

/**
 * The URL of an agent endpoint for one container of a pod: `<scheme>://<host>:<port>/<what>/<ns>/<pod>/<container>?…`,
 * with the pod's uid so that the agent answers for this pod and not a namesake.
 */
export function agentUrl(scheme: 'http' | 'ws', node: Obj, what: string, pod: Obj, container: string, query: URLSearchParams): string {
  const { host, port } = agentEndpoint(node);
  if (pod.metadata.uid) query.set('podUID', pod.metadata.uid);
  const path = [what, pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', container].map(encodeURIComponent).join('/');
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/${path}?${query}`;
}

/** The shared secret in a file: its first non-empty line. */
export function readAgentToken(file: string): string {
  const token = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (!token) throw new Error(`${file} holds no token (one line of text is expected)`);
  return token;
}

export interface AgentLogsOptions {
  token: string;
  /** How long to wait for the agent to answer (default 10 s); a follow then lasts as long as it runs. */
  connectTimeoutMs?: number;
}

export class AgentLogs implements NodeLogs {
  constructor(private readonly options: AgentLogsOptions) {}

  async open(pod: Obj, node: Obj | undefined, options: LogOptions, signal: AbortSignal): Promise<Readable> {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    if (!node) throw new NotFound(`nodes "${nodeName}" not found`);
    const { host, port } = agentEndpoint(node);
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options)) {
      if (name !== 'container' && value !== undefined && value !== false) query.set(name, String(value));
    }
    const url = agentUrl('http', node, 'containerLogs', pod, options.container, query);
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { Authorization: `Bearer ${this.options.token}` }, signal }, (res) => {
        clearTimeout(timer);
        if (res.statusCode === 200) return resolve(res);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(agentError(res.statusCode ?? 500, body, nodeName)));
        res.on('error', () => reject(agentError(res.statusCode ?? 500, body, nodeName)));
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.options.connectTimeoutMs ?? 10_000} ms`)), this.options.connectTimeoutMs ?? 10_000);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(new Unavailable(`the agent of node ${nodeName} does not answer at ${host}:${port}: ${errorMessage(error)}`));
      });
    });
  }
}

/** The error an agent's refusal stands for: its Status when it sent one. */
export function agentError(code: number, body: string, node: string): Error {
  let status: Partial<Status> | undefined;
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed.kind === 'Status') status = parsed;
  } catch {
    // Not a Status: the text itself says what went wrong.
  }
  if (code === 401) return new Unavailable(`the agent of node ${node} refused the API server's token: give both the same --agent-token-file`);
  return errorFromStatus(code, status ?? { message: `the agent of node ${node} answered ${code}: ${body.slice(0, 500)}` });
}
