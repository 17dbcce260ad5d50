/**
 * Strategic merge patch, `application/strategic-merge-patch+json`, as apimachinery's
 * `strategicpatch.StrategicMergeMapPatch` applies it: a JSON merge patch whose lists follow the
 * schema's `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`, plus `$` directives.
 *
 * - Maps merge recursively; `null` deletes a member.
 * - A list with strategy `merge` and a merge key merges item by item on that key; a list of
 *   primitives with strategy `merge` is a set (union). Any other list is replaced.
 * - Directives: `$patch: replace | delete | merge` in a map or as a list item,
 *   `$setElementOrder/<list>`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`. They steer the
 *   merge and are never stored; new values coming from the patch are cleaned of them too.
 * - Where the schema says nothing (no schema, preserve-unknown-fields, additionalProperties:
 *   true), the merge is a JSON merge patch: maps merge, lists are replaced.
 *
 * kubectl computes these patches itself (client-side apply, diff), so only applying is needed.
 */
import { BadRequest } from '../../api/errors';
import { childSchema, type JsonSchema } from '../../api/schema';
import { clone } from '../../util/json';
import { hasOwn, isPlainObject, jsonEqual, setOwn, type JsonObject } from './json-value';

const patchDirective = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

/** What a map with `$patch: delete` merges to: the member (or list item) goes away. */
const deleted = Symbol('deleted');
type Merged = JsonObject | typeof deleted;

/**
 * Applies `patch` to a copy of `original`, steered by `schema` (the kind's whole-object schema).
 * The result shares nothing with the inputs, so callers may change it freely.
 */
export function strategicMergePatch(original: unknown, patch: unknown, schema: JsonSchema | undefined): JsonObject {
  if (!isPlainObject(patch)) throw new BadRequest('a strategic merge patch must be a JSON object');
  const merged = mergeMap(isPlainObject(original) ? clone(original) : undefined, patch, schema, '');
  return merged === deleted ? {} : merged;
}

/** The strategies of a field: `merge`, `retainKeys`, `replace`, or none. */
export function patchStrategies(schema: JsonSchema | undefined): Set<string> {
  const declared = schema?.['x-kubernetes-patch-strategy'] ?? '';
  return new Set(declared.split(',').map((strategy) => strategy.trim()).filter(Boolean));
}

interface Directives {
  retainKeys?: unknown[];
  order: Map<string, unknown[]>;
  deletions: Map<string, unknown[]>;
  fields: JsonObject;
}

/** Merges into `original` in place (a private copy); values taken from the patch are copied. */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: JsonSchema | undefined, path: string): Merged {
  const directive = hasOwn(patch, patchDirective) ? patch[patchDirective] : undefined;
  if (directive === 'delete') return deleted;
  if (directive === 'replace') return mergeMap(undefined, withoutMember(patch, patchDirective), schema, path);
  if (directive !== undefined && directive !== 'merge') {
    throw invalidPatch(path, `unknown ${patchDirective} directive ${JSON.stringify(directive)}; expected replace, delete or merge`);
  }

  const { retainKeys, order, deletions, fields } = splitDirectives(patch, path);
  const result: JsonObject = original ? { ...original } : {};
  if (retainKeys) {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== null && !retainKeys.includes(key)) {
        throw invalidPatch(path, `${retainKeysDirective} does not list "${key}", which the patch sets`);
      }
    }
    for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  }

  for (const [key, value] of Object.entries(fields)) {
    const fieldPath = path ? `${path}.${key}` : key;
    const fieldSchema = childSchema(schema, key);
    const current = hasOwn(result, key) ? result[key] : undefined;
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      setOwn(result, key, mergeList(current, value, fieldSchema, order.get(key), deletions.get(key), fieldPath));
    } else if (isPlainObject(value)) {
      const base = isPlainObject(current) && !patchStrategies(fieldSchema).has('replace') ? current : undefined;
      const merged = mergeMap(base, value, fieldSchema, fieldPath);
      if (merged === deleted) delete result[key];
      else setOwn(result, key, merged);
    } else {
      setOwn(result, key, value);
    }
  }

  // Order and deletion directives can come without their list: they then act on the live list.
  for (const key of new Set([...order.keys(), ...deletions.keys()])) {
    const current = result[key];
    if (hasOwn(fields, key) || !Array.isArray(current)) continue;
    const fieldPath = path ? `${path}.${key}` : key;
    setOwn(result, key, mergeList(current, undefined, childSchema(schema, key), order.get(key), deletions.get(key), fieldPath));
  }
  return result;
}

