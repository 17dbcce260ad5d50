/**
 * `kubectl logs` on the node: picks the container instance the options mean (the current one,
 * or with `previous` the one that terminated before it, by kubelet's rules), asks the runtime
 * for its output with follow, tailLines, sinceSeconds/sinceTime and timestamps, and cuts it at
 * limitBytes. Errors say which container and pod, in upstream's words.
 */
import { Readable, Transform, TransformCallback } from 'node:stream';
import { BadRequest } from '../../api/errors';
import { Pod } from '../../api/types';
import { ContainerInfo, ContainerRuntime } from '../runtime/runtime';

export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
  signal?: AbortSignal;
}

/** Passes at most `limit` bytes on, then ends. */
export class ByteLimit extends Transform {
  private left: number;
  constructor(limit: number, private readonly onLimit: () => void) {
    super();
    this.left = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.left <= 0) return done();
    const part = chunk.length > this.left ? chunk.subarray(0, this.left) : chunk;
    this.left -= part.length;
    this.push(part);
    if (this.left <= 0) {
      this.push(null);
      this.onLimit();
    }
    done();
  }
}

function containerName(pod: Pod, asked: string | undefined): string {
  const spec = pod.spec ?? { containers: [] };
  const all = [...(spec.initContainers ?? []), ...spec.containers].map((c) => c.name);
  if (asked) {
    if (!all.includes(asked)) throw new BadRequest(`container ${asked} is not valid for pod ${pod.metadata.name}`);
    return asked;
  }
  if (spec.containers.length === 1) return spec.containers[0].name;
  throw new BadRequest(
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${spec.containers.map((c) => c.name).join(' ')}]`,
  );
}

/** Whether the pod will start the container again after this exit (then it is "lastState"). */
function willRestart(pod: Pod, exited: ContainerInfo): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exited.exitCode !== 0);
}

/** The instance whose logs the options ask for, by kubelet's validateContainerLogStatus rules. */
export function pickInstance(pod: Pod, name: string, instances: ContainerInfo[], previous: boolean): ContainerInfo {
  const [newest, before] = instances;
  const where = `container "${name}" in pod "${pod.metadata.name}"`;
  const waitingReason = pod.status?.containerStatuses?.find((s) => s.name === name)?.state?.waiting?.reason;
  if (previous) {
    const last = newest?.state === 'exited' && willRestart(pod, newest) ? newest : before;
    if (!last || last.state !== 'exited') throw new BadRequest(`previous terminated ${where} not found`);
    return last;
  }
  if (newest && newest.state !== 'created' && newest.state !== 'unknown') return newest;
  if (before?.state === 'exited') return before;
  if (waitingReason === 'ErrImagePull') throw new BadRequest(`${where} is waiting to start: image can't be pulled`);
  if (waitingReason === 'ImagePullBackOff') throw new BadRequest(`${where} is waiting to start: trying and failing to pull image`);
  throw new BadRequest(`${where} is waiting to start: ${waitingReason ?? 'ContainerCreating'}`);
}

export async function podLogs(runtime: ContainerRuntime, pod: Pod, options: PodLogOptions, now = Date.now()): Promise<Readable> {
  const name = containerName(pod, options.container);
  const instances = (await runtime.listContainers({ podUid: pod.metadata.uid ?? '' }))
    .filter((c) => c.name === name)
    .sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
  const instance = pickInstance(pod, name, instances, options.previous === true);
  let sinceTime: number | undefined;
  if (options.sinceSeconds !== undefined) sinceTime = now - options.sinceSeconds * 1000;
  if (options.sinceTime !== undefined) {
    sinceTime = Date.parse(options.sinceTime);
    if (Number.isNaN(sinceTime)) throw new BadRequest(`sinceTime ${JSON.stringify(options.sinceTime)} is not an RFC 3339 time`);
  }
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const stream = await runtime.logs(instance.id, {
    follow: options.follow === true && instance.state === 'running',
    tailLines: options.tailLines,
    sinceTime,
    timestamps: options.timestamps === true,
    signal: abort.signal,
  });
  if (options.limitBytes === undefined) return stream;
  const limited = new ByteLimit(options.limitBytes, () => abort.abort());
  stream.on('error', (error) => limited.destroy(error));
  return stream.pipe(limited);
}
