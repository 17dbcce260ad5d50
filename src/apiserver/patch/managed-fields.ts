/**
 * Field ownership (`metadata.managedFields`) for writes that are not server-side apply: create,
 * update, and the other patch types. Also the pieces apply shares: reading and writing the
 * entries, and the ownership update upstream's structured-merge-diff `Updater.update` performs.
 *
 * An entry is identified by manager name, operation, subresource and, for Update only, the API
 * version: the same manager applying and updating keeps two entries (apimachinery
 * `BuildManagerIdentifier`).
 */
import { InternalError } from '../../api/errors';
import type { ManagedFieldsEntry, Obj } from '../../api/object';
import type { JsonSchema } from '../../api/schema';
import { FieldSet, FieldsV1Error } from './field-set';
import { compareObjects, type Comparison } from './field-walk';
import { clone } from '../../util/json';
import { isPlainObject } from './json-value';

export type Operation = 'Apply' | 'Update';

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Managers by identity. */
export type Managers = Map<string, Manager>;

/** What both apply and update need to know about the write. */
export interface OwnershipOptions {
  /** The field manager: `?fieldManager=`, or the server's default from the user agent. */
  manager: string;
  /** The group/version the request used, e.g. `apps/v1`; recorded in the entry. */
  apiVersion: string;
  /** When the write happens (a Date or an RFC 3339 string); recorded to the second. */
  now: Date | string;
  /** The kind's whole-object schema; without one, maps are granular and lists atomic. */
  schema?: JsonSchema;
  /** `status` when the write went to the status subresource. */
  subresource?: string;
  /** Whether the kind has a status subresource: then the main resource never owns `status`. */
  statusSubresource?: boolean;
}

/**
 * Fields no manager owns because the server sets them (apimachinery `stripmeta.go`). They are
 * removed as members only: `metadata` owned through `metadata.labels` stays.
 */
const serverOwned = FieldSet.of(
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (field) => ['f:metadata', `f:${field}`],
  ),
);

/**
 * The fields a write through this endpoint never takes ownership of, with all they hold (the
 * "reset fields" of upstream's registry strategies): the status subresource owns `status`, the
 * main resource owns everything else.
 */
export function ignoredFields(options: Pick<OwnershipOptions, 'subresource' | 'statusSubresource'>): FieldSet {
  if (options.subresource === 'status') return FieldSet.of(['f:spec']);
  if (!options.subresource && options.statusSubresource) return FieldSet.of(['f:status']);
  return new FieldSet();
}

/** Removes what no manager may own from a set of fields someone wrote. */
export function ownable(set: FieldSet, ignored: FieldSet): FieldSet {
  return set.recursiveDifference(ignored).difference(serverOwned);
}

export function managerIdentity(manager: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([manager.manager, manager.operation, manager.operation === 'Apply' ? '' : manager.apiVersion, manager.subresource ?? '']);
}

/** Reads `metadata.managedFields`; an unreadable record is a server-side fault (500). */
export function decodeManagedFields(entries: ManagedFieldsEntry[] | undefined): Managers {
  const managers: Managers = new Map();
  for (const [index, entry] of (entries ?? []).entries()) {
    const where = `metadata.managedFields[${index}]`;
    if (!isPlainObject(entry as unknown) || typeof entry.manager !== 'string' || (entry.operation !== 'Apply' && entry.operation !== 'Update')) {
      throw new InternalError(`${where} must have a manager and an operation of Apply or Update`);
    }
    if (entry.fieldsType !== undefined && entry.fieldsType !== 'FieldsV1') {
      throw new InternalError(`${where}: fieldsType ${JSON.stringify(entry.fieldsType)} is not supported (only FieldsV1)`);
    }
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {});
    } catch (error) {
      if (error instanceof FieldsV1Error) throw new InternalError(`${where}: ${error.message}`);
      throw error;
    }
    const manager: Manager = { manager: entry.manager, operation: entry.operation, apiVersion: String(entry.apiVersion ?? ''), set };
    if (typeof entry.subresource === 'string' && entry.subresource) manager.subresource = entry.subresource;
    if (typeof entry.time === 'string' && entry.time) manager.time = entry.time;
    const identity = managerIdentity(manager);
    const earlier = managers.get(identity);
    managers.set(identity, earlier ? { ...manager, set: earlier.set.union(set) } : manager);
  }
  return managers;
}

