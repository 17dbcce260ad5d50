/**
 * POST (create), PUT (update, also of /status), DELETE and DELETE of a collection.
 */
import { BadRequest } from '../../api/errors';
import { DeleteOptions as DeleteOptionsCodec } from '../../api/types';
import type { Obj } from '../../api/object';
import { parseBody, readBody, sendJson, warningHeader } from '../http';
import { deleteObject } from '../deletion';
import { parseListQuery } from '../list-options';
import type { DeleteOptions } from '../strategy';
import { strategyFor } from '../strategy';
import { checkBodyKind, decodeBody, fieldManager, fieldValidation, isDryRun, negotiate, RequestContext, writeWarnings } from './context';
import type { ResourceType } from '../registry';
import { sendObject } from './read';

export async function createObject(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const dryRun = isDryRun(ctx.query);
  const validation = fieldValidation(ctx.query);
  const body = checkBodyKind(ctx.type, parseBody(await readBody(ctx.req), ctx.req.headers['content-type']));
  const { object, warnings } = ctx.services.schemas.check(ctx.type.decl.schema, body, validation);
  const created = await ctx.services.storage.create(ctx.type, ctx.info.namespace, object, {
    dryRun,
    fieldManager: fieldManager(ctx.req, ctx.query),
  });
  sendObject(ctx, 201, created, representation, warningHeader(writeWarnings(ctx, warnings)));
}

export async function updateObject(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const dryRun = isDryRun(ctx.query);
  const validation = fieldValidation(ctx.query);
  const body = checkBodyKind(ctx.type, parseBody(await readBody(ctx.req), ctx.req.headers['content-type']));
  const { object, warnings } = ctx.services.schemas.check(ctx.type.decl.schema, body, validation);
  const outcome = await ctx.services.storage.update(ctx.type, ctx.info.namespace, ctx.info.name!, object, {
    dryRun,
    fieldManager: fieldManager(ctx.req, ctx.query),
    subresource: ctx.info.subresource,
  });
  sendObject(ctx, outcome.created ? 201 : 200, outcome.object, representation, warningHeader(writeWarnings(ctx, warnings)));
}

export async function deleteOne(ctx: RequestContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const outcome = await deleteObject(ctx.services.storage, ctx.type, ctx.info.namespace, ctx.info.name!, options);
  if (!outcome.finished || strategyFor(ctx.type).returnDeletedObject) {
    sendJson(ctx.res, 200, outcome.object);
    return;
  }
  sendJson(ctx.res, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: ctx.info.name, group: ctx.type.group, kind: ctx.type.plural, uid: outcome.object.metadata.uid },
  });
}

export async function deleteCollection(ctx: RequestContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const q = parseListQuery(ctx.type, ctx.query, ctx.info.namespace);
  const storage = ctx.services.storage;
  // The list options apply as to a list, as upstream: a page at a time when a limit is given.
  const list = await storage.list(ctx.type, ctx.info.namespace, { labelSelector: q.labelSelector, filter: q.filter, limit: q.limit, continue: q.continue });
  const deleted: Obj[] = [];
  for (const item of list.items) {
    try {
      const outcome = await deleteObject(storage, ctx.type, item.metadata.namespace, item.metadata.name!, options);
      deleted.push(outcome.object);
    } catch (e) {
      // Something else deleted it meanwhile: that is what we wanted.
      if (!(e instanceof Error && 'code' in e && (e as { code: number }).code === 404)) throw e;
    }
  }
  sendJson(ctx.res, 200, { kind: ctx.type.decl.listKind, apiVersion: ctx.type.groupVersion, metadata: { resourceVersion: list.resourceVersion }, items: deleted });
}

/** DeleteOptions from the body (with or without kind/apiVersion) and from query parameters. */
async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const raw = await readBody(ctx.req);
  const body = raw.length > 0 ? parseBody(raw, ctx.req.headers['content-type']) : {};
  return deleteOptionsFrom(body, ctx.type, ctx.query);
}

/** Group versions a DeleteOptions body may name: meta's, and (as upstream registers it there) the resource's own. */
const deleteOptionsVersions = new Set(['v1', 'meta.k8s.io/v1', 'meta.k8s.io/v1beta1']);

/**
 * Decodes a DeleteOptions document (a body, or an Eviction's `deleteOptions`) with its codec;
 * query parameters fill what the document leaves out.
 */
export function deleteOptionsFrom(document: unknown, type: ResourceType, query = new URLSearchParams()): DeleteOptions {
  const body = decodeBody(DeleteOptionsCodec, document, 'DeleteOptions');
  if (body.kind !== undefined && body.kind !== 'DeleteOptions') throw new BadRequest(`the kind in the data (${JSON.stringify(body.kind)}) must be DeleteOptions`);
  if (body.apiVersion !== undefined && !deleteOptionsVersions.has(body.apiVersion) && body.apiVersion !== type.groupVersion) {
    throw new BadRequest(`the API version in the data (${JSON.stringify(body.apiVersion)}) has no DeleteOptions`);
  }
  const options: DeleteOptions = {};
  const grace = body.gracePeriodSeconds ?? (query.get('gracePeriodSeconds') !== null ? integerParameter(query, 'gracePeriodSeconds') : undefined);
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = body.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
  if (policy !== undefined) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw new BadRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`);
    }
    options.propagationPolicy = policy;
  }
  const orphan = body.orphanDependents ?? booleanParameter(query, 'orphanDependents');
  if (orphan !== undefined) {
    if (options.propagationPolicy) throw new BadRequest('orphanDependents and propagationPolicy cannot both be set');
    options.orphanDependents = orphan;
  }
  if (body.preconditions) options.preconditions = body.preconditions;
  const dry = body.dryRun;
  if (dry !== undefined && !dry.every((d) => d === 'All')) throw new BadRequest('dryRun: Unsupported value: supported values: "All"');
  if (isDryRun(query) || dry?.includes('All')) options.dryRun = ['All'];
  return options;
}

function integerParameter(query: URLSearchParams, name: string): number {
  const raw = query.get(name) ?? '';
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new BadRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return Number(raw);
}

function booleanParameter(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw !== 'true' && raw !== 'false') throw new BadRequest(`${name}: Invalid value: "${raw}": must be true or false`);
  return raw === 'true';
}
