/**
 * The one decode helper. Bytes that enter berth (HTTP bodies, store values, config) go through
 * `decode`, which returns the typed value or throws `Invalid` whose causes name each bad field
 * the way upstream does: `spec.template.spec.containers[0].ports[1].containerPort` with
 * `Invalid value: "abc": must be an integer`, `Required value`, or `Unsupported value: ...`.
 */
import * as t from 'io-ts';
import { EnumType, REQUIRED, supportedValues } from './codecs';
import { Cause, Invalid } from './errors';
import { shapeOf } from './schema-of';

/** What was being decoded, for the error message and the Status details. */
export interface Subject {
  kind: string;
  group?: string;
  name?: string;
}

/** The typed value, or an `Invalid` error listing every bad field. */
export function decode<C extends t.Mixed>(codec: C, value: unknown, what: Subject | string): t.TypeOf<C> {
  const result = codec.validate(value, [{ key: '', type: codec, actual: value }]);
  if (result._tag === 'Right') return result.right;
  throw invalid(what, causesOf(result.left));
}

/** The causes a value fails `codec` with; empty when it decodes. For callers that add their own checks. */
export function check(codec: t.Mixed, value: unknown): Cause[] {
  const result = codec.validate(value, [{ key: '', type: codec, actual: value }]);
  return result._tag === 'Right' ? [] : causesOf(result.left);
}

/** upstream's Invalid error: `Deployment.apps "web" is invalid: [spec.a: Required value, ...]`. */
export function invalid(what: Subject | string, causes: Cause[]): Invalid {
  const listed = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const detail = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  if (typeof what === 'string') return new Invalid(`${what} is invalid: ${detail}`, { causes });
  const qualified = what.group ? `${what.kind}.${what.group}` : what.kind;
  const name = JSON.stringify(what.name ?? '');
  const details: { kind: string; group?: string; name?: string; causes: Cause[] } = { kind: what.kind, causes };
  if (what.group) details.group = what.group;
  if (what.name) details.name = what.name;
  return new Invalid(`${qualified} ${name} is invalid: ${detail}`, details);
}

export function causesOf(errors: t.Errors): Cause[] {
  const seen = new Set<string>();
  const causes: Cause[] = [];
  for (const error of errors) {
    const cause = toCause(error);
    const id = `${cause.field}\u0000${cause.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    causes.push(cause);
  }
  return causes;
}

function toCause(error: t.ValidationError): Cause {
  const field = fieldPath(error.context);
  if (error.message === REQUIRED || error.value === undefined) return { reason: 'FieldValueRequired', message: REQUIRED, field };
  const failing = shapeOf(error.context[error.context.length - 1].type as t.Mixed);
  const unsupported = unsupportedDetail(failing);
  if (unsupported) {
    return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${render(error.value)}: ${unsupported}`, field };
  }
  const detail = error.message ?? expectation(failing);
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${render(error.value)}: ${detail}`, field };
}

/** `spec.containers[0].ports[1].containerPort`; map keys as `metadata.labels[app]`, as upstream's field.Path. */
export function fieldPath(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parent = shapeOf(context[i - 1].type as t.Mixed);
    const key = context[i].key;
    if (parent instanceof t.IntersectionType || parent instanceof t.UnionType) continue;
    if (parent instanceof t.ArrayType || parent instanceof t.ReadonlyArrayType || parent instanceof t.DictionaryType) path += `[${key}]`;
    else path += path ? `.${key}` : key;
  }
  return path;
}

function unsupportedDetail(codec: t.Mixed): string | undefined {
  if (codec instanceof EnumType) return supportedValues(codec.values);
  if (codec instanceof t.LiteralType) return supportedValues([codec.value]);
  if (codec instanceof t.KeyofType) return supportedValues(Object.keys(codec.keys));
  return undefined;
}

/** What an io-ts codec without its own message expected, in upstream's phrasing. */
function expectation(codec: t.Mixed): string {
  if (codec instanceof t.StringType) return 'must be a string';
  if (codec instanceof t.BooleanType) return 'must be a boolean';
  if (codec instanceof t.NumberType) return 'must be a number';
  if (codec instanceof t.RefinementType && codec.name === 'Int') return 'must be an integer';
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType || codec instanceof t.AnyArrayType) return 'must be an array';
  if (
    codec instanceof t.InterfaceType ||
    codec instanceof t.PartialType ||
    codec instanceof t.DictionaryType ||
    codec instanceof t.AnyDictionaryType ||
    codec instanceof t.IntersectionType
  ) {
    return 'must be an object';
  }
  return `must be ${codec.name}`;
}

/** A value inside a message as upstream prints it: strings quoted, numbers bare, objects by type. */
function render(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '"array"';
  return `"${typeof value}"`;
}
