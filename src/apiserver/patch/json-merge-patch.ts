/**
 * JSON merge patch (RFC 7386), `application/merge-patch+json`: objects merge recursively, a
 * `null` member deletes, everything else (arrays included) replaces. `kubectl scale` sends it,
 * and client-side apply sends it for kinds kubectl has no schema for (custom resources).
 */
import { clone } from '../../util/json';
import { hasOwn, isPlainObject, jsonEqual, setOwn, type JsonObject } from './json-value';

/**
 * RFC 7386 MergePatch(target, patch). Inputs are left untouched and the result shares nothing
 * with them, so callers may change it freely.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(clone(target), patch);
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: JsonObject = isPlainObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      setOwn(result, key, mergeInto(hasOwn(result, key) ? result[key] : undefined, value));
    }
  }
  return result;
}

/**
 * A merge patch that turns `original` into `modified`: changed and new members as they are in
 * `modified`, removed members as `null`, objects diffed recursively, arrays whole. Only the
 * members of objects can be removed this way; a `null` inside `modified` cannot be expressed
 * (RFC 7386 §3), so it is sent as `null`, which deletes.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isPlainObject(original) || !isPlainObject(modified)) return clone(modified);
  const patch: JsonObject = {};
  for (const [key, value] of Object.entries(modified)) {
    if (!hasOwn(original, key)) {
      setOwn(patch, key, clone(value));
    } else if (isPlainObject(value) && isPlainObject(original[key])) {
      const nested = createMergePatch(original[key], value) as JsonObject;
      if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
    } else if (!jsonEqual(original[key], value)) {
      setOwn(patch, key, clone(value));
    }
  }
  for (const key of Object.keys(original)) {
    if (!hasOwn(modified, key)) setOwn(patch, key, null);
  }
  return patch;
}
