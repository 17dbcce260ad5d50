/**
 * The patch engine: pure functions the API server calls for PATCH (all four content types) and
 * for recording field ownership on every write. See README.md for the picture.
 *
 *   const type = patchTypeFor(request.headers['content-type'], { strategic: decl.builtin });
 *   const body = decodePatchBody(type, text);
 *   if (type === 'apply') {
 *     const { object } = applyPatch(live, body, { manager, force, apiVersion, kind, schema, now, statusSubresource });
 *   } else {
 *     const patched = patchObject(live, type, body, schema);
 *     patched.metadata.managedFields = recordUpdate(live, patched, { manager, apiVersion, schema, now, statusSubresource });
 *   }
 */
import { BadRequest, UnsupportedMediaType } from '../../api/errors';
import { isObj, isPlainObject, type Obj } from '../../api/object';
import type { JsonSchema } from '../../api/schema';
import { parseYaml } from '../http';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch } from './json-merge-patch';
import { strategicMergePatch } from './strategic-merge-patch';

export { applyPatch, lastAppliedAnnotation, type ApplyOptions, type ApplyResult } from './apply';
export { recordUpdate, type OwnershipOptions } from './managed-fields';
export { applyMergePatch, createMergePatch } from './json-merge-patch';
export { applyJsonPatch, type JsonPatchOperation } from './json-patch';
export { strategicMergePatch } from './strategic-merge-patch';
export { FieldSet, pathString, type FieldPath } from './field-set';
export { toFieldSet } from './field-walk';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** The PATCH content types, in the order upstream lists them in its 415 message. */
export const patchContentTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/apply-patch+yaml': 'apply',
  'application/strategic-merge-patch+json': 'strategic',
};

/**
 * The patch type of a PATCH request's Content-Type (parameters such as `charset` ignored).
 * Upstream refuses strategic merge patch for custom resources; pass `strategic: false` there.
 */
export function patchTypeFor(contentType: string | undefined, accept: { strategic?: boolean } = {}): PatchType {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const type = patchContentTypes[mediaType];
  const allowed = Object.entries(patchContentTypes).filter(([, t]) => t !== 'strategic' || accept.strategic !== false);
  if (!type || (type === 'strategic' && accept.strategic === false)) {
    throw new UnsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${allowed.map(([name]) => name).join(', ')}`,
    );
  }
  return type;
}

/** Parses a PATCH body: JSON, or for apply YAML (of which JSON is a part). */
export function decodePatchBody(type: PatchType, body: string): unknown {
  if (body.trim() === '') throw new BadRequest('the PATCH request has an empty body');
  if (type === 'apply') return parseYaml(body);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new BadRequest(`the patch is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Applies a JSON, merge or strategic merge patch to the live object. The result is a new
 * object the caller may change; checking that the name, namespace and resourceVersion still
 * match is the caller's job.
 */
export function patchObject(live: Obj, type: Exclude<PatchType, 'apply'>, patch: unknown, schema?: JsonSchema): Obj {
  let result: unknown;
  switch (type) {
    case 'json':
      result = applyJsonPatch(live, patch);
      break;
    case 'merge':
      if (!isPlainObject(patch)) throw new BadRequest('a merge patch must be a JSON object');
      result = applyMergePatch(live, patch);
      break;
    case 'strategic':
      result = strategicMergePatch(live, patch, schema);
      break;
  }
  if (!isObj(result)) throw new BadRequest('the patched object must be a JSON object with metadata');
  return result;
}