/** Writes the entries in upstream's order: Apply before Update, then by time, manager, version. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const entries = [...managers.values()]
    .filter((manager) => !manager.set.isEmpty())
    .map((manager) => {
      const entry: ManagedFieldsEntry = { manager: manager.manager, operation: manager.operation, apiVersion: manager.apiVersion };
      if (manager.time) entry.time = manager.time;
      entry.fieldsType = 'FieldsV1';
      entry.fieldsV1 = manager.set.toFieldsV1();
      if (manager.subresource) entry.subresource = manager.subresource;
      return entry;
    });
  const seconds = (time: string | undefined): number => (time ? Math.floor(Date.parse(time) / 1000) : 0);
  const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (a, b) =>
      compare(a.operation ?? '', b.operation ?? '') ||
      seconds(a.time) - seconds(b.time) ||
      compare(a.manager ?? '', b.manager ?? '') ||
      compare(a.apiVersion ?? '', b.apiVersion ?? '') ||
      compare(a.subresource ?? '', b.subresource ?? ''),
  );
}

const secondsUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** RFC 3339 to the second, as `metav1.Time` serialises: `2024-05-01T10:00:00Z`. */
export function formatTime(now: Date | string): string {
  // The server's own clock comes in this form already (`nowTimestamp`), once per write.
  if (typeof now === 'string' && secondsUtc.test(now)) return now;
  const date = typeof now === 'string' ? new Date(now) : now;
  if (Number.isNaN(date.getTime())) throw new InternalError(`the write time ${String(now)} is not a valid time`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A copy of an object without `metadata.managedFields`, the form ownership is computed on. */
export function withoutManagedFields(object: Obj | undefined): Obj {
  if (!object) return { metadata: {} };
  const copy = clone(object);
  delete copy.metadata.managedFields;
  return copy;
}

/**
 * Upstream's `Updater.update`: compares the object before and after the write; every manager
 * but `writer` that owns a field the write added or changed is in conflict, and the fields the
 * write removed leave everyone. Without `force`, conflicts are returned and nothing changes;
 * with it, conflicting managers lose those fields. Managers left with nothing are dropped.
 */
export function updateOwnership(
  before: unknown,
  after: unknown,
  managers: Managers,
  writer: string | undefined,
  force: boolean,
  schema: JsonSchema | undefined,
  ignored: FieldSet,
): { managers: Managers; conflicts: Managers; comparison: Comparison } {
  const raw = compareObjects(before, after, schema);
  const comparison: Comparison = {
    added: raw.added.recursiveDifference(ignored),
    modified: raw.modified.recursiveDifference(ignored),
    removed: raw.removed.recursiveDifference(ignored),
  };
  const changed = comparison.modified.union(comparison.added);
  const conflicts: Managers = new Map();
  for (const [identity, manager] of managers) {
    if (identity === writer) continue;
    const conflict = manager.set.intersection(changed);
    if (!conflict.isEmpty()) conflicts.set(identity, { ...manager, set: conflict });
  }
  if (!force && conflicts.size > 0) return { managers, conflicts, comparison };

  const next: Managers = new Map();
  for (const [identity, manager] of managers) {
    let set = manager.set;
    if (identity !== writer) {
      const conflict = conflicts.get(identity);
      if (conflict) set = set.difference(conflict.set);
      set = set.difference(comparison.removed);
    }
    if (!set.isEmpty()) next.set(identity, { ...manager, set });
  }
  return { managers: next, conflicts, comparison };
}

/**
 * The managedFields an object carries after a create, update or non-apply patch by
 * `options.manager` (apimachinery `FieldManager.Update`): the manager gains every field it
 * added or changed, other managers lose those fields and every field the write removed, and
 * entries left empty are dropped.
 *
 * The starting records are those of `updated` when it carries any (a client that rewrites
 * managedFields on purpose, as kubectl's migration to server-side apply does; `[{}]` clears
 * them all), else those of `old`. Writes to a subresource always start from `old`.
 */
export function recordUpdate(old: Obj | undefined, updated: Obj, options: OwnershipOptions & { operation?: 'Update' }): ManagedFieldsEntry[] {
  const ignored = ignoredFields(options);
  const { managers, comparison } = updateOwnership(
    withoutManagedFields(old),
    withoutManagedFields(updated),
    startingManagers(old, updated, options.subresource),
    undefined,
    true,
    options.schema,
    ignored,
  );
  const taken = ownable(comparison.modified.union(comparison.added), ignored);
  if (!taken.isEmpty()) {
    const writer: Manager = { manager: options.manager, operation: 'Update', apiVersion: options.apiVersion, set: taken, time: formatTime(options.now) };
    if (options.subresource) writer.subresource = options.subresource;
    const identity = managerIdentity(writer);
    const earlier = managers.get(identity);
    managers.set(identity, earlier ? { ...writer, set: earlier.set.union(taken) } : writer);
  }
  return encodeManagedFields(managers);
}

function startingManagers(old: Obj | undefined, updated: Obj, subresource: string | undefined): Managers {
  const requested = updated.metadata.managedFields;
  if (subresource || !requested || requested.length === 0) return decodeManagedFields(old?.metadata.managedFields);
  if (requested.length === 1 && isPlainObject(requested[0]) && Object.keys(requested[0]).length === 0) return new Map();
  try {
    return decodeManagedFields(requested);
  } catch {
    // Upstream falls back to the stored records when a client sends ones it cannot read.
    return decodeManagedFields(old?.metadata.managedFields);
  }
}
