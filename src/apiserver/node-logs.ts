/**
 * Where the API server gets a pod's container logs from: the node agent running the pod.
 * `pods/log` streams whatever this returns to the client.
 */
import type { Readable } from 'node:stream';
import type { Obj } from '../api/object';

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export interface NodeLogs {
  /** A stream of the container's log, or throws an ApiError saying why there is none. */
  open(pod: Obj, node: Obj | undefined, options: LogOptions, signal: AbortSignal): Promise<Readable>;
}
