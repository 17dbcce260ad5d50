/**
 * Subresources:
 *   status            get · update · patch   only `status` changes
 *   scale             get · update · patch   autoscaling/v1 Scale over spec.replicas
 *   pods/binding      create                 placement binds a pending pod to a node
 *   pods/eviction     create                 a policy/v1 Eviction deletes the pod (kubectl drain)
 *   pods/log          get                    streamed from the node agent
 *   namespaces/finalize update               only spec.finalizers changes
 */
import { BadRequest, MethodNotAllowed, NotFound } from '../../api/errors';
import { deleteObject } from '../deletion';
import { parseBody, readBody, sendJson } from '../http';
import type { DeleteOptions } from '../strategy';
import { checkBodyKind, fieldManager, isDryRun, negotiate, RequestContext } from './context';
import { getObject, sendObject } from './read';
import { patchObject } from './patch';
import { updateObject } from './write';
import { bindPod } from './binding';
import { scaleSubresource } from './scale';
import { streamPodLog } from './pod-log';

export async function subresourceHandler(ctx: RequestContext): Promise<void> {
  const { info, type } = ctx;
  const sub = info.subresource!;
  const notAllowed = () => new MethodNotAllowed(`${info.verb} is not supported on resources of kind "${type.plural}/${sub}"`);
  if (sub === 'status' && type.hasSubresource('status')) {
    if (info.verb === 'get') return getObject(ctx);
    if (info.verb === 'update') return updateObject(ctx);
    if (info.verb === 'patch') return patchObject(ctx);
    throw notAllowed();
  }
  if (sub === 'scale' && type.hasSubresource('scale')) return scaleSubresource(ctx);
  const core = type.group === '';
  if (core && type.plural === 'pods' && sub === 'binding') {
    if (info.verb !== 'create') throw notAllowed();
    return bindPod(ctx);
  }
  if (core && type.plural === 'pods' && sub === 'eviction') {
    if (info.verb !== 'create') throw notAllowed();
    return evictPod(ctx);
  }
  if (core && type.plural === 'pods' && sub === 'log') {
    if (info.verb !== 'get') throw notAllowed();
    return streamPodLog(ctx);
  }
  if (core && type.plural === 'namespaces' && sub === 'finalize') {
    if (info.verb !== 'update') throw notAllowed();
    return finalizeNamespace(ctx);
  }
  throw new NotFound('the server could not find the requested resource');
}

async function evictPod(ctx: RequestContext): Promise<void> {
  const body = parseBody(await readBody(ctx.req), ctx.req.headers['content-type']) as Record<string, unknown>;
  if (!body || typeof body !== 'object') throw new BadRequest('the request body must be a policy/v1 Eviction');
  const meta = (body.metadata ?? {}) as { name?: string };
  if (meta.name && meta.name !== ctx.info.name) throw new BadRequest(`name in URL does not match name in Eviction object`);
  const options = { ...((body.deleteOptions ?? {}) as DeleteOptions) };
  if (isDryRun(ctx.query)) options.dryRun = ['All'];
  await deleteObject(ctx.services.storage, ctx.type, ctx.info.namespace, ctx.info.name!, options);
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function finalizeNamespace(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const body = checkBodyKind(ctx.type, parseBody(await readBody(ctx.req), ctx.req.headers['content-type']));
  const finalizers = (body.spec as { finalizers?: unknown } | undefined)?.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) throw new BadRequest('spec.finalizers: Invalid value: must be a list of strings');
  const updated = await ctx.services.storage.guaranteedUpdate(
    ctx.type,
    undefined,
    ctx.info.name!,
    (ns) => {
      if (body.metadata.resourceVersion) ns.metadata.resourceVersion = body.metadata.resourceVersion;
      ns.spec = { ...(ns.spec as object), finalizers };
      return ns;
    },
    { dryRun: isDryRun(ctx.query), fieldManager: fieldManager(ctx.req, ctx.query) },
  );
  sendObject(ctx, 200, updated, representation);
}
