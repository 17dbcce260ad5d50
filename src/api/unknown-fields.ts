/**
 * Fields a schema does not know, for `fieldValidation=Strict|Warn|Ignore`: Strict rejects them
 * (`unknown field "spec.foo"`), Warn reports them and prunes, Ignore prunes silently. The
 * schema says where anything goes: `x-kubernetes-preserve-unknown-fields`, a map's
 * `additionalProperties`, and `x-kubernetes-embedded-resource` (apiVersion/kind/metadata).
 */
import { isPlainObject } from './object';
import type { JsonSchema } from './schema';

const EMBEDDED_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Paths of the fields `schema` does not know, e.g. `spec.template.spec.containers[0].foo`. */
export function unknownFields(value: unknown, schema: JsonSchema): string[] {
  const found: string[] = [];
  walk(value, schema, '', found);
  return found;
}

/** A copy of `value` without the fields `schema` does not know; `value` itself when there are none. */
export function pruneUnknownFields<T>(value: T, schema: JsonSchema): T {
  return walk(value, schema, '', []) as T;
}

/** upstream's wording for one unknown field, as strict decoding reports it. */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/** Returns the pruned value (the same reference when nothing was pruned) and records paths in `found`. */
function walk(value: unknown, schema: JsonSchema | undefined, path: string, found: string[]): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    let out = value;
    value.forEach((item, index) => {
      const pruned = walk(item, schema.items, `${path}[${index}]`, found);
      if (pruned !== item) {
        if (out === value) out = [...value];
        out[index] = pruned;
      }
    });
    return out;
  }
  if (!isPlainObject(value)) return value;

  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  let out: Record<string, unknown> = value;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const known = schema.properties?.[key];
    let pruned: unknown = child;
    if (known) pruned = walk(child, known, childPath, found);
    else if (typeof schema.additionalProperties === 'object') pruned = walk(child, schema.additionalProperties, `${path}[${key}]`, found);
    else if (schema.additionalProperties === true || preserve || (embedded && EMBEDDED_FIELDS.has(key))) continue;
    else {
      found.push(childPath);
      pruned = undefined;
    }
    if (pruned !== child) {
      if (out === value) out = { ...value };
      if (pruned === undefined) delete out[key];
      else out[key] = pruned;
    }
  }
  return out;
}
