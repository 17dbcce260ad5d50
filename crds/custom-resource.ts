/**
 * A CustomResourceDefinition becomes one KindDeclaration per served version, the same shape the
 * built-in kinds have, so the server serves both through the same machinery.
 */
import type { JsonSchema } from '../src/api/schema';
import { schemaOf } from '../src/api/schema-of';
import { ObjectMeta, type CustomResourceDefinition, type CustomResourceDefinitionVersion } from '../src/api/types';
import { age } from './columns';
import type { KindDeclaration, PrinterColumn } from './kind';

export { validateCustomResourceDefinition } from './validate-custom-resource';

const PRINTER_COLUMN_TYPES: readonly PrinterColumn['type'][] = ['string', 'integer', 'number', 'boolean', 'date'];

/** One declaration per served version; an unserved version declares nothing. */
export function fromCustomResourceDefinition(crd: CustomResourceDefinition): KindDeclaration[] {
  const { spec } = crd;
  const { names } = spec;
  return spec.versions
    .filter((v) => v.served)
    .map((version) => ({
      group: spec.group,
      version: version.name,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      shortNames: [...(names.shortNames ?? [])],
      categories: [...(names.categories ?? [])],
      scope: spec.scope,
      subresources: subresourcesOf(version),
      printerColumns: printerColumnsOf(version),
      schema: customResourceSchema(version.schema?.openAPIV3Schema),
      builtin: false,
    }));
}

function subresourcesOf(version: CustomResourceDefinitionVersion): KindDeclaration['subresources'] {
  const subresources: KindDeclaration['subresources'] = {};
  if (version.subresources?.status) subresources.status = true;
  const scale = version.subresources?.scale;
  if (scale) {
    subresources.scale = { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath };
    if (scale.labelSelectorPath) subresources.scale.labelSelectorPath = scale.labelSelectorPath;
  }
  return subresources;
}

/** The version's columns, or upstream's default single Age column when it declares none. */
function printerColumnsOf(version: CustomResourceDefinitionVersion): PrinterColumn[] {
  const columns = version.additionalPrinterColumns ?? [];
  if (columns.length === 0) return [age];
  return columns.map((c) => {
    const column: PrinterColumn = {
      name: c.name,
      type: PRINTER_COLUMN_TYPES.find((t) => t === c.type) ?? 'string',
      jsonPath: c.jsonPath,
    };
    if (c.format) column.format = c.format;
    if (c.description) column.description = c.description;
    if (c.priority) column.priority = c.priority;
    return column;
  });
}

/**
 * The user's schema with the fields every object has filled in, as upstream does: apiVersion and
 * kind strings, and the full ObjectMeta schema for metadata (so unknown metadata fields are
 * pruned like on built-in kinds). Without a schema, anything is kept.
 */
export function customResourceSchema(userSchema: JsonSchema | undefined): JsonSchema {
  const base: JsonSchema = userSchema ? { ...userSchema } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...base,
    type: 'object',
    properties: {
      ...base.properties,
      apiVersion: { type: 'string', description: 'The versioned schema of this representation of the object.' },
      kind: { type: 'string', description: 'The REST resource this object represents.' },
      metadata: { ...schemaOf(ObjectMeta), description: "Standard object's metadata." },
    },
  };
}
