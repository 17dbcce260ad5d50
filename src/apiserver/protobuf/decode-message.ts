/**
 * Turns one protobuf message into the JSON object the JSON encoding of the same Go value would
 * be, following the message tables (see `schema.ts` for the rules on zero values, inline fields
 * and special types). Fields without a table entry are skipped, as protobuf requires.
 */
import type { FieldSpec, MessageSpec, ScalarType, SpecialType, ValueType } from './schema';
import { Tag, WireReader, WireType, wireTypeNames } from './wire';

type Json = unknown;

const scalarWireType: Record<ScalarType, number> = {
  string: WireType.LengthDelimited,
  bytes: WireType.LengthDelimited,
  bool: WireType.Varint,
  int32: WireType.Varint,
  int64: WireType.Varint,
  uint32: WireType.Varint,
  uint64: WireType.Varint,
  double: WireType.Fixed64,
  float: WireType.Fixed32,
};

function expectWireType(reader: WireReader, tag: Tag, expected: number, path: string): void {
  if (tag.wireType !== expected) {
    const got = wireTypeNames[tag.wireType] ?? `wire type ${tag.wireType}`;
    reader.fail(`field ${path} (number ${tag.number}) is ${got}, expected ${wireTypeNames[expected]}`, tag.offset);
  }
}

function readScalar(reader: WireReader, type: ScalarType): Json {
  switch (type) {
    case 'string':
      return reader.bytes().toString('utf8');
    case 'bytes':
      return reader.bytes().toString('base64');
    case 'bool':
      return reader.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, reader.varint()));
    case 'uint32':
      return Number(BigInt.asUintN(32, reader.varint()));
    case 'uint64':
      return Number(reader.varint());
    case 'double':
      return reader.fixed64().readDoubleLE(0);
    case 'float':
      return reader.fixed32().readFloatLE(0);
  }
}

const isZero = (value: Json): boolean => value === '' || value === 0 || value === false;

// metav1.Time is marshalled with seconds only and must lie within years 1..9999 (Go's JSON limit).
const earliestSecond = -62135596800n;
const latestSecond = 253402300799n;

