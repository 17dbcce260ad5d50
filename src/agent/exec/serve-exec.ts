/**
 * One `kubectl exec` on this node: a command started in a pod's container (the runtime's
 * ExecSession) joined to a WebSocket speaking v5.channel.k8s.io (see src/apiserver/node-exec.ts).
 * Output goes out as it comes, one message per chunk, the next chunk read once the socket took
 * the last (so a large `kubectl cp` does not pile up in memory); when both outputs have ended,
 * the exit Status goes on the error channel and the socket closes normally. A client that goes
 * away stops the command.
 */
import type { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { BadRequest, NotFound } from '../../api/errors';
import type { Obj } from '../../api/object';
import { channels, ExecConnector, ExecRequest, exitStatus, NodeExec } from '../../apiserver/node-exec';
import { errorMessage, logger } from '../../log';
import type { ExecSession } from '../runtime/runtime';
import type { PodLookup } from '../logs/log-server';

const log = logger('exec');

function frame(channel: number, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]);
}

/** Sends a stream's chunks on a channel, one at a time (or drops them, when not asked for); resolves when it ends. */
function pump(stream: Readable | undefined, channel: number, socket: WebSocket, wanted: boolean): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      if (!wanted || socket.readyState !== WebSocket.OPEN) return;
      stream.pause();
      socket.send(frame(channel, chunk), () => stream.resume());
    });
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

export function serveExec(socket: WebSocket, session: ExecSession, request: ExecRequest): void {
  let finished = false;
  socket.on('message', (data: Buffer) => {
    if (data.length === 0) return;
    const payload = data.subarray(1);
    switch (data[0]) {
      case channels.stdin:
        session.stdin?.write(payload);
        break;
      case channels.resize:
        try {
          const size = JSON.parse(payload.toString()) as { Width?: number; Height?: number };
          if (size.Width && size.Height) void session.resize(size.Width, size.Height);
        } catch {
          // A malformed resize changes nothing.
        }
        break;
      case channels.close:
        if (payload[0] === channels.stdin) session.stdin?.end();
        break;
    }
  });
  socket.on('close', () => {
    if (!finished) session.abort();
  });
  void (async () => {
    await Promise.all([pump(session.stdout, channels.stdout, socket, request.stdout), pump(session.stderr, channels.stderr, socket, request.stderr)]);
    const status = await session.exitCode().then(
      (code) => exitStatus(request.command, code),
      (error) => ({ metadata: {}, status: 'Failure', message: errorMessage(error), reason: 'InternalError' }),
    );
    finished = true;
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(frame(channels.error, JSON.stringify(status)), () => socket.close(1000));
  })().catch((error) => log.warn('exec failed', { error: errorMessage(error) }));
}

/** Starts the command in a container of a pod this node runs; the connector joins a socket to it. */
export async function startPodExec(lookup: PodLookup, namespace: string, name: string, uid: string | undefined, request: ExecRequest): Promise<ExecConnector> {
  const found = lookup(namespace, name);
  if (!found || (uid && found.pod.metadata.uid !== uid)) throw new NotFound(`pod ${namespace}/${name} does not run on this node`);
  const containers = await found.runtime.listContainers({ podUid: found.pod.metadata.uid ?? '' });
  const running = containers.filter((c) => c.name === request.container && c.state === 'running').sort((a, b) => b.attempt - a.attempt)[0];
  if (!running) throw new BadRequest(`container ${request.container} is not running in pod ${name}`);
  const session = await found.runtime.startExec(running.id, request.command, { stdin: request.stdin, tty: request.tty });
  return (socket) => serveExec(socket, session, request);
}

/** NodeExec for an API server in the same process as the agent (`berth up`). */
export function localNodeExec(lookup: PodLookup): NodeExec {
  return {
    start: (pod: Obj, _node: Obj | undefined, request: ExecRequest) => startPodExec(lookup, pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', pod.metadata.uid, request),
  };
}
