/**
 * Small helpers over plain JSON values (the shapes `JSON.parse` returns) shared by every patch
 * format. Patches never mutate their inputs: they copy what they change.
 */
import { isPlainObject } from '../../api/object';

export { isPlainObject };

export type JsonObject = Record<string, unknown>;

/** Own-property lookup: a patch key such as `constructor` must never reach the prototype. */
export function hasOwn(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * Sets an own member. Plain assignment would treat a `__proto__` key (legal in JSON) as the
 * prototype setter instead of data.
 */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** Structural equality of JSON values: objects compare without regard to key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/**
 * JSON with object keys sorted and HTML-significant characters escaped, as Go's encoding/json
 * writes it: managedFields keys (`k:{"name":"x"}`, `v:"a"`) must compare equal to upstream's.
 */
export function canonicalJson(value: unknown): string {
  return goEscape(JSON.stringify(sortKeys(value)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    const sorted: JsonObject = {};
    for (const key of Object.keys(value).sort()) setOwn(sorted, key, sortKeys(value[key]));
    return sorted;
  }
  return value;
}

function goEscape(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A copy with every `null` (or undefined) object member removed, at any depth (array items are kept). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isPlainObject(value)) {
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && child !== undefined) setOwn(copy, key, withoutNulls(child));
    }
    return copy;
  }
  return value;
}

/** The JSON kind of a value, as error messages name it. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}
