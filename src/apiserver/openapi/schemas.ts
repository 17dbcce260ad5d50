/**
 * components.schemas of a group-version document: each kind's structural schema (the one the
 * server validates and prunes with) under upstream's definition name, marked with
 * `x-kubernetes-group-version-kind` so that `kubectl explain` finds it, its list, and the few
 * meta types the operations refer to.
 *
 *   io.k8s.api.apps.v1.Deployment          a built-in kind
 *   com.example.stable.v1.CronTab          a custom resource (group reversed, as upstream)
 *   io.k8s.apimachinery.pkg.apis.meta.v1.* Status, DeleteOptions, Patch
 */
import type { JsonSchema } from '../../api/schema';
import { schemaOf } from '../../api/schema-of';
import { DeleteOptions, ListMeta, Scale } from '../../api/types';
import type { BuiltinKind, KindDeclaration } from '../../../crds';
import type { ResourceType } from '../registry';
import { NamedTypes } from './named-types';

export const metaPrefix = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const statusName = `${metaPrefix}.Status`;
export const deleteOptionsName = `${metaPrefix}.DeleteOptions`;
export const patchName = `${metaPrefix}.Patch`;
export const scaleName = 'io.k8s.api.autoscaling.v1.Scale';

/** Where upstream keeps the Go types of a built-in group. */
const builtinPackages: Record<string, string> = {
  '': 'io.k8s.api.core',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
};

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function gvkOf(type: ResourceType): GroupVersionKind {
  return { group: type.group, version: type.version, kind: type.kind };
}

/** The definition name of a kind (or its list kind) in this group-version. */
export function definitionName(type: ResourceType, kind = type.kind): string {
  return `${typePrefix(type.decl)}.${kind}`;
}

/** Where a group-version's types are named: `io.k8s.api.apps.v1`, `com.example.stable.v1`. */
export function typePrefix(decl: Pick<KindDeclaration, 'group' | 'version' | 'builtin'>): string {
  const name = decl.builtin ? (builtinPackages[decl.group] ?? `io.k8s.api.${decl.group.split('.')[0]}`) : decl.group.split('.').reverse().join('.');
  return `${name}.${decl.version}`;
}

/** A structural schema as OpenAPI writes it, with references and the kind marker. */
export type OpenApiSchema = JsonSchema & {
  $ref?: string;
  allOf?: OpenApiSchema[];
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
};

export function ref(name: string): OpenApiSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * The schemas of one group-version's document: every kind (built-in kinds with their nested
 * types named, see named-types.ts), its list, and the meta types.
 */
export function componentSchemas(types: ResourceType[]): Record<string, OpenApiSchema> {
  const schemas: Record<string, OpenApiSchema> = {
    [statusName]: withGvk(
      {
        type: 'object',
        description: 'Status is a return value for calls that do not return other objects.',
        'x-kubernetes-preserve-unknown-fields': true,
      },
      [{ group: '', version: 'v1', kind: 'Status' }],
    ),
    [deleteOptionsName]: { ...schemaOf(DeleteOptions), description: 'DeleteOptions may be provided when deleting an API object.' },
    [patchName]: { type: 'object', description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.' },
  };
  const named = types.length > 0 ? new NamedTypes(typePrefix(types[0].decl)) : undefined;
  for (const type of types) {
    const codec = (type.decl as Partial<BuiltinKind>).codec;
    const schema = codec && named ? named.kindSchema(codec, type.decl.schema) : type.decl.schema;
    schemas[definitionName(type)] = withGvk(schema, [gvkOf(type)]);
    schemas[definitionName(type, type.decl.listKind)] = listSchema(type);
    if (type.decl.subresources.scale) schemas[scaleName] = withGvk(schemaOf(Scale), [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
  }
  return { ...named?.schemas, ...schemas };
}

function withGvk(schema: OpenApiSchema, gvks: GroupVersionKind[]): OpenApiSchema {
  return { ...schema, 'x-kubernetes-group-version-kind': gvks };
}

function listSchema(type: ResourceType): OpenApiSchema {
  const kind = type.decl.listKind;
  return withGvk(
    {
      type: 'object',
      description: `${kind} is a list of ${type.kind} objects.`,
      required: ['items'],
      properties: {
        apiVersion: { type: 'string', description: 'The versioned schema of this representation of the object.' },
        kind: { type: 'string', description: 'The REST resource this object represents.' },
        metadata: { ...schemaOf(ListMeta), description: 'Standard list metadata.' },
        items: { type: 'array', description: `The ${type.plural}.`, items: ref(definitionName(type)) },
      },
    },
    [{ group: type.group, version: type.version, kind }],
  );
}
