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
import { droppedTypeCauses, invalid } from '../storage';
import { parseBody, readBody, sendJson } from '../http';
import { Eviction } from '../../api/types';
import { checkBodyKind, decodeBody, fieldManager, isDryRun, negotiate, RequestContext } from './context';
import { getObject, sendObject } from './read';
import { patchObject } from './patch';
import { deleteOptionsFrom, updateObject } from './write';
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
  const parsed = parseBody(await readBody(ctx.req), ctx.req.headers['content-type']) as Record<string, unknown>;
  // Older clients (kubectl drain before policy/v1) send the same Eviction as policy/v1beta1.
  if (parsed?.apiVersion === 'policy/v1beta1') parsed.apiVersion = 'policy/v1';
  const body = decodeBody(Eviction, checkBodyKind(ctx.type, parsed, 'Eviction', 'policy/v1'), 'Eviction');
  if (body.metadata.name !== undefined && body.metadata.name !== ctx.info.name) throw new BadRequest(`name in URL does not match name in Eviction object`);
  const options = deleteOptionsFrom(body.deleteOptions ?? {}, ctx.type);
  if (isDryRun(ctx.query)) options.dryRun = ['All'];
  await deleteObject(ctx.services.storage, ctx.type, ctx.info.namespace, ctx.info.name!, options);
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function finalizeNamespace(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const body = checkBodyKind(ctx.type, parseBody(await readBody(ctx.req), ctx.req.headers['content-type']));
  // Only spec.finalizers is taken, but a body that is not a Namespace must not clear them.
  const causes = droppedTypeCauses(body, ctx.type.decl.schema, '');
  if (causes.length > 0) throw invalid(ctx.type, ctx.info.name!, causes);
  const spec = body.spec ?? {};
  const finalizers = (spec as { finalizers?: unknown }).finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) throw new BadRequest('spec.finalizers: Invalid value: must be a list of strings');
  if (body.metadata.name !== undefined && body.metadata.name !== ctx.info.name) {
    throw new BadRequest(`the name of the object (${JSON.stringify(body.metadata.name)}) does not match the name on the URL (${ctx.info.name})`);
  }
  if (body.metadata.resourceVersion !== undefined && typeof body.metadata.resourceVersion !== 'string') throw new BadRequest('metadata.resourceVersion: Invalid value: must be a string');
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
