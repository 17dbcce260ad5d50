/**
 * What the garbage collector does with one object, as upstream's attemptToDeleteItem decides:
 *
 *   its owners, each:  solid    — exists (same uid) and is not waiting for its dependents
 *                      dangling — gone, or the name now belongs to another object (other uid)
 *                      waiting  — being deleted in the foreground (deletionTimestamp + the
 *                                 foregroundDeletion finalizer): waits for its dependents to go
 *
 *   some solid                           → keep it; drop the references to dangling and waiting owners
 *   some waiting, and it has dependents  → delete it in the foreground too (its own dependents first);
 *                                          references blocking its owner are unblocked first if a
 *                                          dependent of it is itself waiting (a cycle upstream breaks so)
 *   otherwise (all dangling or waiting)  → delete it: Orphan or Foreground if it already carries that
 *                                          finalizer, else Background
 *
 * And for an owner being deleted: `orphan` → its dependents lose their references to it, then the
 * finalizer goes; `foregroundDeletion` → its dependents are deleted, and the finalizer goes once no
 * dependent with blockOwnerDeletion is left.
 */
import type { Obj, ObjectMeta } from '../../src/api/object';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

export type OwnerState = 'solid' | 'dangling' | 'waiting';
export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export type DependentAction =
  | { readonly do: 'nothing' }
  | { readonly do: 'removeReferences'; readonly uids: readonly string[] }
  | { readonly do: 'delete'; readonly policy: Propagation; readonly unblock: readonly string[] };

const has = (obj: Obj, finalizer: string): boolean => (obj.metadata.finalizers ?? []).includes(finalizer);

/** Waiting for its dependents: being deleted with the foreground finalizer still on. */
export function isWaitingForDependents(obj: Obj): boolean {
  return Boolean(obj.metadata.deletionTimestamp) && has(obj, foregroundFinalizer);
}

export function isOrphaning(obj: Obj): boolean {
  return Boolean(obj.metadata.deletionTimestamp) && has(obj, orphanFinalizer);
}

/**
 * The action for an object with owner references, given each owner's state (by uid), whether it
 * has dependents itself, and whether one of those is itself waiting for its dependents.
 */
export function dependentAction(obj: Obj, owners: ReadonlyMap<string, OwnerState>, hasDependents: boolean, aDependentIsWaiting: boolean): DependentAction {
  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0) return { do: 'nothing' };
  const of = (state: OwnerState) => refs.filter((r) => owners.get(r.uid) === state).map((r) => r.uid);
  const solid = of('solid');
  const dangling = of('dangling');
  const waiting = of('waiting');
  if (solid.length > 0) {
    const gone = [...dangling, ...waiting];
    return gone.length === 0 ? { do: 'nothing' } : { do: 'removeReferences', uids: gone };
  }
  if (waiting.length > 0 && hasDependents) {
    const unblock = aDependentIsWaiting ? refs.filter((r) => r.blockOwnerDeletion && waiting.includes(r.uid)).map((r) => r.uid) : [];
    return { do: 'delete', policy: 'Foreground', unblock };
  }
  const policy: Propagation = has(obj, orphanFinalizer) ? 'Orphan' : has(obj, foregroundFinalizer) ? 'Foreground' : 'Background';
  return { do: 'delete', policy, unblock: [] };
}

/** The dependents that hold an owner in foreground deletion back: those whose reference to it blocks. */
export function blockingDependents<T extends { object: Obj }>(ownerUid: string, dependents: readonly T[]): T[] {
  return dependents.filter((d) => d.object.metadata.ownerReferences?.some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true));
}

/** `obj` without its references to `uids` (and with those to `unblock` no longer blocking). */
export function withReferences(obj: Obj, remove: readonly string[], unblock: readonly string[] = []): Obj {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => !remove.includes(r.uid)).map((r) => (unblock.includes(r.uid) ? { ...r, blockOwnerDeletion: false } : r));
  const metadata: ObjectMeta = { ...obj.metadata, ownerReferences: refs };
  if (refs.length === 0) delete metadata.ownerReferences;
  return { ...obj, metadata };
}

/** `obj` without `finalizer`. */
export function withoutFinalizer(obj: Obj, finalizer: string): Obj {
  const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const metadata: ObjectMeta = { ...obj.metadata, finalizers };
  if (finalizers.length === 0) delete metadata.finalizers;
  return { ...obj, metadata };
}
