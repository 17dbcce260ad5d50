/**
 * Server-side apply, `application/apply-patch+yaml` (apimachinery `FieldManager.Apply` over
 * structured-merge-diff `Updater.Apply`). Apply is a merge per manager, never a replace:
 *
 * 1. the applied configuration is merged into the live object (see `apply-merge.ts`);
 * 2. the manager now owns exactly the fields its configuration sets;
 * 3. fields it owned before and no longer sets are removed, unless another manager owns them;
 * 4. a field that changes value while another manager owns it is a conflict (409), unless
 *    `force`, which moves ownership to the applier. Equal values are shared, not conflicts.
 *
 * Two behaviours of upstream's field manager chain come along, because kubectl relies on them:
 * an object without managedFields is first attributed to `before-first-apply`, and for the
 * manager `kubectl`, conflicts on fields whose live value still equals the client-side
 * `last-applied-configuration` are forgiven (the client-side to server-side upgrade), and that
 * annotation is kept in step with what was applied.
 */
import { BadRequest, Conflict, type Cause } from '../../api/errors';
import type { ManagedFieldsEntry, Obj } from '../../api/object';
import type { JsonSchema } from '../../api/schema';
import { mergeApplied } from './apply-merge';
import { FieldSet, pathString, type FieldPath } from './field-set';
import { compareObjects, removeFields, toFieldSet, withNamedFieldsAsMembers } from './field-walk';
import { clone } from '../../util/json';
import { canonicalJson, isPlainObject, jsonEqual, withoutNulls } from './json-value';
import {
  decodeManagedFields,
  encodeManagedFields,
  formatTime,
  ignoredFields,
  managerIdentity,
  ownable,
  recordUpdate,
  updateOwnership,
  withoutManagedFields,
  type Manager,
  type Managers,
  type OwnershipOptions,
} from './managed-fields';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOptions extends OwnershipOptions {
  /** `?force=true`: take conflicting fields over instead of failing. */
  force?: boolean;
  /** The kind the endpoint serves; the applied configuration must name it. */
  kind?: string;
}

export interface ApplyResult {
  /** The object to store, `metadata.managedFields` set; server-owned metadata is the caller's. */
  object: Obj;
  managedFields: ManagedFieldsEntry[];
}

/** Applies `applied` (the parsed request body) to `live`, or creates from it when `live` is undefined. */
export function applyPatch(live: Obj | undefined, applied: unknown, options: ApplyOptions): ApplyResult {
  const ignored = ignoredFields(options);
  const config = appliedConfiguration(applied, options, ignored);
  const liveObject = withoutManagedFields(live);
  const managers = live ? startingManagers(live, liveObject, options) : new Map<string, Manager>();

  const force = options.force === true;
  let outcome = applyOnce(liveObject, config, managers, options, ignored, force);
  if (outcome.conflicts.size > 0 && !force) {
    if (options.manager !== 'kubectl') throw conflictError(outcome.conflicts);
    const remaining = withoutPaths(outcome.conflicts, allowedByLastApplied(live, liveObject, options));
    if (remaining.size > 0) throw conflictError(remaining);
    outcome = applyOnce(liveObject, config, managers, options, ignored, true);
  }

  const object = outcome.object;
  const annotations = object.metadata.annotations;
  if (options.manager === 'kubectl' && annotations && typeof annotations[lastAppliedAnnotation] === 'string') {
    object.metadata.annotations = { ...annotations, [lastAppliedAnnotation]: lastAppliedFor(applied as Obj) };
  }

  let managedFields = encodeManagedFields(outcome.managers);
  if (managedFields.length === 0) {
    // An applier that owns no field (an object that is only a name) still leaves its entry:
    // without any managedFields the next apply would take the object for one never applied and
    // hand the server's defaults to before-first-apply, writing a new version every time.
    const entry: ManagedFieldsEntry = { manager: options.manager, operation: 'Apply', apiVersion: options.apiVersion, time: formatTime(options.now), fieldsType: 'FieldsV1', fieldsV1: {} };
    if (options.subresource) entry.subresource = options.subresource;
    managedFields = [entry];
  }
  object.metadata.managedFields = managedFields;
  return { object, managedFields };
}

function appliedConfiguration(applied: unknown, options: ApplyOptions, ignored: FieldSet): Obj {
  if (!isPlainObject(applied) || !isPlainObject(applied.metadata)) {
    throw new BadRequest('an apply patch must be an object with apiVersion, kind and metadata');
  }
  if (applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw new BadRequest('metadata.managedFields must be nil');
  }
  if (applied.apiVersion !== options.apiVersion || (options.kind !== undefined && applied.kind !== options.kind)) {
    throw new BadRequest(`invalid object type: ${String(applied.apiVersion ?? '')}, Kind=${String(applied.kind ?? '')}`);
  }
  // A null in an applied configuration states no opinion; it neither sets nor owns the field.
  return removeFields(withoutNulls(applied), ignored, options.schema) as Obj;
}

/** The managers of the live object; an object nobody owns yet is first owned by `before-first-apply`. */
function startingManagers(live: Obj, liveObject: Obj, options: ApplyOptions): Managers {
  const managers = decodeManagedFields(live.metadata.managedFields);
  if (managers.size > 0) return managers;
  return decodeManagedFields(recordUpdate(undefined, liveObject, { ...options, manager: 'before-first-apply' }));
}

