/**
 * PATCH, by Content-Type (see src/apiserver/patch for the engine):
 *   application/json-patch+json            RFC 6902 operations
 *   application/merge-patch+json           RFC 7386
 *   application/strategic-merge-patch+json merge keys from the kind's schema (built-in kinds only, as upstream)
 *   application/apply-patch+yaml           server-side apply: per-manager field ownership, 409 on conflicts
 * The patch applies to the current object; the result goes through every rule of an update.
 */
import { BadRequest } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { JsonSchema } from '../../api/schema';
import { checkJson, checkNesting, readBody, warningHeader } from '../http';
import { applyPatch, decodePatchBody, patchObject as applyPatchDocument, patchTypeFor } from '../patch';
import type { PatchType } from '../patch';
import { droppedTypeCauses, invalid, nowTimestamp } from '../storage';
import { checkBodyKind, fieldManager, fieldValidation, isDryRun, negotiate, RequestContext, writeWarnings } from './context';
import { sendObject } from './read';

/**
 * Applies a non-apply patch to a document (an object, or the Scale view of one). Strategic merge
 * needs a schema; without one (custom resources, Scale) it is refused with 415, as upstream does.
 */
export function patchDocument(current: Obj, raw: Buffer, contentType: string | undefined, schema: JsonSchema | undefined): Obj {
  const type = patchTypeFor(contentType, { strategic: schema !== undefined });
  if (type === 'apply') throw new BadRequest('server-side apply is not supported here');
  return applyPatchDocument(current, type, decodeChecked(type, raw), schema);
}

/** A patch body parsed, and checked to be JSON the server can walk (see checkJson). */
function decodeChecked(type: PatchType, raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (type !== 'apply') checkNesting(text);
  return checkJson(decodePatchBody(type, text));
}

export async function patchObject(ctx: RequestContext): Promise<void> {
  const { type, services, info, query } = ctx;
  const raw = await readBody(ctx.req);
  const schema = type.decl.builtin ? type.decl.schema : undefined;
  const patchType = patchTypeFor(ctx.req.headers['content-type'], { strategic: schema !== undefined });
  if (patchType === 'apply') return serverSideApply(ctx, raw);
  if (query.get('force') !== null) throw new BadRequest('force: Forbidden: may not be specified for non-apply patch');
  const representation = negotiate(ctx.req.headers.accept, query);
  const validation = fieldValidation(query);
  const patch = decodeChecked(patchType, raw);
  let warnings: string[] = [];
  const updated = await services.storage.guaranteedUpdate(
    type,
    info.namespace,
    info.name!,
    (current) => {
      const patched = checkBodyKind(type, applyPatchDocument(current, patchType, patch, schema));
      const checked = services.schemas.check(type.decl.schema, patched, validation);
      warnings = checked.warnings;
      return checked.object;
    },
    { dryRun: isDryRun(query), fieldManager: fieldManager(ctx.req, query), subresource: info.subresource },
  );
  sendObject(ctx, 200, updated, representation, warningHeader(writeWarnings(ctx, warnings)));
}

async function serverSideApply(ctx: RequestContext, raw: Buffer): Promise<void> {
  const { type, services, info, query } = ctx;
  const manager = query.get('fieldManager');
  if (!manager) throw new BadRequest('fieldManager: Required value: is required for apply patch');
  const forceParam = query.get('force');
  if (forceParam !== null && forceParam !== 'true' && forceParam !== 'false') throw new BadRequest(`force: Invalid value: "${forceParam}": must be true or false`);
  const representation = negotiate(ctx.req.headers.accept, query);
  const dryRun = isDryRun(query);
  const body = checkBodyKind(type, decodeChecked('apply', raw));
  if (body.metadata.name !== undefined && body.metadata.name !== info.name) {
    throw new BadRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${info.name})`);
  }
  body.metadata.name = info.name;
  if (type.decl.subresources.status && info.subresource !== 'status') {
    // Apply to the main resource leaves the status out; it must still be of the right types.
    const causes = droppedTypeCauses(body.status, type.decl.schema.properties?.status, 'status');
    if (causes.length > 0) throw invalid(type, info.name!, causes);
  }
  const { object: applied, warnings } = services.schemas.check(type.decl.schema, body, fieldValidation(query));
  const options = {
    manager,
    force: forceParam === 'true',
    kind: type.kind,
    schema: type.decl.schema,
    apiVersion: type.groupVersion,
    subresource: info.subresource,
    statusSubresource: Boolean(type.decl.subresources.status),
  };

  if (!info.subresource && !(await services.storage.getEntry(type, info.namespace, info.name!))) {
    const { object } = applyPatch(undefined, applied, { ...options, now: nowTimestamp() });
    const created = await services.storage.create(type, info.namespace, object, { dryRun, fieldManager: manager, fieldsFromApply: true });
    sendObject(ctx, 201, created, representation, warningHeader(writeWarnings(ctx, warnings)));
    return;
  }
  const updated = await services.storage.guaranteedUpdate(
    type,
    info.namespace,
    info.name!,
    (current) => applyPatch(current, applied, { ...options, now: nowTimestamp() }).object,
    { dryRun, fieldManager: manager, subresource: info.subresource, fieldsFromApply: true },
  );
  sendObject(ctx, 200, updated, representation, warningHeader(writeWarnings(ctx, warnings)));
}
