/**
 * Walks of an object against its schema, the way structured-merge-diff walks typed values:
 * the field set an object sets, the comparison of two objects, and the removal of a field set.
 *
 * The schema decides the shape of each node:
 * - a list is a list-map (`x-kubernetes-list-type: map` with its keys, or else a strategic
 *   merge key), a set (`set`, or strategy `merge` without a key), or atomic (everything else,
 *   and every list the schema does not describe);
 * - a map is granular unless `x-kubernetes-map-type: atomic`;
 * - scalars, atomic lists and atomic maps are leaves: owned and compared whole.
 */
import { Invalid } from '../../api/errors';
import { childSchema, type JsonSchema } from '../../api/schema';
import { FieldSet, fieldElement, indexElement, keyElement, pathString, valueElement, type FieldPath, type PathElement } from './field-set';
import { hasOwn, isPlainObject, jsonEqual, setOwn, type JsonObject } from './json-value';
import { patchStrategies } from './strategic-merge-patch';

export type ListShape = { kind: 'atomic' } | { kind: 'set' } | { kind: 'map'; keys: string[] };

export function listShape(schema: JsonSchema | undefined): ListShape {
  const declared = schema?.['x-kubernetes-list-type'];
  const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
  if (declared === 'map') {
    const keys = schema?.['x-kubernetes-list-map-keys'] ?? (mergeKey ? [mergeKey] : []);
    return keys.length > 0 ? { kind: 'map', keys } : { kind: 'atomic' };
  }
  if (declared === 'set') return { kind: 'set' };
  if (declared === 'atomic' || !patchStrategies(schema).has('merge')) return { kind: 'atomic' };
  return mergeKey ? { kind: 'map', keys: [mergeKey] } : { kind: 'set' };
}

export function isAtomicMap(schema: JsonSchema | undefined): boolean {
  return schema?.['x-kubernetes-map-type'] === 'atomic';
}

/** A field the schema declares by name (a struct field), as opposed to a key of a map. */
export function isNamedField(schema: JsonSchema | undefined, name: string): boolean {
  return !!schema?.properties && hasOwn(schema.properties, name);
}

/**
 * The path element naming a list item. Items of a list-map are named by their key fields (a
 * missing key field takes the schema's default). Where an item cannot be named that way,
 * `strict` (a configuration someone applies) makes it an error that names the list; otherwise
 * (objects already stored) the item is named by its index.
 */
export function itemElement(shape: ListShape, item: unknown, index: number, itemSchema: JsonSchema | undefined, strict?: FieldPath): PathElement {
  if (shape.kind === 'set') return valueElement(item);
  if (shape.kind === 'map' && isPlainObject(item)) {
    const key: JsonObject = {};
    for (const name of shape.keys) {
      const value = hasOwn(item, name) ? item[name] : childSchema(itemSchema, name)?.default;
      if (value === undefined || value === null || typeof value === 'object') {
        if (strict) throw unnamedItem(strict, index, `has an element that omits key field "${name}" (and doesn't have default value)`);
        return indexElement(index);
      }
      setOwn(key, name, value);
    }
    return keyElement(key);
  }
  if (strict) throw unnamedItem(strict, index, 'may not have non-map elements');
  return indexElement(index);
}

