/**
 * How server-side apply merges an applied configuration into the live object (structured-merge-
 * diff `TypedValue.Merge`): granular maps merge key by key, list-maps and sets merge item by
 * item, and leaves (scalars, atomic lists, atomic maps) take the applied value.
 *
 * A merged list keeps the applied items in the applied order, and keeps live-only items where
 * they were relative to the items both sides share.
 */
import { childSchema, type JsonSchema } from '../../api/schema';
import { itemElement, isAtomicMap, listShape, type ListShape } from './field-walk';
import type { PathElement } from './field-set';
import { clone } from '../../util/json';
import { hasOwn, isPlainObject, setOwn } from './json-value';

export function mergeApplied(live: unknown, applied: unknown, schema: JsonSchema | undefined): unknown {
  if (applied === undefined) return clone(live);
  if (isPlainObject(live) && isPlainObject(applied) && !isAtomicMap(schema)) {
    const out = clone(live);
    for (const [key, value] of Object.entries(applied)) {
      setOwn(out, key, mergeApplied(hasOwn(live, key) ? live[key] : undefined, value, childSchema(schema, key)));
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const shape = listShape(schema);
    if (shape.kind !== 'atomic') return mergeLists(live, applied, shape, schema?.items);
  }
  return clone(applied);
}

interface Named {
  element: PathElement;
  item: unknown;
}

function named(list: unknown[], shape: ListShape, itemSchema: JsonSchema | undefined): Named[] {
  const seen = new Set<PathElement>();
  const out: Named[] = [];
  list.forEach((item, index) => {
    const element = itemElement(shape, item, index, itemSchema);
    if (seen.has(element)) return;
    seen.add(element);
    out.push({ element, item });
  });
  return out;
}

function mergeLists(live: unknown[], applied: unknown[], shape: ListShape, itemSchema: JsonSchema | undefined): unknown[] {
  const left = named(live, shape, itemSchema);
  const right = named(applied, shape, itemSchema);
  const inLeft = new Map(left.map(({ element, item }) => [element, item]));
  const inRight = new Set(right.map(({ element }) => element));
  const shared = right.filter(({ element }) => inLeft.has(element)).map(({ element }) => element);
  const done = new Set<PathElement>();
  const out: unknown[] = [];
  let nextShared = 0;

  const take = ({ element, item }: Named): void => {
    out.push(mergeApplied(inLeft.get(element), item, itemSchema));
    done.add(element);
    if (shared[nextShared] === element) nextShared += 1;
  };

  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    if (l < left.length && r < right.length) {
      if (left[l].element === right[r].element) {
        take(right[r]);
        l += 1;
        r += 1;
        continue;
      }
      // A shared item the applied order wants later: skip it here, it comes with its turn.
      if (inRight.has(left[l].element) && nextShared < shared.length && shared[nextShared] !== left[l].element) {
        l += 1;
        continue;
      }
    }
    if (l < left.length) {
      if (!inRight.has(left[l].element)) {
        out.push(clone(left[l].item));
        l += 1;
        continue;
      }
      if (done.has(left[l].element)) {
        l += 1;
        continue;
      }
    }
    if (r < right.length) {
      take(right[r]);
      r += 1;
    }
  }
  return out;
}
