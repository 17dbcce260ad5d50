/**
 * `kubectl exec`: the API server takes the client's WebSocket upgrade on pods/<name>/exec and
 * joins it to the command run by the agent of the pod's node. Both legs speak Kubernetes'
 * remote-command protocol v5.channel.k8s.io (what kubectl 1.32 asks for): binary messages whose
 * first byte is a channel, the rest its data.
 *
 *   kubectl ──ws v5──► API server ──ws v5──► agent ──► runtime exec (Docker: hijacked stream)
 *     0 stdin ─────────────────────────────────────────► the command's stdin
 *     4 resize {"Width":80,"Height":24} ────────────────► the terminal size
 *   255 close [255, 0] (stdin ended) ──────────────────► stdin closed
 *     ◄──────────────────────────── 1 stdout, 2 stderr
 *     ◄──────────────────────────── 3 error: a Status, Success or NonZeroExitCode with the code
 */
import type { WebSocket } from 'ws';
import { BadRequest } from '../api/errors';
import type { Obj } from '../api/object';
import { queryBoolean } from './query-boolean';

export const STREAM_PROTOCOL_V5 = 'v5.channel.k8s.io';

export const channels = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface ExecRequest {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Joins an accepted client socket to the started command. */
export type ExecConnector = (client: WebSocket) => void;

export interface NodeExec {
  /** Starts the command on the pod's node; throws an ApiError saying why it cannot, before the client's upgrade is accepted. */
  start(pod: Obj, node: Obj | undefined, request: ExecRequest): Promise<ExecConnector>;
}

/** The exec options of a request's query (`command` repeated, one word each), container chosen by the caller. */
export function execRequestFrom(query: URLSearchParams, container: string): ExecRequest {
  const command = query.getAll('command');
  if (command.length === 0) throw new BadRequest('you must specify at least 1 command');
  const request = {
    container,
    command,
    stdin: queryBoolean(query, 'stdin') ?? false,
    stdout: queryBoolean(query, 'stdout') ?? false,
    stderr: queryBoolean(query, 'stderr') ?? false,
    tty: queryBoolean(query, 'tty') ?? false,
  };
  if (!request.stdin && !request.stdout && !request.stderr) throw new BadRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (request.tty && request.stderr) request.stderr = false; // a terminal has one output, as upstream
  return request;
}

/** The Status a command's end is reported with on the error channel. */
export function exitStatus(command: string[], exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}
