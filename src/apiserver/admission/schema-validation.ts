/**
 * Validation of any object against its kind's structural schema, built-in or from a
 * CustomResourceDefinition: types (int-or-string too), required fields, enums, bounds, patterns,
 * lengths, item counts, and uniqueness in `x-kubernetes-list-type` set and map lists. Messages are
 * the ones upstream's CRD validation gives (`spec.replicas in body must be of type integer:
 * "string"`), with field paths as upstream's `field.Path` prints them.
 */
import type { Cause } from '../../api/errors';
import { isPlainObject } from '../../api/object';
import type { JsonSchema } from '../../api/schema';
import { base64, quantity, time } from '../../api/scalars';
import { deepEqual } from '../../util/json';
import { child, duplicate, index, invalid, key, notSupported, required, tooLong, tooMany, typeInvalid, unstructured } from './field-errors';
import type { AdmissionPlugin } from './index';

export const schemaValidation: AdmissionPlugin = {
  name: 'schema-validation',
  anyShape: true,
  validate(obj, { type }) {
    return schemaCauses(obj, type.decl.schema);
  },
};

/** Every way `value` departs from `schema`; empty when it conforms. */
export function schemaCauses(value: unknown, schema: JsonSchema): Cause[] {
  const causes: Cause[] = [];
  walk(value, schema, '', causes);
  return causes;
}

/**
 * Whether causes mean the object does not have its kind's shape (a wrong type, a missing required
 * field): code written against the kind's typed view must not look at such an object.
 */
export function breaksShape(causes: readonly Cause[]): boolean {
  return causes.some((c) => c.reason === 'FieldValueTypeInvalid' || c.reason === 'FieldValueRequired');
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function walk(value: unknown, schema: JsonSchema, path: string, causes: Cause[]): void {
  if (value === null) {
    if (!schema.nullable && (schema.type || schema['x-kubernetes-int-or-string'])) causes.push(typeMismatch(path, value, expectedType(schema)));
    return;
  }
  const expected = expectedType(schema);
  if (expected && !hasType(value, expected)) {
    causes.push(typeMismatch(path, value, expected));
    return;
  }
  const before = causes.length;
  format(value, schema, path, causes);
  if (causes.length > before) return;
  if (schema.enum && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    causes.push(notSupported(path, unstructured(value), schema.enum));
    return;
  }
  if (typeof value === 'number') bounds(value, schema, path, causes);
  else if (typeof value === 'string') text(value, schema, path, causes);
  else if (Array.isArray(value)) list(value, schema, path, causes);
  else if (isPlainObject(value)) object(value, schema, path, causes);
}

type Expected = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string';

function expectedType(schema: JsonSchema): Expected | undefined {
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  return schema.type;
}

function hasType(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int-or-string':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  }
}

/** The JSON type of a value, as go-openapi names it in its messages. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMismatch(path: string, value: unknown, expected: Expected | undefined): Cause {
  const wanted = expected === 'int-or-string' ? 'integer,string' : expected;
  return typeInvalid(path, unstructured(value), `${path} in body must be of type ${wanted}: ${JSON.stringify(jsonType(value))}`);
}

/** Formats that carry a rule of their own: 32-bit integers, quantities, base64 bytes, RFC 3339 times. */
function format(value: unknown, schema: JsonSchema, path: string, causes: Cause[]): void {
  switch (schema.format) {
    case 'int32':
      if (typeof value === 'number' && (value < INT32.min || value > INT32.max)) causes.push(typeMismatchFormat(path, value, 'int32'));
      return;
    case 'int64':
      if (typeof value === 'number' && !Number.isSafeInteger(value)) causes.push(typeMismatchFormat(path, value, 'int64'));
      return;
    case 'quantity': {
      const problem = quantity.problem(value);
      if (problem) causes.push(invalid(path, value, problem));
      return;
    }
    case 'byte':
      if (typeof value === 'string' && base64.problem(value)) causes.push(typeMismatchFormat(path, value, 'byte'));
      return;
    case 'date-time':
      if (typeof value === 'string' && time.problem(value)) causes.push(typeMismatchFormat(path, value, 'date-time'));
      return;
  }
}

function typeMismatchFormat(path: string, value: unknown, wanted: string): Cause {
  return invalid(path, value, `${path} in body must be of type ${wanted}: ${JSON.stringify(String(value))}`);
}

function bounds(value: number, schema: JsonSchema, path: string, causes: Cause[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    causes.push(invalid(path, value, `${path} in body should be greater than or equal to ${schema.minimum}`));
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    causes.push(invalid(path, value, `${path} in body should be less than or equal to ${schema.maximum}`));
  }
}

const patterns = new Map<string, RegExp | null>();

function compiled(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    let re: RegExp | null;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      // A pattern JavaScript cannot compile checks nothing rather than rejecting every object.
      re = null;
    }
    patterns.set(pattern, re);
  }
  return patterns.get(pattern)!;
}

function text(value: string, schema: JsonSchema, path: string, causes: Cause[]): void {
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const length = codePoints(value);
    if (schema.minLength !== undefined && length < schema.minLength) {
      causes.push(invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) causes.push(tooLong(path, schema.maxLength));
  }
  if (schema.pattern !== undefined) {
    const re = compiled(schema.pattern);
    if (re && !re.test(value)) causes.push(invalid(path, value, `${path} in body should match '${schema.pattern}'`));
  }
}

/** A string's length in characters (code points), as upstream counts it; a surrogate pair is one. */
function codePoints(value: string): number {
  let pairs = 0;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return value.length - pairs;
}

function list(value: unknown[], schema: JsonSchema, path: string, causes: Cause[]): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    causes.push(invalid(path, value.length, `${path} in body should have at least ${schema.minItems} items`));
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) causes.push(tooMany(path, value.length, schema.maxItems));
  const before = causes.length;
  if (schema.items) value.forEach((item, i) => walk(item, schema.items!, index(path, i), causes));
  if (causes.length > before) return;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') uniqueItems(value, path, (item) => item, causes);
  else if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    uniqueItems(value, path, (item) => (isPlainObject(item) ? Object.fromEntries(keys.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])) : item), causes);
  }
}

/** Reports every item whose identity repeats an earlier item's, at the later item's index. */
function uniqueItems(value: unknown[], path: string, identity: (item: unknown) => unknown, causes: Cause[]): void {
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const id = identity(item);
    const fingerprint = JSON.stringify(id);
    if (seen.has(fingerprint)) causes.push(duplicate(index(path, i), unstructured(id)));
    else seen.add(fingerprint);
  });
}

function object(value: Record<string, unknown>, schema: JsonSchema, path: string, causes: Cause[]): void {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) causes.push(required(child(path, name)));
  }
  const properties = schema.properties ?? {};
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (Object.hasOwn(properties, name)) walk(item, properties[name], child(path, name), causes);
    else if (values) walk(item, values, key(path, name), causes);
  }
}
