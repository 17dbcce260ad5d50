/**
 * GET pods/<name>/exec with a WebSocket upgrade (kubectl exec, kubectl cp): checks the pod as
 * upstream does, starts the command through the node agent (NodeExec), then accepts the client's
 * upgrade and joins the two. Anything that fails before that is answered as plain HTTP with a
 * Status, the way clients read a refused upgrade. A SPDY upgrade (kubectl's fallback) is checked
 * the same way, then refused: berth speaks WebSocket only.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ApiError, BadRequest, Unavailable } from '../../api/errors';
import type { ResourceRequest } from '../request-info';
import type { Services } from '../services';
import { execRequestFrom, STREAM_PROTOCOL_V5 } from '../node-exec';
import { chooseContainer } from './pod-log';

const sockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL_V5) ? STREAM_PROTOCOL_V5 : false),
});

export async function upgradeExec(services: Services, req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
  const { storage, registry, nodeExec } = services;
  const pods = registry.get('', 'v1', 'pods')!;
  const pod = await storage.get(pods, info.namespace, info.name!);
  const container = chooseContainer(pod, query.get('container'));
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new BadRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw new BadRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const request = execRequestFrom(query, container);
  if (!/websocket/i.test(req.headers.upgrade ?? '')) {
    throw new BadRequest(`berth serves exec over WebSocket (${STREAM_PROTOCOL_V5}) only, not ${req.headers.upgrade}: use kubectl 1.30 or later`);
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(STREAM_PROTOCOL_V5)) throw new BadRequest(`exec needs the ${STREAM_PROTOCOL_V5} protocol; offered: ${offered.join(', ') || 'none'}`);
  if (!nodeExec) throw new Unavailable('no node agent exec service is configured on this server');
  const node = (await storage.getEntry(registry.get('', 'v1', 'nodes')!, undefined, nodeName))?.object;
  const connect = await nodeExec.start(pod, node, request);
  sockets.handleUpgrade(req, socket, head, (client) => connect(client));
}

/** Answers a refused upgrade: the Status as a plain HTTP response, then the connection closes. */
export function refuseUpgrade(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.toStatus());
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[error.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${error.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
