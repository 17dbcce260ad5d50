/**
 * Field-by-field differences between two versions of an object, as paths:
 *
 *   spec.replicas                                   2 → 3
 *   spec.template.spec.containers[name=web].image   busybox:1.35 → busybox:1.36
 *   metadata.labels["app.kubernetes.io/name"]       (added)
 *
 * Lists of objects that all carry a unique identifying field (name, mountPath, containerPort,
 * port, type, key, ip — the usual merge keys) are compared item by item under that key, so an
 * inserted container shows as one added item rather than every later index changing. Lists of
 * plain values compare as a whole.
 */
import { isPlainObject } from '../../api/object';
import { deepEqual } from '../../util/json';
import { toYaml } from '../output/objects';

export interface FieldChange {
  path: string;
  /** Absent when the field was added. */
  before?: unknown;
  /** Absent when the field was removed. */
  after?: unknown;
}

const listKeys = ['name', 'mountPath', 'containerPort', 'port', 'type', 'key', 'ip'];

function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The field that identifies every item of both lists, if there is one. */
function listKey(a: unknown[], b: unknown[]): string | undefined {
  const items = [...a, ...b];
  if (items.length === 0 || !items.every(isPlainObject)) return undefined;
  return listKeys.find((key) =>
    [a, b].every((list) => {
      const values = list.map((item) => (item as Record<string, unknown>)[key]);
      return values.every((v) => typeof v === 'string' || typeof v === 'number') && new Set(values).size === values.length;
    }),
  );
}

export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (before === undefined) return [{ path, after }];
  if (after === undefined) return [{ path, before }];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], childPath(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = listKey(before, after);
    if (key) {
      const index = (list: unknown[]) => new Map(list.map((item) => [(item as Record<string, unknown>)[key], item]));
      const was = index(before);
      const now = index(after);
      const ids = [...now.keys(), ...[...was.keys()].filter((id) => !now.has(id))];
      return ids.flatMap((id) => fieldChanges(was.get(id), now.get(id), `${path}[${key}=${String(id)}]`));
    }
    if (before.every(isPlainObject) && after.every(isPlainObject) && before.length > 0 && after.length > 0) {
      const length = Math.max(before.length, after.length);
      return Array.from({ length }, (_, i) => fieldChanges(before[i], after[i], `${path}[${i}]`)).flat();
    }
  }
  return [{ path, before, after }];
}

/** A value on one line when it is short and flat, else as indented YAML lines. */
function valueLines(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [typeof value === 'string' ? value : JSON.stringify(value)];
  const flat = JSON.stringify(value);
  if (flat.length <= 60 && !/[{[].*[{[]/.test(flat.slice(1))) return [flat];
  return toYaml(value).trimEnd().split('\n');
}

/** The unified form: each path, then `-` lines with the old value and `+` lines with the new. */
export function formatChanges(changes: FieldChange[]): string {
  const out: string[] = [];
  for (const c of changes) {
    out.push(`  ${c.path || '(whole object)'}`);
    if (c.before !== undefined) out.push(...valueLines(c.before).map((l) => `-   ${l}`));
    if (c.after !== undefined) out.push(...valueLines(c.after).map((l) => `+   ${l}`));
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** What of `value` the manifest `shape` speaks of: a new object shown without the server's defaults. */
export function restrictTo(value: unknown, shape: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(shape)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) if (value[key] !== undefined) out[key] = restrictTo(value[key], shape[key]);
    return out;
  }
  if (Array.isArray(value) && Array.isArray(shape)) return shape.map((item, i) => restrictTo(value[i], item));
  return value;
}
