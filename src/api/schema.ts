/**
 * The OpenAPI v3 structural-schema subset that CustomResourceDefinitions use. Every kind berth
 * serves, built-in or user-defined, is described by one of these: validation, unknown-field
 * pruning, strategic merge patch (merge keys), server-side apply (list types) and
 * `kubectl explain` all read it.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  format?: string; // int32, int64, double, date-time, byte, int-or-string, quantity
  properties?: Record<string, JsonSchema>;
  /** A map: every value has this schema. `true` with no properties: any object. */
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Strategic merge patch: `merge`, `retainKeys`, or `merge,retainKeys`. */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
}

/** The schema of a child: a property of an object, the items of an array, or a map value. */
export function childSchema(schema: JsonSchema | undefined, field: string | number): JsonSchema | undefined {
  if (!schema) return undefined;
  if (typeof field === 'number') return schema.items;
  if (schema.properties && Object.hasOwn(schema.properties, field)) return schema.properties[field];
  if (typeof schema.additionalProperties === 'object') return schema.additionalProperties;
  return undefined;
}
