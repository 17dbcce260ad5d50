/**
 * Message tables: for each protobuf message, its fields as the upstream `generated.proto` files
 * number them, written one field a line in a proto-like shorthand:
 *
 *   '[repeated | optional | inline] <type> <jsonName> = <number>'
 *
 * - `<type>` is a scalar (`string`, `bool`, `int32`, `int64`, `double`, `bytes`), a special type
 *   (below), `map<string, V>`, a message of the same package (`PodSpec`) or of another
 *   (`meta.ObjectMeta`).
 * - `optional` marks a field whose zero value still shows in JSON: the Go field is a pointer
 *   (`replicas *int32`) or has no `omitempty` (`containerPort`). Go's protobuf encoder writes
 *   every non-pointer field, zero or not, so without the mark a zero scalar is dropped exactly as
 *   the JSON encoding's `omitempty` would drop it. Messages, lists and maps show when present.
 * - `inline` marks an embedded Go struct (`json:",inline"`): its fields land in the parent object.
 *
 * Special types have their own JSON form: `Time` and `MicroTime` (RFC 3339, `null` when zero),
 * `Quantity` (its string), `IntOrString` (a number or a string), `FieldsV1` and `RawExtension`
 * (the JSON they carry).
 */

export type ScalarType = 'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float' | 'bytes';
export type SpecialType = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'FieldsV1' | 'RawExtension';

const scalarTypes: readonly string[] = ['string', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'bytes'];
const specialTypes: readonly string[] = ['Time', 'MicroTime', 'Quantity', 'IntOrString', 'FieldsV1', 'RawExtension'];

/** What a field (or a map's value) holds. */
export type ValueType =
  | { kind: 'scalar'; type: ScalarType }
  | { kind: 'special'; type: SpecialType }
  | { kind: 'message'; type: string };

export interface FieldSpec {
  name: string;
  number: number;
  value: ValueType;
  /** Present for `map<string, V>` fields: `value` is then the type of the map's values. */
  map: boolean;
  repeated: boolean;
  keepZero: boolean;
  inline: boolean;
}

export interface MessageSpec {
  /** Qualified: `core.PodSpec`. */
  name: string;
  fields: readonly FieldSpec[];
  byNumber: ReadonlyMap<number, FieldSpec>;
}

const fieldLine = /^(?:(repeated|optional|inline)\s+)?(map<\s*string\s*,\s*([\w.]+)\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)$/;

function valueType(type: string, pkg: string): ValueType {
  if (scalarTypes.includes(type)) return { kind: 'scalar', type: type as ScalarType };
  if (specialTypes.includes(type)) return { kind: 'special', type: type as SpecialType };
  return { kind: 'message', type: type.includes('.') ? type : `${pkg}.${type}` };
}

function compileField(line: string, pkg: string, message: string): FieldSpec {
  const m = fieldLine.exec(line.trim());
  if (!m) throw new Error(`protobuf table ${pkg}.${message}: cannot read field "${line}"`);
  const [, modifier, type, mapValue, name, number] = m;
  return {
    name,
    number: Number(number),
    value: valueType(mapValue ?? type, pkg),
    map: mapValue !== undefined,
    repeated: modifier === 'repeated',
    keepZero: modifier === 'optional',
    inline: modifier === 'inline',
  };
}

/** The tables of one package (`core`, `apps`...), as written in its file. */
export type PackageTables = Record<string, readonly string[]>;

/**
 * Compiles the tables of several packages and checks that every message they name exists, so a
 * typo in a table fails at start-up (and in the unit tests), not on a user's request.
 */
export function compileTables(packages: Record<string, PackageTables>): ReadonlyMap<string, MessageSpec> {
  const registry = new Map<string, MessageSpec>();
  for (const [pkg, tables] of Object.entries(packages)) {
    for (const [message, lines] of Object.entries(tables)) {
      const fields = lines.map((line) => compileField(line, pkg, message));
      const byNumber = new Map<number, FieldSpec>();
      for (const field of fields) {
        if (byNumber.has(field.number)) throw new Error(`protobuf table ${pkg}.${message}: field number ${field.number} used twice`);
        byNumber.set(field.number, field);
      }
      registry.set(`${pkg}.${message}`, { name: `${pkg}.${message}`, fields, byNumber });
    }
  }
  for (const spec of registry.values()) {
    for (const field of spec.fields) {
      if (field.value.kind === 'message' && !registry.has(field.value.type)) {
        throw new Error(`protobuf table ${spec.name}.${field.name}: unknown message ${field.value.type}`);
      }
      if (field.inline && field.value.kind !== 'message') {
        throw new Error(`protobuf table ${spec.name}.${field.name}: only a message can be inline`);
      }
    }
  }
  return registry;
}