interface Outcome {
  object: Obj;
  managers: Managers;
  conflicts: Managers;
}

function applyOnce(liveObject: Obj, config: Obj, managers: Managers, options: ApplyOptions, ignored: FieldSet, force: boolean): Outcome {
  const schema = options.schema;
  const set = ownable(toFieldSet(config, schema, true), ignored);
  const merged = mergeApplied(liveObject, config, schema) as Obj;
  const applier: Manager = { manager: options.manager, operation: 'Apply', apiVersion: options.apiVersion, set };
  if (options.subresource) applier.subresource = options.subresource;
  const identity = managerIdentity(applier);
  const previous = managers.get(identity);

  const withApplier = new Map(managers);
  withApplier.set(identity, applier);
  const object = previous ? (prune(merged, withApplier, previous.set, schema) as Obj) : merged;
  const result = updateOwnership(liveObject, object, withApplier, identity, force, schema, ignored);
  if (result.conflicts.size > 0 && !force) return { object, managers, conflicts: result.conflicts };

  const changed = !jsonEqual(liveObject, object) || !previous || !jsonEqual(previous.set.toFieldsV1(), set.toFieldsV1());
  const time = changed ? formatTime(options.now) : previous?.time;
  const recorded = result.managers.get(identity);
  if (recorded && time) result.managers.set(identity, { ...recorded, time });
  return { object, managers: result.managers, conflicts: result.conflicts };
}

/**
 * Removes what the applier owned last time and no longer sets, unless someone (the applier's
 * new configuration included) still owns it: structured-merge-diff's prune, addBackOwnedItems
 * and addBackDanglingItems, in that order.
 */
function prune(merged: unknown, managers: Managers, lastSet: FieldSet, schema: JsonSchema | undefined): unknown {
  if (lastSet.isEmpty()) return merged;
  const members = (set: FieldSet): FieldSet => withNamedFieldsAsMembers(set, schema);
  const fieldsOf = (value: unknown): FieldSet => members(toFieldSet(value, schema));
  const last = members(lastSet);
  const owned = members([...managers.values()].reduce((all, manager) => all.union(manager.set), new FieldSet()));

  const mergedFields = fieldsOf(merged);
  const withoutLast = removeFields(merged, last, schema);
  const ownedBack = removeFields(merged, mergedFields.difference(fieldsOf(withoutLast).union(owned)), schema);
  return removeFields(merged, mergedFields.difference(fieldsOf(ownedBack)).intersection(last), schema);
}

/** Fields whose live value still equals the client-side last-applied configuration. */
function allowedByLastApplied(live: Obj | undefined, liveObject: Obj, options: ApplyOptions): FieldSet {
  const text = live?.metadata.annotations?.[lastAppliedAnnotation];
  if (!text) return new FieldSet();
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return new FieldSet();
  }
  if (!isPlainObject(lastApplied) || lastApplied.apiVersion !== options.apiVersion) return new FieldSet();
  const comparison = compareObjects(lastApplied, liveObject, options.schema);
  return toFieldSet(lastApplied, options.schema)
    .difference(comparison.modified)
    .difference(comparison.added)
    .difference(comparison.removed);
}

/** The annotation as kubectl would write it for this configuration: sorted JSON and a newline. */
function lastAppliedFor(applied: Obj): string {
  const copy = clone(applied);
  if (copy.metadata.annotations) delete copy.metadata.annotations[lastAppliedAnnotation];
  return `${canonicalJson(copy)}\n`;
}

function withoutPaths(conflicts: Managers, allowed: FieldSet): Managers {
  const remaining: Managers = new Map();
  for (const [identity, manager] of conflicts) {
    const paths = manager.set.paths().filter((path) => !allowed.has(path));
    if (paths.length > 0) remaining.set(identity, { ...manager, set: FieldSet.of(...paths) });
  }
  return remaining;
}

/** A manager as upstream names it in conflicts (apimachinery `internal/conflict.go`). */
function describeManager(manager: Manager): string {
  let text = JSON.stringify(manager.manager);
  if (manager.subresource) text += ` with subresource ${JSON.stringify(manager.subresource)}`;
  return manager.operation === 'Update' ? `${text} using ${manager.apiVersion}` : text;
}

/** A 409 like any Conflict; note that retrying after a re-read cannot help an apply conflict. */
function conflictError(conflicts: Managers): Conflict {
  const owners = [...conflicts.values()].sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));
  const found: { owner: Manager; path: FieldPath }[] = owners.flatMap((owner) => owner.set.paths().map((path) => ({ owner, path })));
  const causes: Cause[] = found.map(({ owner, path }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(owner)}`,
    field: pathString(path),
  }));
  let message: string;
  if (found.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(found[0].owner)}: ${pathString(found[0].path)}`;
  } else {
    const lines = owners.flatMap((owner) => [`conflicts with ${describeManager(owner)}:`, ...owner.set.paths().map((path) => `- ${pathString(path)}`)]);
    message = `Apply failed with ${found.length} conflicts: ${lines.join('\n')}`;
  }
  return new Conflict(message, { causes });
}
