/**
 * Docker's failures mapped once into the runtime catalogue: a socket that does not answer is
 * RuntimeUnavailable, 404 is ContainerNotFound, 409 on create is ContainerNameInUse, anything
 * else keeps Docker's own words with what was being done.
 */
import { ApiError, InternalError } from '../../../api/errors';
import { ContainerNameInUse, ContainerNotFound, RuntimeUnavailable } from '../errors';

interface DockerError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  message?: string;
}

const unreachable = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EACCES', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Docker's own message, without dockerode's "(HTTP code 404) no such container - " prefix. */
export function dockerMessage(error: unknown): string {
  const e = error as DockerError;
  const text = e?.json?.message ?? e?.message ?? String(error);
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

export function isDockerStatus(error: unknown, status: number): boolean {
  return (error as DockerError)?.statusCode === status;
}

/** `doing` says what failed, e.g. "start container abc123". */
export function mapDockerError(error: unknown, doing: string): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as DockerError;
  if (e?.code && unreachable.has(e.code)) {
    return new RuntimeUnavailable(`docker: cannot ${doing}: the Docker engine does not answer (${e.code}); is dockerd running?`);
  }
  const message = `docker: cannot ${doing}: ${dockerMessage(error)}`;
  if (e?.statusCode === 404) return new ContainerNotFound(message);
  if (e?.statusCode === 409 && /already in use/.test(dockerMessage(error))) return new ContainerNameInUse(message);
  // A system error on the socket (not an answer from Docker) means the engine is not there.
  if (e?.statusCode === undefined && typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return new RuntimeUnavailable(message);
  return new InternalError(message);
}
