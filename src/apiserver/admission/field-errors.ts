/**
 * Causes as upstream's `field.ErrorList` words them (apimachinery `pkg/util/validation/field`):
 * `Required value`, `Invalid value: "x": detail`, `Unsupported value: "x": supported values: ...`,
 * `Duplicate value: "x"`, `Forbidden: detail`, `Too long: ...`, `Too many: 5: ...`, `Not found: "x"`.
 * Values are printed as Go prints them in those messages (`%q` for strings, `%#v` for maps and
 * lists), so a message reads the same as it would from a Kubernetes server.
 */
import type { Cause } from '../../api/errors';

export type Causes = Cause[];

/** `spec` + `containers` → `spec.containers`. */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** `spec.containers` + 0 → `spec.containers[0]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** `metadata.labels` + `app` → `metadata.labels[app]`, as upstream's `Path.Key`. */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

export function required(field: string, detail = ''): Cause {
  return { reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field };
}

export function invalid(field: string, value: unknown, detail: string): Cause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${render(value)}${detail ? `: ${detail}` : ''}`, field };
}

/** A value of the wrong JSON type (a string where an integer belongs), as CRD validation reports it. */
export function typeInvalid(field: string, value: unknown, detail: string): Cause {
  return { reason: 'FieldValueTypeInvalid', message: `Invalid value: ${render(value)}: ${detail}`, field };
}

export function notSupported(field: string, value: unknown, supported: readonly unknown[]): Cause {
  const listed = supported.map((v) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(JSON.stringify(v)))).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${render(value)}${supported.length > 0 ? `: supported values: ${listed}` : ''}`,
    field,
  };
}

export function duplicate(field: string, value: unknown): Cause {
  return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${render(value)}`, field };
}

export function forbidden(field: string, detail: string): Cause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field };
}

export function notFound(field: string, value: unknown): Cause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${render(value)}`, field };
}

/** A value longer than a schema's maxLength (upstream `TooLongMaxLength`). */
export function tooLong(field: string, maxLength: number): Cause {
  return { reason: 'FieldValueTooLong', message: `Too long: may not be longer than ${maxLength}`, field };
}

/** A whole that is too big in bytes (annotations, ConfigMap data; upstream `TooLong`). */
export function tooManyBytes(field: string, maxBytes: number): Cause {
  return { reason: 'FieldValueTooLong', message: `Too long: must have at most ${maxBytes} bytes`, field };
}

export function tooMany(field: string, actual: number, max: number): Cause {
  return { reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items`, field };
}

/** `ValidateNonnegativeField`. */
export function nonNegative(value: number | undefined, field: string): Causes {
  return value !== undefined && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** `ValidateImmutableField`: a change is reported with the new value. */
export function immutable(next: unknown, previous: unknown, field: string, same: (a: unknown, b: unknown) => boolean): Causes {
  return same(next, previous) ? [] : [invalid(field, next, 'field is immutable')];
}

/** An int-or-string as Go prints `intstr.IntOrString` (a Stringer: no quotes). */
export class Unquoted {
  constructor(readonly text: string) {}
}

/**
 * A value as upstream's `field.Error` prints it: strings quoted, numbers and booleans bare, maps
 * and lists in Go's `%#v` form (`map[string]string{"app":"web"}`).
 */
export function render(value: unknown): string {
  if (value instanceof Unquoted) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return goSyntax(value);
}

/**
 * A value read from unstructured JSON (a custom resource, or anything the schema check looks at),
 * which Go prints as `map[string]interface {}` and `[]interface {}` whatever it holds.
 */
export function unstructured(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? new Unquoted(goSyntax(value, true)) : value;
}

/** Typed maps and lists of strings print as `map[string]string` and `[]string` (labels, finalizers). */
function goSyntax(value: unknown, untyped = false): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  const inner = (v: unknown): string => goSyntax(v, untyped);
  if (Array.isArray(value)) {
    const strings = !untyped && value.every((v) => typeof v === 'string');
    return `${strings ? '[]string' : '[]interface {}'}{${value.map(inner).join(', ')}}`;
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const strings = !untyped && entries.every(([, v]) => typeof v === 'string');
  return `${strings ? 'map[string]string' : 'map[string]interface {}'}{${entries.map(([k, v]) => `${JSON.stringify(k)}:${inner(v)}`).join(', ')}}`;
}
