/**
 * Adoption and release (upstream's ControllerRefManager): an owner claims the objects its
 * selector matches. What it controls and still matches it keeps; what it controls but no longer
 * matches it releases; orphans that match it adopts. Objects another controller controls are
 * never touched. The ReplicaSet controller claims pods this way, the Deployment controller
 * ReplicaSets.
 *
 * Adopting and releasing are JSON patches that first test the object's uid, so a stale cache
 * never changes a namesake created since; adoption checks first (once, lazily) that the owner
 * itself is still the one the cache holds and is not being deleted.
 */
import { Conflict, isNotFound } from '../../src/api/errors';
import type { Obj, OwnerReference } from '../../src/api/object';
import type { Selector } from '../../src/api/selector';
import { controllerOf } from '../../src/client';
import { controllerRef } from './pod-template';

export type JsonPatchOperation = { op: 'test' | 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

export type ClaimDecision = 'keep' | 'adopt' | 'release' | 'ignore';

/** What `owner` (selecting with `selector`) should do about `obj`. */
export function claimDecision(owner: Obj, selector: Selector, obj: Obj): ClaimDecision {
  const ref = controllerOf(obj);
  const matches = selector.matches(obj.metadata.labels ?? {});
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (matches) return 'keep';
    // An owner being deleted lets go of nothing: the garbage collector decides what goes with it.
    return owner.metadata.deletionTimestamp ? 'ignore' : 'release';
  }
  if (owner.metadata.deletionTimestamp || !matches || obj.metadata.deletionTimestamp) return 'ignore';
  if (owner.metadata.namespace && owner.metadata.namespace !== obj.metadata.namespace) return 'ignore';
  return 'adopt';
}

/** The patch that makes `owner` the controller of `obj`, if `obj` is still the object with its uid. */
export function adoptionPatch(owner: Obj, obj: Obj): JsonPatchOperation[] {
  const test: JsonPatchOperation = { op: 'test', path: '/metadata/uid', value: obj.metadata.uid };
  const ref = controllerRef(owner);
  return obj.metadata.ownerReferences
    ? [test, { op: 'add', path: '/metadata/ownerReferences/-', value: ref }]
    : [test, { op: 'add', path: '/metadata/ownerReferences', value: [ref] }];
}

/** The patch that removes `owner`'s reference from `obj`, if both are still what the cache says. */
export function releasePatch(owner: Obj, obj: Obj): JsonPatchOperation[] {
  const index = (obj.metadata.ownerReferences ?? []).findIndex((r: OwnerReference) => r.uid === owner.metadata.uid);
  return [
    { op: 'test', path: '/metadata/uid', value: obj.metadata.uid },
    { op: 'test', path: `/metadata/ownerReferences/${index}/uid`, value: owner.metadata.uid },
    { op: 'remove', path: `/metadata/ownerReferences/${index}` },
  ];
}

export interface ClaimOptions<T extends Obj> {
  owner: Obj;
  selector: Selector;
  /** Throws unless the owner, read afresh from the server, is the same object and not being deleted. */
  canAdopt(): Promise<void>;
  patch(obj: T, operations: JsonPatchOperation[]): Promise<T>;
}

/**
 * The objects `owner` controls after claiming: kept and adopted ones. Objects that vanished
 * meanwhile are skipped; any other failure is thrown once every object has been tried.
 */
export async function claimObjects<T extends Obj>(objects: readonly T[], options: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let adoptionChecked: Promise<void> | undefined;
  for (const obj of objects) {
    const decision = claimDecision(options.owner, options.selector, obj);
    if (decision === 'keep') claimed.push(obj);
    if (decision !== 'adopt' && decision !== 'release') continue;
    try {
      if (decision === 'adopt') {
        adoptionChecked ??= options.canAdopt();
        await adoptionChecked;
        claimed.push(await options.patch(obj, adoptionPatch(options.owner, obj)));
      } else {
        await options.patch(obj, releasePatch(options.owner, obj));
      }
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}

/** The check `canAdopt` makes, given the owner as the server has it now (undefined: gone). */
export function checkOwnerForAdoption(cached: Obj, fresh: Obj | undefined): void {
  const where = `${cached.kind} ${cached.metadata.namespace ? `${cached.metadata.namespace}/` : ''}${cached.metadata.name}`;
  if (!fresh || fresh.metadata.uid !== cached.metadata.uid) {
    throw new Conflict(`${where} is gone (wanted uid ${cached.metadata.uid}, found ${fresh?.metadata.uid ?? 'none'}): not adopting`);
  }
  if (fresh.metadata.deletionTimestamp) throw new Conflict(`${where} is being deleted (since ${fresh.metadata.deletionTimestamp}): not adopting`);
}
