/**
 * The basics of upstream's structural-schema rules (apiextensions-apiserver
 * `pkg/apiserver/schema/validation.go`), so that a CRD schema berth accepts is one it can prune
 * and merge with: every node has a type, arrays have items, properties and
 * additionalProperties exclude each other, no `$ref`, metadata restricted to name and
 * generateName. Paths and messages are upstream's.
 */
import type { Cause } from '../src/api/errors';
import { isPlainObject } from '../src/api/object';

type Level = 'root' | 'field' | 'item';

const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean'];
const EMPTY_TYPE: Record<Level, string> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};

const required = (field: string, detail: string): Cause => ({ reason: 'FieldValueRequired', message: `Required value: ${detail}`, field });
const forbidden = (field: string, detail: string): Cause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
const invalid = (field: string, value: unknown, detail: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});

/** The problems of `schema` (a CRD version's openAPIV3Schema) at `path`; empty when it is structural. */
export function structuralSchemaProblems(schema: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  node(schema, path, 'root', causes);
  return causes;
}

function node(schema: unknown, path: string, level: Level, causes: Cause[]): void {
  if (!isPlainObject(schema)) {
    causes.push(invalid(path, typeof schema, 'must be an object'));
    return;
  }
  const type = schema.type;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;

  if ('$ref' in schema) causes.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (type !== undefined && !TYPES.includes(type as string)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(type)}: supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
      field: `${path}.type`,
    });
  }
  if (embedded && type !== 'object') {
    if (type === undefined) causes.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else causes.push(invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (type === undefined && !intOrString && !preserve) {
    causes.push(required(`${path}.type`, EMPTY_TYPE[level]));
  }
  if (level === 'root' && type !== undefined && type !== 'object') causes.push(invalid(`${path}.type`, type, 'must be object at the root'));
  if (level === 'root' && schema.nullable === true) causes.push(forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  if (intOrString && preserve) {
    causes.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === false) {
    causes.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  }

  const additional = schema.additionalProperties;
  if (additional !== undefined) {
    if (properties && Object.keys(properties).length > 0 && (additional === false || isPlainObject(additional))) {
      causes.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    if (level === 'root') causes.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isPlainObject(additional)) node(additional, `${path}.additionalProperties`, 'field', causes);
  }

  listType(schema, path, causes);

  if (type === 'array' && schema.items === undefined) causes.push(required(`${path}.items`, 'must be specified'));
  if (schema.items !== undefined) node(schema.items, `${path}.items`, 'item', causes);

  if (properties) {
    for (const [name, child] of Object.entries(properties)) node(child, `${path}.properties[${name}]`, 'field', causes);
    if (level === 'root' || embedded) metadataOnlyNames(properties, path, level, causes);
  }
}

function listType(schema: Record<string, unknown>, path: string, causes: Cause[]): void {
  const list = schema['x-kubernetes-list-type'];
  if (list === undefined) return;
  if (schema.type !== 'array') {
    if (schema.type === undefined) causes.push(required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'));
    else causes.push(invalid(`${path}.type`, schema.type, 'must be array if x-kubernetes-list-type is specified'));
  }
  if (!['atomic', 'set', 'map'].includes(list as string)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(list)}: supported values: "atomic", "set", "map"`,
      field: `${path}.x-kubernetes-list-type`,
    });
  }
  const keys = schema['x-kubernetes-list-map-keys'];
  if (list === 'map' && (!Array.isArray(keys) || keys.length === 0)) {
    causes.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
  }
  if (list !== 'map' && keys !== undefined) {
    causes.push(forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty if x-kubernetes-list-type is not map'));
  }
}

/** At the root, apiVersion and kind are strings and metadata may only restrict name and generateName. */
function metadataOnlyNames(properties: Record<string, unknown>, path: string, level: Level, causes: Cause[]): void {
  for (const field of ['apiVersion', 'kind'] as const) {
    const child = properties[field];
    if (isPlainObject(child) && child.type !== undefined && child.type !== 'string') {
      causes.push(invalid(`${path}.properties[${field}].type`, child.type, 'must be string'));
    }
  }
  const metadata = properties.metadata;
  if (!isPlainObject(metadata)) return;
  if (metadata.type !== undefined && metadata.type !== 'object') {
    causes.push(invalid(`${path}.properties[metadata].type`, metadata.type, 'must be object'));
  }
  if (level !== 'root') return;
  const allowed = new Set(['type', 'properties', 'description']);
  const metadataProperties = isPlainObject(metadata.properties) ? Object.keys(metadata.properties) : [];
  const onlyNames = metadataProperties.every((p) => p === 'name' || p === 'generateName');
  if (!onlyNames || Object.keys(metadata).some((k) => !allowed.has(k))) {
    causes.push(
      forbidden(`${path}.properties[metadata]`, 'must not specify anything other than name and generateName, but metadata is implicitly specified'),
    );
  }
}
