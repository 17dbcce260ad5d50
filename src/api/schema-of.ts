/**
 * `schemaOf(codec)` walks an io-ts codec and produces the OpenAPI v3 structural schema the API
 * server serves and checks against: the same codec that decodes a Deployment describes it, so
 * the two cannot drift. Shapes a structural schema cannot express (a union of objects, a
 * recursive codec) are refused loudly rather than described loosely.
 */
import * as t from 'io-ts';
import { Annotated, EnumType, Scalar, StructType } from './codecs';
import type { JsonSchema } from './schema';

const cache = new WeakMap<t.Mixed, JsonSchema>();

/** The structural schema of `codec`. The result is frozen and shared: copy before changing it. */
export function schemaOf(codec: t.Mixed): JsonSchema {
  let schema = cache.get(codec);
  if (!schema) {
    schema = deepFreeze(build(codec));
    cache.set(codec, schema);
  }
  return schema;
}

/** A codec's wrappers (annotations, refinements, exact/readonly) peeled off down to its shape. */
export function shapeOf(codec: t.Mixed): t.Mixed {
  let current: t.Mixed = codec;
  for (;;) {
    if (current instanceof Annotated) current = current.inner;
    else if (current instanceof t.RefinementType && current.name !== 'Int') current = current.type;
    else if (current instanceof t.ExactType || current instanceof t.ReadonlyType) current = current.type;
    else return current;
  }
}

function build(codec: t.Mixed): JsonSchema {
  if (codec instanceof Annotated) return { ...schemaOf(codec.inner), ...codec.extra };
  if (codec instanceof Scalar) return { ...codec.schema };
  if (codec instanceof EnumType) return { type: 'string', enum: [...codec.values] };
  if (codec instanceof StructType) return objectSchema(codec.required, codec.optional);
  if (codec instanceof t.InterfaceType) return objectSchema(codec.props, {});
  if (codec instanceof t.PartialType) return objectSchema({}, codec.props);
  if (codec instanceof t.IntersectionType) return mergeObjects(codec.name, (codec.types as t.Mixed[]).map(schemaOf));
  if (codec instanceof t.ExactType || codec instanceof t.ReadonlyType) return schemaOf(codec.type);
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) return { type: 'array', items: schemaOf(codec.type) };
  if (codec instanceof t.DictionaryType) return { type: 'object', additionalProperties: schemaOf(codec.codomain) };
  if (codec instanceof t.RefinementType) return codec.name === 'Int' ? { type: 'integer' } : schemaOf(codec.type);
  if (codec instanceof t.LiteralType) return { type: primitiveType(codec.value, codec.name), enum: [codec.value] };
  if (codec instanceof t.KeyofType) return { type: 'string', enum: Object.keys(codec.keys) };
  if (codec instanceof t.UnionType) return unionSchema(codec);
  if (codec instanceof t.StringType) return { type: 'string' };
  if (codec instanceof t.NumberType) return { type: 'number' };
  if (codec instanceof t.BooleanType) return { type: 'boolean' };
  if (codec instanceof t.AnyDictionaryType) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (codec instanceof t.UnknownType || codec instanceof t.AnyType) return { 'x-kubernetes-preserve-unknown-fields': true };
  if (codec instanceof t.RecursiveType) {
    throw new Error(`schemaOf: ${codec.name} is recursive; a structural schema cannot express it (use preserveUnknown)`);
  }
  throw new Error(`schemaOf: no structural schema for codec ${codec.name} (${(codec as { _tag?: string })._tag ?? 'unknown'})`);
}

function objectSchema(required: t.Props, optional: t.Props): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, codec] of Object.entries({ ...required, ...optional })) properties[key] = schemaOf(codec);
  const schema: JsonSchema = { type: 'object', properties };
  const requiredKeys = Object.keys(required);
  if (requiredKeys.length > 0) schema.required = requiredKeys;
  return schema;
}

/** An intersection of objects is one object whose properties and required lists are the union. */
function mergeObjects(name: string, parts: JsonSchema[]): JsonSchema {
  const merged: JsonSchema = { type: 'object', properties: {} };
  const required: string[] = [];
  for (const part of parts) {
    if (part.type !== 'object' || !part.properties) throw new Error(`schemaOf: intersection ${name} has a member that is not an object`);
    const { properties, required: partRequired, ...rest } = part;
    Object.assign(merged, rest);
    Object.assign(merged.properties!, properties);
    for (const key of partRequired ?? []) if (!required.includes(key)) required.push(key);
  }
  if (required.length > 0) merged.required = required;
  return merged;
}

/** Only a union of literals (an enum) has a structural schema; anything else needs a dedicated codec. */
function unionSchema(codec: t.UnionType<t.Mixed[]>): JsonSchema {
  const values: unknown[] = [];
  for (const member of codec.types) {
    const shape = shapeOf(member);
    if (shape instanceof t.LiteralType) values.push(shape.value);
    else if (shape instanceof EnumType) values.push(...shape.values);
    else throw new Error(`schemaOf: union ${codec.name} mixes shapes; a structural schema cannot express it (use intOrString, quantity or a struct)`);
  }
  const types = new Set(values.map((v) => primitiveType(v, codec.name)));
  if (types.size !== 1) throw new Error(`schemaOf: union ${codec.name} mixes literal types`);
  return { type: [...types][0], enum: values };
}

function primitiveType(value: unknown, name: string): JsonSchema['type'] {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  throw new Error(`schemaOf: literal ${name} has no JSON schema type`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