function splitDirectives(patch: JsonObject, path: string): Directives {
  const directives: Directives = { order: new Map(), deletions: new Map(), fields: {} };
  for (const [key, value] of Object.entries(patch)) {
    if (key === patchDirective) continue;
    if (key === retainKeysDirective) {
      if (!Array.isArray(value)) throw invalidPatch(path, `${retainKeysDirective} must be a list of field names`);
      directives.retainKeys = value;
    } else if (key.startsWith(setElementOrderPrefix)) {
      directives.order.set(listName(key, setElementOrderPrefix, path), listValue(key, value, path));
    } else if (key.startsWith(deleteFromPrimitiveListPrefix)) {
      directives.deletions.set(listName(key, deleteFromPrimitiveListPrefix, path), listValue(key, value, path));
    } else {
      setOwn(directives.fields, key, value);
    }
  }
  return directives;
}

function listName(key: string, prefix: string, path: string): string {
  if (!key.startsWith(`${prefix}/`) || key.length === prefix.length + 1) {
    throw invalidPatch(path, `"${key}" must have the form ${prefix}/<list field>`);
  }
  return key.slice(prefix.length + 1);
}

function listValue(key: string, value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalidPatch(path, `"${key}" must be a list`);
  return value;
}

function mergeList(
  current: unknown,
  patch: unknown[] | undefined,
  schema: JsonSchema | undefined,
  order: unknown[] | undefined,
  deletions: unknown[] | undefined,
  path: string,
): unknown[] {
  const original = Array.isArray(current) ? current : [];
  if (!patchStrategies(schema).has('merge')) {
    if (patch) return cleanReplacedList(patch, schema?.items, path);
    return deletions ? original.filter((item) => !deletions.some((value) => jsonEqual(value, item))) : original;
  }

  const items = patch ?? [];
  const all = [...original, ...items];
  const ofObjects = all.some(isPlainObject);
  if (ofObjects && !all.every(isPlainObject)) throw invalidPatch(path, 'the list mixes objects with other values');

  if (!ofObjects) {
    const kept = deletions ? original.filter((item) => !deletions.some((value) => jsonEqual(value, item))) : original;
    const merged = unique([...kept, ...items]);
    const ordered = placeItems(merged, items, original, (item) => item);
    return order ? applyElementOrder(ordered, order, items, original, (item) => item, path) : ordered;
  }

  const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
  if (!mergeKey) throw invalidPatch(path, 'cannot merge a list of objects that has no merge key');
  const identity = (item: unknown): unknown => (item as JsonObject)[mergeKey];
  const hasKey = (item: JsonObject, index: number): void => {
    if (!hasOwn(item, mergeKey)) throw invalidPatch(`${path}[${index}]`, `the item has no merge key "${mergeKey}"`);
  };

  let base = original as JsonObject[];
  const regular: JsonObject[] = [];
  let replaceAll = false;
  (items as JsonObject[]).forEach((item, index) => {
    const directive = hasOwn(item, patchDirective) ? item[patchDirective] : undefined;
    if (directive === undefined || directive === 'merge') {
      hasKey(item, index);
      regular.push(item);
    } else if (directive === 'delete') {
      hasKey(item, index);
      base = base.filter((existing) => !(hasOwn(existing, mergeKey) && jsonEqual(existing[mergeKey], item[mergeKey])));
    } else if (directive === 'replace') {
      replaceAll = true;
    } else {
      throw invalidPatch(`${path}[${index}]`, `unknown ${patchDirective} directive ${JSON.stringify(directive)}`);
    }
  });

  let merged: JsonObject[];
  if (replaceAll) {
    merged = regular.map((item, index) => mergeMap(undefined, item, schema?.items, `${path}[${index}]`) as JsonObject);
  } else {
    merged = [...base];
    regular.forEach((item, index) => {
      const at = merged.findIndex((existing) => hasOwn(existing, mergeKey) && jsonEqual(existing[mergeKey], item[mergeKey]));
      const result = mergeMap(at >= 0 ? merged[at] : undefined, item, schema?.items, `${path}[${index}]`) as JsonObject;
      if (at >= 0) merged[at] = result;
      else merged.push(result);
    });
    merged = placeItems(merged, regular, original, identity) as JsonObject[];
  }
  if (!order) return merged;
  order.forEach((item, index) => {
    if (!isPlainObject(item)) throw invalidPatch(path, `${setElementOrderPrefix} item ${index} must be an object with the merge key`);
    hasKey(item, index);
  });
  return applyElementOrder(merged, order, regular, original, identity, path);
}

