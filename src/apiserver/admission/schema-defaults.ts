/**
 * Structural defaulting, as upstream applies it to custom resources (and as built-in kinds get
 * it through their schemas, e.g. ports' protocol TCP): `null` in a field that is not `nullable`
 * means "absent" and is dropped, then every absent field whose schema has a `default` gets a copy
 * of it. Runs on every kind before the kind's own defaults.
 */
import { isPlainObject } from '../../api/object';
import type { JsonSchema } from '../../api/schema';
import { clone } from '../../util/json';
import type { AdmissionPlugin } from './index';

export const schemaDefaults: AdmissionPlugin = {
  name: 'schema-defaults',
  anyShape: true,
  mutate(obj, { type }) {
    applySchemaDefaults(obj, type.decl.schema);
  },
};

/** Drops non-nullable nulls and fills `default`s throughout `value`, in place. */
export function applySchemaDefaults(value: unknown, schema: JsonSchema | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applySchemaDefaults(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = schema.properties ?? {};
  const values = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [name, child] of Object.entries(value)) {
    const childSchema = Object.hasOwn(properties, name) ? properties[name] : values;
    if (!childSchema) continue;
    if (child === null && !childSchema.nullable) delete value[name];
    else applySchemaDefaults(child, childSchema);
  }
  for (const [name, childSchema] of Object.entries(properties)) {
    if (value[name] !== undefined || childSchema.default === undefined) continue;
    value[name] = clone(childSchema.default);
    applySchemaDefaults(value[name], childSchema);
  }
}
