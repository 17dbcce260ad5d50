/**
 * GET pods/<name>/log: the container's log as text/plain, streamed from the node agent that runs
 * the pod. Errors before the stream starts are Status objects, as clients expect.
 */
import { BadRequest, Unavailable } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { LogOptions } from '../node-logs';
import { queryBoolean } from '../query-boolean';
import type { RequestContext } from './context';

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return Number(raw);
}

const boolParam = (query: URLSearchParams, name: string): boolean => queryBoolean(query, name) ?? false;

export function chooseContainer(pod: Obj, requested: string | null): string {
  const spec = (pod.spec ?? {}) as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  const names = (spec.containers ?? []).map((c) => c.name);
  const all = [...names, ...(spec.initContainers ?? []).map((c) => c.name)];
  if (requested) {
    if (!all.includes(requested)) throw new BadRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  if (names.length === 1) return names[0];
  throw new BadRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
}

export async function streamPodLog(ctx: RequestContext): Promise<void> {
  const { storage, registry, nodeLogs } = ctx.services;
  const pod = await storage.get(ctx.type, ctx.info.namespace, ctx.info.name!);
  const q = ctx.query;
  const options: LogOptions = {
    container: chooseContainer(pod, q.get('container')),
    follow: boolParam(q, 'follow'),
    previous: boolParam(q, 'previous'),
    timestamps: boolParam(q, 'timestamps'),
    tailLines: intParam(q, 'tailLines'),
    sinceSeconds: intParam(q, 'sinceSeconds'),
    sinceTime: q.get('sinceTime') ?? undefined,
    limitBytes: intParam(q, 'limitBytes'),
  };
  if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) throw new BadRequest('sinceSeconds: Invalid value: must be greater than 0');
  if (options.tailLines !== undefined && options.tailLines < 0) throw new BadRequest('tailLines: Invalid value: must be greater than or equal to 0');
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) {
    throw new BadRequest(`container "${options.container}" in pod "${pod.metadata.name}" is waiting to start: the pod is not scheduled yet`);
  }
  if (!nodeLogs) throw new Unavailable('no node agent log service is configured on this server');
  const nodes = registry.get('', 'v1', 'nodes')!;
  const node = (await storage.getEntry(nodes, undefined, nodeName))?.object;
  const abort = new AbortController();
  ctx.req.on('close', () => abort.abort());
  const stream = await nodeLogs.open(pod, node, options, abort.signal);
  ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  ctx.res.flushHeaders();
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => ctx.res.write(chunk));
    stream.on('end', resolve);
    stream.on('error', resolve);
    abort.signal.addEventListener('abort', () => {
      stream.destroy();
      resolve();
    });
  });
  ctx.res.end();
}