/** Items of a replaced list, cleaned of directives the way new values from the patch are. */
function cleanReplacedList(items: unknown[], itemSchema: JsonSchema | undefined, path: string): unknown[] {
  return items.flatMap((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (Array.isArray(item)) return [mergeList(undefined, item, itemSchema, undefined, undefined, itemPath)];
    if (!isPlainObject(item)) return [item];
    // A bare `{"$patch": "replace"}` marks the whole list; on a replaced list it says nothing.
    if (Object.keys(item).length === 1 && hasOwn(item, patchDirective)) return [];
    const merged = mergeMap(undefined, item, itemSchema, itemPath);
    return merged === deleted ? [] : [merged];
  });
}

/**
 * The order upstream gives a merged list: items the patch named in the patch's order, items
 * only the server had in their old order, the two interleaved by their old positions.
 */
function placeItems(merged: unknown[], patched: unknown[], original: unknown[], identity: (item: unknown) => unknown): unknown[] {
  const fromPatch = merged.filter((item) => indexOf(patched, item, identity) >= 0);
  const serverOnly = merged.filter((item) => indexOf(patched, item, identity) < 0);
  return interleave(sortBy(serverOnly, original, identity), sortBy(fromPatch, patched, identity), original, identity);
}

/** `$setElementOrder`: the listed items take the listed order; the others keep their place. */
function applyElementOrder(
  merged: unknown[],
  order: unknown[],
  patched: unknown[],
  original: unknown[],
  identity: (item: unknown) => unknown,
  path: string,
): unknown[] {
  let next = 0;
  for (const item of order) if (next < patched.length && jsonEqual(identity(item), identity(patched[next]))) next += 1;
  if (next < patched.length) {
    throw invalidPatch(path, `the order of the patch list does not match its ${setElementOrderPrefix} list`);
  }
  const listed = merged.filter((item) => indexOf(order, item, identity) >= 0);
  const serverOnly = merged.filter((item) => indexOf(order, item, identity) < 0);
  return interleave(sortBy(serverOnly, original, identity), sortBy(listed, order, identity), original, identity);
}

/** Merges two sorted lists, taking a `left` item first only when the old order says it came first. */
function interleave(left: unknown[], right: unknown[], oldOrder: unknown[], identity: (item: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    if (l >= left.length) out.push(right[r++]);
    else if (r >= right.length) out.push(left[l++]);
    else {
      const leftAt = indexOf(oldOrder, left[l], identity);
      const rightAt = indexOf(oldOrder, right[r], identity);
      out.push(leftAt >= 0 && rightAt >= 0 && leftAt < rightAt ? left[l++] : right[r++]);
    }
  }
  return out;
}

function sortBy(items: unknown[], order: unknown[], identity: (item: unknown) => unknown): unknown[] {
  return [...items].sort((a, b) => {
    const at = indexOf(order, a, identity);
    const bt = indexOf(order, b, identity);
    return at >= 0 && bt >= 0 ? at - bt : 0;
  });
}

function indexOf(list: unknown[], item: unknown, identity: (item: unknown) => unknown): number {
  const wanted = identity(item);
  return list.findIndex((candidate) => jsonEqual(identity(candidate), wanted));
}

function unique(items: unknown[]): unknown[] {
  return items.filter((item, index) => items.findIndex((other) => jsonEqual(other, item)) === index);
}

function withoutMember(object: JsonObject, member: string): JsonObject {
  const copy = clone(object);
  delete copy[member];
  return copy;
}

function invalidPatch(path: string, detail: string): BadRequest {
  return new BadRequest(`invalid strategic merge patch at ${path || 'the top level'}: ${detail}`);
}
