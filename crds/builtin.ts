/**
 * `declare(codec, ...)` turns a kind's codec into its declaration. Group, version, kind and the
 * schema are read off the codec, and the status subresource follows from the schema having a
 * `status`, so a declaration cannot disagree with the codec it serves.
 */
import type * as t from 'io-ts';
import type { NameRule } from '../src/api/names';
import type { JsonSchema } from '../src/api/schema';
import { schemaOf } from '../src/api/schema-of';
import type { KindDeclaration, PrinterColumn, ScaleSubresource } from './kind';

/** A built-in declaration keeps its codec, so the server decodes built-in kinds with full typing. */
export interface BuiltinKind extends KindDeclaration {
  codec: t.Mixed;
  builtin: true;
}

export interface BuiltinOptions {
  plural: string;
  singular?: string;
  shortNames?: string[];
  categories?: string[];
  scope: 'Namespaced' | 'Cluster';
  scale?: ScaleSubresource;
  printerColumns?: PrinterColumn[];
  nameRule?: NameRule;
  unmanaged?: string;
}

export function declare(codec: t.Mixed, options: BuiltinOptions): BuiltinKind {
  const schema = schemaOf(codec);
  const apiVersion = onlyValue(schema, 'apiVersion');
  const kind = onlyValue(schema, 'kind');
  const slash = apiVersion.indexOf('/');
  const subresources: KindDeclaration['subresources'] = {};
  if (schema.properties?.status) subresources.status = true;
  if (options.scale) subresources.scale = options.scale;
  const declaration: BuiltinKind = {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind,
    listKind: `${kind}List`,
    plural: options.plural,
    singular: options.singular ?? kind.toLowerCase(),
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    scope: options.scope,
    subresources,
    printerColumns: options.printerColumns ?? [],
    schema,
    builtin: true,
    codec,
  };
  if (options.nameRule) declaration.nameRule = options.nameRule;
  if (options.unmanaged) declaration.unmanaged = options.unmanaged;
  return declaration;
}

/** The single value a kind's codec allows for `apiVersion` or `kind`. */
function onlyValue(schema: JsonSchema, field: 'apiVersion' | 'kind'): string {
  const values = schema.properties?.[field]?.enum;
  if (!values || values.length !== 1 || typeof values[0] !== 'string') {
    throw new Error(`declare: the codec does not fix ${field} to one value; build it with resource()`);
  }
  return values[0];
}

/**
 * The scale subresource of Deployments, ReplicaSets, StatefulSets and ReplicationControllers (the
 * server renders the selector string from `.spec.selector`).
 */
export const replicasScale: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};
