/**
 * The codec combinators every kind is written with. Each builds an io-ts codec (what `decode`
 * checks) and carries what the structural schema needs (what `schemaOf` emits), so the typed
 * codecs are the one source of truth for validation, pruning, strategic merge patch and
 * `kubectl explain`.
 *
 *   struct('ContainerPort', { containerPort: int32 }, { name: t.string, protocol })
 *   mergeList(Container, 'name')          merge on `name`, list-type map
 *   described(codec, 'what it means')     the text `kubectl explain` shows
 */
import * as t from 'io-ts';
import { isPlainObject } from './object';
import type { JsonSchema } from './schema';

/** A codec with schema facts attached: a description, list or map semantics, a patch strategy. */
export class Annotated<C extends t.Mixed> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly _tag = 'Annotated' as const;
  constructor(
    readonly inner: C,
    readonly extra: JsonSchema,
  ) {
    super(
      inner.name,
      (u): u is t.TypeOf<C> => inner.is(u),
      (u, c) => inner.validate(u, c),
      (a) => inner.encode(a),
    );
  }
}

/**
 * A leaf value with its own schema. `problem` says what is wrong with a value, in upstream's
 * words ("must be an integer"), or returns undefined when the value is fine.
 */
export class Scalar<A> extends t.Type<A, A, unknown> {
  readonly _tag = 'Scalar' as const;
  constructor(
    name: string,
    readonly schema: JsonSchema,
    readonly problem: (u: unknown) => string | undefined,
  ) {
    super(
      name,
      (u): u is A => problem(u) === undefined,
      (u, c) => {
        const detail = problem(u);
        return detail === undefined ? t.success(u as A) : t.failure(u, c, detail);
      },
      t.identity,
    );
  }
}

/** A string from a closed set; a value outside it is upstream's "Unsupported value". */
export class EnumType<V extends string> extends t.Type<V, V, unknown> {
  readonly _tag = 'EnumType' as const;
  constructor(
    name: string,
    readonly values: readonly V[],
  ) {
    const allowed = new Set<unknown>(values);
    super(
      name,
      (u): u is V => allowed.has(u),
      (u, c) => (allowed.has(u) ? t.success(u as V) : t.failure(u, c, supportedValues(values))),
      t.identity,
    );
  }
}