function timestamp(reader: WireReader, micro: boolean): Json {
  const start = reader.offset;
  // An empty Timestamp is Go's zero time, which JSON writes as null.
  if (reader.done) return null;
  let seconds = 0n;
  let nanos = 0;
  while (!reader.done) {
    const tag = reader.tag();
    if (tag.number === 1) {
      expectWireType(reader, tag, WireType.Varint, `${reader.path}.seconds`);
      seconds = BigInt.asIntN(64, reader.varint());
    } else if (tag.number === 2) {
      expectWireType(reader, tag, WireType.Varint, `${reader.path}.nanos`);
      nanos = Number(BigInt.asIntN(32, reader.varint()));
    } else {
      reader.skip(tag.wireType, tag.offset);
    }
  }
  if (seconds < earliestSecond || seconds > latestSecond || (micro && (nanos < 0 || nanos > 999_999_999))) {
    reader.fail(`timestamp ${seconds}s ${nanos}ns is outside years 1 to 9999`, start);
  }
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  // Time keeps whole seconds (upstream drops the nanos on decode); MicroTime keeps microseconds.
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** Reads the fields of a small fixed message into a record by number, for the special types. */
function smallMessage(reader: WireReader, types: Record<number, ScalarType>): Record<number, Json> {
  const fields: Record<number, Json> = {};
  while (!reader.done) {
    const tag = reader.tag();
    const type = types[tag.number];
    if (type === undefined) {
      reader.skip(tag.wireType, tag.offset);
      continue;
    }
    expectWireType(reader, tag, scalarWireType[type], reader.path);
    fields[tag.number] = type === 'bytes' ? reader.bytes() : readScalar(reader, type);
  }
  return fields;
}

function embeddedJson(reader: WireReader, what: string): Json {
  const start = reader.offset;
  const raw = smallMessage(reader, { 1: 'bytes' })[1] as Buffer | undefined;
  if (raw === undefined || raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return reader.fail(`${what} that is not JSON`, start);
  }
}

function special(reader: WireReader, type: SpecialType): Json {
  switch (type) {
    case 'Time':
      return timestamp(reader, false);
    case 'MicroTime':
      return timestamp(reader, true);
    case 'Quantity':
      // An absent string is the zero Quantity, which JSON writes as "0".
      return smallMessage(reader, { 1: 'string' })[1] ?? '0';
    case 'IntOrString': {
      const fields = smallMessage(reader, { 1: 'int64', 2: 'int32', 3: 'string' });
      return fields[1] === 1 ? (fields[3] ?? '') : (fields[2] ?? 0);
    }
    case 'FieldsV1':
      return embeddedJson(reader, 'FieldsV1');
    case 'RawExtension':
      return embeddedJson(reader, 'RawExtension');
  }
}

/** What a map entry holds when its value field is missing: the zero value of the type. */
function zeroValue(type: ValueType, messages: ReadonlyMap<string, MessageSpec>, reader: WireReader): Json {
  if (type.kind === 'scalar') return type.type === 'bool' ? false : type.type === 'string' || type.type === 'bytes' ? '' : 0;
  if (type.kind === 'message') return decodeMessage(reader, messages.get(type.type)!, messages);
  return special(reader, type.type);
}

function readValue(reader: WireReader, type: ValueType, tag: Tag, path: string, messages: ReadonlyMap<string, MessageSpec>): Json {
  if (type.kind === 'scalar') {
    expectWireType(reader, tag, scalarWireType[type.type], path);
    return readScalar(reader, type.type);
  }
  expectWireType(reader, tag, WireType.LengthDelimited, path);
  const inner = reader.window(path);
  return type.kind === 'message' ? decodeMessage(inner, messages.get(type.type)!, messages) : special(inner, type.type);
}

function readMapEntry(reader: WireReader, field: FieldSpec, tag: Tag, path: string, messages: ReadonlyMap<string, MessageSpec>): [string, Json] {
  expectWireType(reader, tag, WireType.LengthDelimited, path);
  const entry = reader.window(path);
  let key = '';
  let value: Json | undefined;
  while (!entry.done) {
    const inner = entry.tag();
    if (inner.number === 1) {
      expectWireType(entry, inner, WireType.LengthDelimited, `${path} key`);
      key = entry.bytes().toString('utf8');
    } else if (inner.number === 2) {
      value = readValue(entry, field.value, inner, `${path}[${JSON.stringify(key)}]`, messages);
    } else {
      entry.skip(inner.wireType, inner.offset);
    }
  }
  return [key, value ?? zeroValue(field.value, messages, new WireReader(Buffer.alloc(0), 0, 0, path))];
}

function readField(
  reader: WireReader,
  field: FieldSpec,
  tag: Tag,
  values: Map<FieldSpec, Json>,
  messages: ReadonlyMap<string, MessageSpec>,
): void {
  const path = `${reader.path}.${field.name}`;
  if (field.map) {
    const [key, value] = readMapEntry(reader, field, tag, path, messages);
    const map = (values.get(field) as Record<string, Json> | undefined) ?? {};
    map[key] = value;
    values.set(field, map);
    return;
  }
  if (field.repeated) {
    const list = (values.get(field) as Json[] | undefined) ?? [];
    values.set(field, list);
    const { value } = field;
    // Repeated numbers may come packed in one length-delimited run.
    if (value.kind === 'scalar' && scalarWireType[value.type] !== WireType.LengthDelimited && tag.wireType === WireType.LengthDelimited) {
      const packed = reader.window(path);
      while (!packed.done) list.push(readScalar(packed, value.type));
      return;
    }
    list.push(readValue(reader, value, tag, `${path}[${list.length}]`, messages));
    return;
  }
  const value = readValue(reader, field.value, tag, path, messages);
  if (field.value.kind === 'scalar' && !field.keepZero && isZero(value)) {
    // Protobuf keeps the last occurrence; a zero there means the field is unset (omitempty).
    values.delete(field);
  } else if (field.value.kind === 'message' && values.has(field)) {
    // A message that occurs twice is merged, as protobuf does.
    Object.assign(values.get(field) as Record<string, Json>, value);
  } else {
    values.set(field, value);
  }
}

/** Decodes the message under `reader`; the object's keys follow the table's (Go struct) order. */
export function decodeMessage(reader: WireReader, spec: MessageSpec, messages: ReadonlyMap<string, MessageSpec>): Record<string, Json> {
  const values = new Map<FieldSpec, Json>();
  while (!reader.done) {
    const tag = reader.tag();
    const field = spec.byNumber.get(tag.number);
    if (field === undefined) reader.skip(tag.wireType, tag.offset);
    else readField(reader, field, tag, values, messages);
  }
  const object: Record<string, Json> = {};
  for (const field of spec.fields) {
    if (!values.has(field)) continue;
    if (field.inline) Object.assign(object, values.get(field));
    else object[field.name] = values.get(field);
  }
  return object;
}
