/**
 * GET of one object and of a collection (list), as JSON, as a Table, or as metadata only.
 */
import { Gone } from '../../api/errors';
import type { Obj } from '../../api/object';
import { acceptsGzip, sendJson } from '../http';
import { parseListQuery } from '../list-options';
import { tooLargeResourceVersion } from '../storage';
import { toTable } from '../tables/table';
import type { ResourceType } from '../registry';
import { negotiate, RequestContext, Representation } from './context';

export async function getObject(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const obj = await ctx.services.storage.get(ctx.type, ctx.info.namespace, ctx.info.name!);
  sendObject(ctx, 200, obj, representation);
}

export async function listObjects(ctx: RequestContext): Promise<void> {
  const representation = negotiate(ctx.req.headers.accept, ctx.query);
  const q = parseListQuery(ctx.type, ctx.query, ctx.info.namespace);
  const storage = ctx.services.storage;
  let revision: number | undefined;
  if (q.resourceVersion && q.resourceVersion !== '0') {
    const asked = Number(q.resourceVersion);
    const current = await storage.store.currentRevision();
    if (q.resourceVersionMatch === 'Exact') {
      revision = asked;
    } else if (asked > current) {
      // "Not older than" a version the store has not reached: upstream waits a moment, then 504s.
      throw tooLargeResourceVersion(asked, current);
    }
  }
  const result = await storage.list(ctx.type, ctx.info.namespace, {
    labelSelector: q.labelSelector,
    filter: q.filter,
    limit: q.limit,
    continue: q.continue,
    revision,
  });
  const gzip = acceptsGzip(ctx.req);
  if (representation.as === 'table') {
    const table = toTable(ctx.type, result.items, {
      includeObject: representation.includeObject,
      resourceVersion: result.resourceVersion,
      continue: result.continue,
      remainingItemCount: result.remainingItemCount,
    });
    sendJson(ctx.res, 200, { ...table, apiVersion: `meta.k8s.io/${representation.version}` }, { gzip });
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  if (representation.as === 'metadata') {
    sendJson(ctx.res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: result.items.map(partialMetadata) }, { gzip });
    return;
  }
  sendJson(ctx.res, 200, { kind: ctx.type.decl.listKind, apiVersion: ctx.type.groupVersion, metadata, items: result.items }, { gzip });
}

/** Sends one object in the representation the client asked for. */
export function sendObject(ctx: RequestContext, code: number, obj: Obj, representation: Representation, headers: Record<string, string | string[]> = {}): void {
  if (representation.as === 'table') {
    const table = toTable(ctx.type, [obj], { includeObject: representation.includeObject, resourceVersion: obj.metadata.resourceVersion });
    sendJson(ctx.res, code, { ...table, apiVersion: `meta.k8s.io/${representation.version}` }, { headers });
  } else if (representation.as === 'metadata') {
    sendJson(ctx.res, code, partialMetadata(obj), { headers });
  } else {
    sendJson(ctx.res, code, obj, { headers });
  }
}

function partialMetadata(obj: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** A version older than the store keeps, in the words clients look for. */
export function tooOld(type: ResourceType, asked: string, oldest: number): Gone {
  return new Gone(`too old resource version: ${asked} (${oldest})`, { kind: type.plural, group: type.group });
}