function unnamedItem(listPath: FieldPath, index: number, problem: string): Invalid {
  const field = `${pathString(listPath).slice(1)}[${index}]`;
  const message = `associative list with keys ${problem}`;
  return new Invalid(`${field}: Invalid value: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field }] });
}

/** Whether a node is compared and owned whole. */
function isLeaf(value: unknown, schema: JsonSchema | undefined): boolean {
  if (Array.isArray(value)) return listShape(schema).kind === 'atomic';
  if (isPlainObject(value)) return isAtomicMap(schema);
  return true;
}

/**
 * The fields `value` sets, as structured-merge-diff's ToFieldSet: leaves, list items, map keys,
 * and struct fields that are null or empty; struct fields with content are implied by their
 * children. `strict` rejects list-map items that cannot be named (see `itemElement`), and
 * duplicate items.
 */
export function toFieldSet(value: unknown, schema: JsonSchema | undefined, strict = false): FieldSet {
  const set = new FieldSet();
  const visit = (node: unknown, nodeSchema: JsonSchema | undefined, path: FieldPath): void => {
    if (isLeaf(node, nodeSchema)) {
      set.insert(path);
    } else if (Array.isArray(node)) {
      const shape = listShape(nodeSchema);
      const seen = new Set<PathElement>();
      node.forEach((item, index) => {
        const element = itemElement(shape, item, index, nodeSchema?.items, strict ? path : undefined);
        if (strict && seen.has(element)) throw duplicateItem(path, index, element);
        seen.add(element);
        visit(item, nodeSchema?.items, [...path, element]);
        set.insert([...path, element]);
      });
    } else {
      for (const [key, child] of Object.entries(node as JsonObject)) {
        const childPath = [...path, fieldElement(key)];
        visit(child, childSchema(nodeSchema, key), childPath);
        const empty = child === null || (isPlainObject(child) && Object.keys(child).length === 0);
        if (empty || !isNamedField(nodeSchema, key)) set.insert(childPath);
      }
    }
  };
  visit(value, schema, []);
  return set;
}

function duplicateItem(listPath: FieldPath, index: number, element: PathElement): Invalid {
  const field = `${pathString(listPath).slice(1)}[${index}]`;
  const message = `duplicate entries for key ${pathString([element])}`;
  return new Invalid(`${field}: Duplicate value: ${message}`, { causes: [{ reason: 'FieldValueDuplicate', message, field }] });
}

/**
 * Every path under a struct field that appears in the set becomes a member too, as
 * structured-merge-diff's EnsureNamedFieldsAreMembers: owning `spec.replicas` then counts as
 * owning `spec` when deciding what apply may remove.
 */
export function withNamedFieldsAsMembers(set: FieldSet, schema: JsonSchema | undefined): FieldSet {
  const out = new FieldSet();
  for (const element of set.members) out.members.add(element);
  for (const [element, child] of set.children) {
    const name = element.startsWith('f:') ? element.slice(2) : undefined;
    if (name !== undefined && isNamedField(schema, name)) out.members.add(element);
    const childSchemaFor = name !== undefined ? childSchema(schema, name) : schema?.items;
    out.children.set(element, withNamedFieldsAsMembers(child, childSchemaFor));
  }
  return out;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * What changed from `before` to `after`: leaves added, modified and removed, and the list items,
 * map keys, maps and lists that appeared or went away. A struct field with content is implied
 * by its children, as upstream gets from Go structs that are always present (Go pointers to
 * structs and slices without `omitempty` differ there by a `"."`; ownership is the same).
 */
export function compareObjects(before: unknown, after: unknown, schema: JsonSchema | undefined): Comparison {
  const result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const visit = (left: unknown, right: unknown, nodeSchema: JsonSchema | undefined, path: FieldPath, struct: boolean): void => {
    if (left === undefined && right === undefined) return;
    const sample = left === undefined ? right : left;
    const sameShape = left === undefined || right === undefined || kindOf(left) === kindOf(right);
    if (!sameShape || isLeaf(sample, nodeSchema) || (isEmpty(left) && isEmpty(right))) {
      if (left === undefined) result.added.insert(path);
      else if (right === undefined) result.removed.insert(path);
      else if (!jsonEqual(left, right)) result.modified.insert(path);
      return;
    }
    if (Array.isArray(sample)) {
      const shape = listShape(nodeSchema);
      const leftItems = indexItems(left, shape, nodeSchema?.items);
      const rightItems = indexItems(right, shape, nodeSchema?.items);
      for (const element of new Set([...leftItems.keys(), ...rightItems.keys()])) {
        visit(leftItems.get(element), rightItems.get(element), nodeSchema?.items, [...path, element], false);
      }
    } else {
      const leftMap = (left ?? {}) as JsonObject;
      const rightMap = (right ?? {}) as JsonObject;
      for (const key of new Set([...Object.keys(leftMap), ...Object.keys(rightMap)])) {
        const from = hasOwn(leftMap, key) ? leftMap[key] : undefined;
        const to = hasOwn(rightMap, key) ? rightMap[key] : undefined;
        const fieldSchema = childSchema(nodeSchema, key);
        visit(from, to, fieldSchema, [...path, fieldElement(key)], isNamedField(nodeSchema, key) && !!fieldSchema?.properties);
      }
    }
    if (struct) return;
    if (left === undefined) result.added.insert(path);
    else if (right === undefined) result.removed.insert(path);
  };
  visit(before, after, schema, [], true);
  return result;
}

/** Absent, null, or an empty map or list: compared as a leaf, so `{}` and `[]` are owned. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** The items of a list by the element that names them; the first of duplicates wins. */
export function indexItems(list: unknown, shape: ListShape, itemSchema: JsonSchema | undefined): Map<PathElement, unknown> {
  const items = new Map<PathElement, unknown>();
  if (!Array.isArray(list)) return items;
  list.forEach((item, index) => {
    const element = itemElement(shape, item, index, itemSchema);
    if (!items.has(element)) items.set(element, item);
  });
  return items;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  return isPlainObject(value) ? 'map' : 'scalar';
}

/** A copy of `value` without the members of `set` (each with all it holds). */
export function removeFields(value: unknown, set: FieldSet, schema: JsonSchema | undefined): unknown {
  if (set.isEmpty() || isLeaf(value, schema)) return value;
  if (Array.isArray(value)) {
    const shape = listShape(schema);
    return value.flatMap((item, index) => {
      const element = itemElement(shape, item, index, schema?.items);
      if (set.members.has(element)) return [];
      const child = set.children.get(element);
      return [child ? removeFields(item, child, schema?.items) : item];
    });
  }
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value as JsonObject)) {
    const element = fieldElement(key);
    if (set.members.has(element)) continue;
    const under = set.children.get(element);
    setOwn(out, key, under ? removeFields(child, under, childSchema(schema, key)) : child);
  }
  return out;
}