/** upstream's detail for a value outside a closed set: `supported values: "A", "B"`. */
export function supportedValues(values: readonly unknown[]): string {
  return `supported values: ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

type Flatten<T> = { [K in keyof T]: T[K] } & {};
export type StructOf<R extends t.Props, O extends t.Props> = Flatten<
  { [K in keyof R]: t.TypeOf<R[K]> } & { [K in keyof O]?: t.TypeOf<O[K]> }
>;
export type StructOutputOf<R extends t.Props, O extends t.Props> = Flatten<
  { [K in keyof R]: t.OutputOf<R[K]> } & { [K in keyof O]?: t.OutputOf<O[K]> }
>;

/** The failure message a struct records for a missing required field. */
export const REQUIRED = 'Required value';

/**
 * An object with required and optional fields. Like Go's JSON decoding, `null` in an optional
 * field means "absent" (kubectl itself emits `creationTimestamp: null`), so such keys are
 * dropped from the decoded value; unknown fields pass through untouched, because what to do
 * with them (reject, warn, prune) is the caller's choice, see unknown-fields.ts.
 */
export class StructType<R extends t.Props, O extends t.Props> extends t.Type<StructOf<R, O>, StructOutputOf<R, O>, unknown> {
  readonly _tag = 'StructType' as const;
  constructor(
    name: string,
    readonly required: R,
    readonly optional: O,
  ) {
    const fields: [string, t.Mixed, boolean][] = [
      ...Object.entries(required).map(([k, c]): [string, t.Mixed, boolean] => [k, c, true]),
      ...Object.entries(optional).map(([k, c]): [string, t.Mixed, boolean] => [k, c, false]),
    ];
    const identity = fields.every(([, codec]) => codec.encode === t.identity);
    super(
      name,
      (u): u is StructOf<R, O> =>
        isPlainObject(u) &&
        fields.every(([key, codec, isRequired]) => (u[key] === undefined || u[key] === null ? !isRequired : codec.is(u[key]))),
      (u, c) => {
        if (!isPlainObject(u)) return t.failure(u, c, 'must be an object');
        const errors: t.ValidationError[] = [];
        let out: Record<string, unknown> = u;
        const change = (key: string, value: unknown): void => {
          if (out === u) out = { ...u };
          if (value === undefined) delete out[key];
          else out[key] = value;
        };
        for (const [key, codec, isRequired] of fields) {
          const value = u[key];
          if (value === undefined || value === null) {
            if (isRequired) errors.push({ value: undefined, context: t.appendContext(c, key, codec, undefined), message: REQUIRED });
            else if (value === null) change(key, undefined);
            continue;
          }
          const result = codec.validate(value, t.appendContext(c, key, codec, value));
          if (result._tag === 'Left') errors.push(...result.left);
          else if (result.right !== value) change(key, result.right);
        }
        return errors.length > 0 ? t.failures(errors) : t.success(out as StructOf<R, O>);
      },
      identity
        ? (t.identity as (a: StructOf<R, O>) => StructOutputOf<R, O>)
        : (a) => {
            const out: Record<string, unknown> = { ...a };
            for (const [key, codec] of fields) if (out[key] !== undefined) out[key] = codec.encode(out[key]);
            return out as StructOutputOf<R, O>;
          },
    );
  }
}

export function struct<R extends t.Props, O extends t.Props = {}>(name: string, required: R, optional?: O): StructType<R, O> {
  return new StructType(name, required, optional ?? ({} as O));
}

/** Attaches any schema facts; the named helpers below are the usual ones. */
export function withSchema<C extends t.Mixed>(codec: C, extra: JsonSchema): Annotated<C> {
  return new Annotated(codec, extra);
}

/** The text `kubectl explain` shows for this field. */
export function described<C extends t.Mixed>(codec: C, description: string): Annotated<C> {
  return new Annotated(codec, { description });
}

export interface MergeListOptions {
  /** Keys that identify an item for server-side apply, when more than the merge key (ports: containerPort+protocol). */
  mapKeys?: string[];
  /** Strategic merge patch also honours `$retainKeys` inside each item (volumes: one source at a time). */
  retainKeys?: boolean;
  /** Server-side apply treats the list as a whole though strategic merge patch merges it (pod hostIPs, job conditions). */
  atomic?: boolean;
}

/** A list merged item by item on `key` by strategic merge patch, and a list-map for server-side apply. */
export function mergeList<C extends t.Mixed>(item: C, key: string, options: MergeListOptions = {}): Annotated<t.ArrayC<C>> {
  const extra: JsonSchema = {
    'x-kubernetes-patch-strategy': options.retainKeys ? 'merge,retainKeys' : 'merge',
    'x-kubernetes-patch-merge-key': key,
  };
  if (options.atomic) extra['x-kubernetes-list-type'] = 'atomic';
  else {
    extra['x-kubernetes-list-type'] = 'map';
    extra['x-kubernetes-list-map-keys'] = options.mapKeys ?? [key];
  }
  return new Annotated(t.array(item), extra);
}

/** A list-map for server-side apply that strategic merge patch replaces whole (no patch strategy upstream). */
export function mapList<C extends t.Mixed>(item: C, keys: string[]): Annotated<t.ArrayC<C>> {
  return new Annotated(t.array(item), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys });
}

/** A list of unique scalars. With `merge`, strategic merge patch unions it (metadata.finalizers). */
export function setList<C extends t.Mixed>(item: C, options: { merge?: boolean } = {}): Annotated<t.ArrayC<C>> {
  const extra: JsonSchema = { 'x-kubernetes-list-type': 'set' };
  if (options.merge) extra['x-kubernetes-patch-strategy'] = 'merge';
  return new Annotated(t.array(item), extra);
}

/** A list that every patch replaces whole (command, args, tolerations...). */
export function atomicList<C extends t.Mixed>(item: C): Annotated<t.ArrayC<C>> {
  return new Annotated(t.array(item), { 'x-kubernetes-list-type': 'atomic' });
}

/** A map or struct that server-side apply owns as a whole (nodeSelector, a Service's selector). */
export function atomicMap<C extends t.Mixed>(codec: C): Annotated<C> {
  return new Annotated(codec, { 'x-kubernetes-map-type': 'atomic' });
}

/** A union struct: strategic merge patch clears the members a patch does not keep (Deployment strategy). */
export function retainKeys<C extends t.Mixed>(codec: C): Annotated<C> {
  return new Annotated(codec, { 'x-kubernetes-patch-strategy': 'retainKeys' });
}

/** Any JSON object, kept as is: nothing inside is validated or pruned. */
export const preserveUnknown = new Scalar<Record<string, unknown>>(
  'object',
  { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  (u) => (isPlainObject(u) ? undefined : 'must be an object'),
);

/** An object kept as is but typed as `A` for readers (a CRD's openAPIV3Schema is a `JsonSchema`). */
export function opaqueObject<A extends object>(name: string, description?: string): Scalar<A> {
  const schema: JsonSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (description) schema.description = description;
  return new Scalar<A>(name, schema, (u) => (isPlainObject(u) ? undefined : 'must be an object'));
}

export function enumOf<const V extends string>(name: string, values: readonly V[]): EnumType<V> {
  return new EnumType(name, values);
}

/** A map from string keys to values of `codec` (labels, annotations, resource lists). */
export function mapOf<C extends t.Mixed>(codec: C): t.RecordC<t.StringC, C> {
  return t.record(t.string, codec);
}
