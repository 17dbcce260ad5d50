/**
 * Gives the object types inside a built-in kind's schema their names, read off the kind's codec,
 * so that `kubectl explain` shows `strategy <DeploymentStrategy>` and `containers <[]Container>`
 * as upstream does instead of `<Object>`. Each named struct becomes a component schema; the
 * field keeps what belongs to it (description, list and patch facts) beside an `allOf` reference,
 * which is how upstream's documents refer to a type from a field.
 *
 * Kinds without a codec (custom resources) keep their schemas inline, as upstream serves them.
 */
import * as t from 'io-ts';
import { builtinKinds } from '../../../crds';
import { StructType } from '../../api/codecs';
import type { JsonSchema } from '../../api/schema';
import { shapeOf } from '../../api/schema-of';
import { metaPrefix, ref, typePrefix, type OpenApiSchema } from './schemas';

/** Types of apimachinery's meta/v1 package, named as upstream names them. */
const metaTypes = new Set(['ObjectMeta', 'OwnerReference', 'ManagedFieldsEntry', 'LabelSelector', 'LabelSelectorRequirement', 'Condition', 'ListMeta', 'DeleteOptions', 'Preconditions']);

/** Adds component schemas to a document; says under which name a struct's schema is kept. */
export class NamedTypes {
  readonly schemas: Record<string, OpenApiSchema> = {};
  private readonly texts = new Map<string, string>();

  /** `packagePrefix` names the types no built-in kind declared first: `io.k8s.api.apps.v1`. */
  constructor(private readonly packagePrefix: string) {}

  /** The kind's schema with its nested structs replaced by references. */
  kindSchema(codec: t.Mixed, schema: JsonSchema): OpenApiSchema {
    return this.walk(codec, schema, true);
  }

  private walk(codec: t.Mixed, schema: JsonSchema, top = false): OpenApiSchema {
    const shape = shapeOf(codec);
    if (shape instanceof StructType && schema.properties) {
      const fields: Record<string, t.Mixed> = { ...shape.required, ...shape.optional };
      const properties: Record<string, OpenApiSchema> = {};
      for (const [key, child] of Object.entries(schema.properties)) properties[key] = fields[key] ? this.walk(fields[key], child) : child;
      if (top) return { ...schema, properties };
      const body: OpenApiSchema = { type: 'object', properties };
      if (schema.required) body.required = schema.required;
      const name = this.define(shape.name, body);
      if (!name) return { ...schema, properties };
      const { type: _type, properties: _properties, required: _required, ...field } = schema;
      return Object.keys(field).length > 0 ? { ...field, allOf: [ref(name)] } : ref(name);
    }
    if ((shape instanceof t.ArrayType || shape instanceof t.ReadonlyArrayType) && schema.items) {
      return { ...schema, items: this.walk(shape.type, schema.items) };
    }
    if (shape instanceof t.DictionaryType && typeof schema.additionalProperties === 'object') {
      return { ...schema, additionalProperties: this.walk(shape.codomain, schema.additionalProperties) };
    }
    return schema;
  }

  /**
   * Keeps a struct's schema under its name, or returns undefined when another struct of the
   * same name has a different schema (that one stays inline rather than be misdescribed).
   */
  private define(typeName: string, body: OpenApiSchema): string | undefined {
    const name = `${metaTypes.has(typeName) ? metaPrefix : (homeOf(typeName) ?? this.packagePrefix)}.${typeName}`;
    const text = JSON.stringify(body);
    const known = this.texts.get(name);
    if (known === undefined) {
      this.texts.set(name, text);
      this.schemas[name] = body;
    } else if (known !== text) {
      return undefined;
    }
    return name;
  }
}

let homes: Map<string, string> | undefined;

/**
 * The package of the first built-in kind that uses a struct (core kinds come first), so that a
 * Deployment's PodSpec is `io.k8s.api.core.v1.PodSpec`, as upstream names it.
 */
function homeOf(typeName: string): string | undefined {
  if (!homes) {
    const found = new Map<string, string>();
    const seen = new Set<t.Mixed>();
    const visit = (codec: t.Mixed, prefix: string): void => {
      if (seen.has(codec)) return;
      seen.add(codec);
      const shape = shapeOf(codec);
      if (shape instanceof StructType) {
        if (!found.has(shape.name)) found.set(shape.name, prefix);
        for (const field of Object.values({ ...shape.required, ...shape.optional }) as t.Mixed[]) visit(field, prefix);
      } else if (shape instanceof t.ArrayType || shape instanceof t.ReadonlyArrayType) {
        visit(shape.type, prefix);
      } else if (shape instanceof t.DictionaryType) {
        visit(shape.codomain, prefix);
      }
    };
    for (const kind of builtinKinds) visit(kind.codec, typePrefix(kind));
    homes = found;
  }
  return homes.get(typeName);
}
