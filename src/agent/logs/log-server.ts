/**
 * The agent's endpoint for the API server: pods/log comes here for a container's output
 * (kubelet's `GET /containerLogs/<namespace>/<pod>/<container>`, same query parameters:
 * follow, previous, tailLines, sinceSeconds, sinceTime, timestamps, limitBytes, and podUID to
 * make sure it is the same pod), and pods/exec for a command (a WebSocket upgrade of
 * `GET /exec/<namespace>/<pod>/<container>?command=…`, see src/agent/exec). Plain HTTP; every
 * request but /healthz must carry `Authorization: Bearer <token>`, the secret the API server and
 * the agents share (`--agent-token-file`). Errors are Status objects, as the API server relays them.
 *
 * `localNodeLogs` serves the same logs to an API server in the same process, without HTTP.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BadRequest, NotFound, Unauthorized } from '../../api/errors';
import type { Obj } from '../../api/object';
import { Pod } from '../../api/types';
import { refuseUpgrade } from '../../apiserver/handlers/exec';
import { asApiError, sendError } from '../../apiserver/http';
import { execRequestFrom, STREAM_PROTOCOL_V5 } from '../../apiserver/node-exec';
import { queryBoolean } from '../../apiserver/query-boolean';
import { startPodExec } from '../exec/serve-exec';
import type { LogOptions, NodeLogs } from '../../apiserver/node-logs';
import { logger } from '../../log';
import { ContainerRuntime } from '../runtime/runtime';
import { podLogs } from './pod-logs';

/** Finds a pod this process runs, and the runtime running it. */
export type PodLookup = (namespace: string, name: string) => { pod: Pod; runtime: ContainerRuntime } | undefined;

const log = logger('log-server');

const execSockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL_V5) ? STREAM_PROTOCOL_V5 : false),
});

/** A stream of the container's log, if the pod (with this uid, when given) runs here. */
export async function openPodLog(lookup: PodLookup, namespace: string, name: string, uid: string | undefined, options: LogOptions, signal: AbortSignal): Promise<Readable> {
  const found = lookup(namespace, name);
  if (!found || (uid && found.pod.metadata.uid !== uid)) throw new NotFound(`pod ${namespace}/${name} does not run on this node`);
  return podLogs(found.runtime, found.pod, { ...options, signal });
}

/** NodeLogs for an API server in the same process as the agent (`berth up`). */
export function localNodeLogs(lookup: PodLookup): NodeLogs {
  return {
    open: (pod: Obj, _node: Obj | undefined, options: LogOptions, signal: AbortSignal) =>
      openPodLog(lookup, pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', pod.metadata.uid, options, signal),
  };
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return Number(raw);
}

const boolParam = (query: URLSearchParams, name: string): boolean => queryBoolean(query, name) ?? false;

/** The options of a containerLogs request, as pods/log takes them. */
export function logOptionsFrom(container: string, query: URLSearchParams): LogOptions {
  return {
    container,
    follow: boolParam(query, 'follow'),
    previous: boolParam(query, 'previous'),
    timestamps: boolParam(query, 'timestamps'),
    tailLines: intParam(query, 'tailLines'),
    sinceSeconds: intParam(query, 'sinceSeconds'),
    sinceTime: query.get('sinceTime') ?? undefined,
    limitBytes: intParam(query, 'limitBytes'),
  };
}

export interface LogServerOptions {
  token: string;
  lookup: PodLookup;
  /** Default 0.0.0.0 (the API server may be on another host). */
  host?: string;
  /** Default 10250, kubelet's; 0 for any free port. */
  port?: number;
}

export class LogServer {
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: LogServerOptions,
  ) {}

  static async start(options: LogServerOptions): Promise<LogServer> {
    if (!options.token) throw new BadRequest('the log endpoint needs a token to check requests against');
    const server = http.createServer();
    const logServer = new LogServer(server, options);
    server.on('request', (req, res) => logServer.handle(req, res));
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void logServer.upgrade(req, socket, head));
    server.on('connection', (socket) => {
      logServer.sockets.add(socket);
      socket.on('close', () => logServer.sockets.delete(socket));
    });
    server.requestTimeout = 0; // follows last as long as the container runs
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 10250, options.host ?? '0.0.0.0', () => resolve());
    });
    return logServer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    const host = this.options.host && this.options.host !== '0.0.0.0' ? this.options.host : '127.0.0.1';
    return `http://${host}:${this.port}`;
  }

  private authorized(req: http.IncomingMessage): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) return false;
    const given = Buffer.from(match[1]);
    const expected = Buffer.from(this.options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    try {
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      if (!this.authorized(req)) throw new Unauthorized('Unauthorized');
      const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
      if (req.method !== 'GET' || parts.length !== 4 || parts[0] !== 'containerLogs') {
        throw new NotFound(`the agent serves GET /containerLogs/<namespace>/<pod>/<container>, not ${req.method} ${url.pathname}`);
      }
      const [, namespace, name, container] = parts;
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const stream = await openPodLog(this.options.lookup, namespace, name, url.searchParams.get('podUID') ?? undefined, logOptionsFrom(container, url.searchParams), abort.signal);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      stream.on('error', (error) => {
        log.debug('log stream failed', { namespace, name, container, error: error.message });
        res.end();
      });
      abort.signal.addEventListener('abort', () => stream.destroy(), { once: true });
      stream.pipe(res);
    } catch (error) {
      sendError(res, error);
    }
  }

  private async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    try {
      if (!this.authorized(req)) throw new Unauthorized('Unauthorized');
      const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
      if (parts.length !== 4 || parts[0] !== 'exec') throw new NotFound(`the agent upgrades GET /exec/<namespace>/<pod>/<container>, not ${url.pathname}`);
      const [, namespace, name, container] = parts;
      const request = execRequestFrom(url.searchParams, container);
      const connect = await startPodExec(this.options.lookup, namespace, name, url.searchParams.get('podUID') ?? undefined, request);
      execSockets.handleUpgrade(req, socket, head, (client) => connect(client));
    } catch (error) {
      refuseUpgrade(socket, asApiError(error));
    }
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
