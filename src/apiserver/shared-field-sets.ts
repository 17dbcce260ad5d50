/**
 * One copy of each managedFields field set the watch cache holds.
 *
 * A field set (`fieldsV1`) is a tree of small objects, one per field a manager owns: in a pod as
 * created it is over half of what the parsed pod costs in memory (1.9 of 3.5 KB). The pods of one
 * ReplicaSet have identical field sets, so the ring of recent events holds one tree per template,
 * not one per pod. Shared trees are frozen: nothing may change them in place.
 *
 *   event object ─► managedFields[i].fieldsV1 ─► JSON text ─► table ─► the one frozen tree
 */
import type { Obj } from '../api/object';
import { deepFreeze } from '../util/json';

/** Distinct field sets kept; past this the table starts over (trees already shared stay shared). */
const maxSets = 4096;
const byText = new Map<string, Record<string, unknown>>();
const shared = new WeakSet<object>();

/** Points each field set of `object` at the shared copy of an equal one (the object is the caller's to change). */
export function shareFieldSets(object: Obj): void {
  const entries = object.metadata.managedFields;
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    const set = entry?.fieldsV1;
    if (!set || typeof set !== 'object' || shared.has(set)) continue;
    const text = JSON.stringify(set);
    let one = byText.get(text);
    if (!one) {
      if (byText.size >= maxSets) byText.clear();
      one = deepFreeze(set);
      byText.set(text, one);
      shared.add(one);
    }
    if (!Object.isFrozen(entry)) entry.fieldsV1 = one;
  }
}
