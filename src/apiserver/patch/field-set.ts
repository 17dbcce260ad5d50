/**
 * Field sets: which fields of an object a manager owns, as structured-merge-diff's
 * `fieldpath.Set` keeps them, and their wire form, FieldsV1.
 *
 * A path is a list of path elements, each written as its FieldsV1 key:
 *   `f:<name>`         a field of a map or struct
 *   `k:{"name":"x"}`   the item of a list-map with these key fields (JSON, keys sorted)
 *   `v:<json>`         the item of a set with this value
 *   `i:<n>`            the item at an index (lists without keys or values to name items by)
 * A set is a trie: `members` are the paths that end here, `children` the paths that go on. In
 * FieldsV1 a member is `"<element>": {}`, and a member that also has children carries `".": {}`
 * among them.
 *
 * A set is not changed once built (only its builder inserts): the operations return new sets
 * that share the subtrees they leave unchanged, and may return an operand itself.
 */
import { canonicalJson, isPlainObject, type JsonObject } from './json-value';

export type PathElement = string;
export type FieldPath = PathElement[];

export const fieldElement = (name: string): PathElement => `f:${name}`;
export const keyElement = (key: JsonObject): PathElement => `k:${canonicalJson(key)}`;
export const valueElement = (value: unknown): PathElement => `v:${canonicalJson(value)}`;
export const indexElement = (index: number): PathElement => `i:${index}`;

/** Thrown for FieldsV1 that cannot be read; callers decide what an unreadable record means. */
export class FieldsV1Error extends Error {}

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Reads FieldsV1, putting every element in the canonical form this module writes. */
  static fromFieldsV1(fields: unknown): FieldSet {
    if (!isPlainObject(fields)) throw new FieldsV1Error('fieldsV1 must be an object');
    const set = new FieldSet();
    for (const [key, value] of Object.entries(fields)) {
      if (key === '.') continue;
      const element = canonicalElement(key);
      if (!isPlainObject(value)) throw new FieldsV1Error(`fieldsV1 "${key}" must be an object`);
      const keys = Object.keys(value);
      if (keys.length === 0 || keys.includes('.')) set.members.add(element);
      const child = FieldSet.fromFieldsV1(value);
      if (!child.isEmpty()) set.children.set(element, child);
    }
    return set;
  }

  /** FieldsV1, elements in structured-merge-diff's order so the bytes match upstream's. */
  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    this.writeFieldsV1(out);
    return out;
  }

  private writeFieldsV1(out: JsonObject): void {
    for (const element of this.elements()) {
      const child = this.children.get(element);
      const encoded: JsonObject = {};
      if (child) {
        if (this.members.has(element)) encoded['.'] = {};
        child.writeFieldsV1(encoded);
      }
      out[element] = encoded;
    }
  }

  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (const element of path.slice(0, -1)) node = node.child(element);
    node.members.add(path[path.length - 1]);
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (const element of path.slice(0, -1)) {
      node = node.children.get(element);
      if (!node) return false;
    }
    return node.members.has(path[path.length - 1]);
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const child of this.children.values()) if (!child.isEmpty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const out = new FieldSet();
    for (const element of this.members) out.members.add(element);
    for (const element of other.members) out.members.add(element);
    for (const [element, child] of this.children) {
      const theirs = other.children.get(element);
      out.children.set(element, theirs ? child.union(theirs) : child);
    }
    for (const [element, child] of other.children) if (!this.children.has(element)) out.children.set(element, child);
    return out;
  }

  /** Members of this set not members of `other`; a member of `other` does not remove children. */
  difference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    const out = new FieldSet();
    for (const element of this.members) if (!other.members.has(element)) out.members.add(element);
    for (const [element, child] of this.children) {
      const theirs = other.children.get(element);
      const rest = theirs ? child.difference(theirs) : child;
      if (!rest.isEmpty()) out.children.set(element, rest);
    }
    return out;
  }

  /** Like `difference`, but a member of `other` also removes everything under it. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    const out = new FieldSet();
    for (const element of this.members) if (!other.members.has(element)) out.members.add(element);
    for (const [element, child] of this.children) {
      if (other.members.has(element)) continue;
      const theirs = other.children.get(element);
      const rest = theirs ? child.recursiveDifference(theirs) : child;
      if (!rest.isEmpty()) out.children.set(element, rest);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const element of this.members) if (other.members.has(element)) out.members.add(element);
    for (const [element, child] of this.children) {
      const theirs = other.children.get(element);
      if (!theirs) continue;
      const both = child.intersection(theirs);
      if (!both.isEmpty()) out.children.set(element, both);
    }
    return out;
  }

  /** Every member path, members of a node before its children, each level in element order. */
  paths(prefix: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = [];
    for (const element of sortElements([...this.members])) out.push([...prefix, element]);
    for (const element of sortElements([...this.children.keys()])) {
      out.push(...(this.children.get(element) as FieldSet).paths([...prefix, element]));
    }
    return out;
  }

  /** The child node for `element`, created when missing. */
  child(element: PathElement): FieldSet {
    let node = this.children.get(element);
    if (!node) {
      node = new FieldSet();
      this.children.set(element, node);
    }
    return node;
  }

  private elements(): PathElement[] {
    const elements = [...this.members];
    for (const element of this.children.keys()) if (!this.members.has(element)) elements.push(element);
    return sortElements(elements);
  }
}

/** A path as upstream prints it in conflict messages: `.spec.containers[name="nginx"].image`. */
export function pathString(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as JsonObject;
          return `[${Object.entries(key).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

const kindOrder: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Fields, then keys, then values, then indices, as structured-merge-diff orders elements. */
function sortElements(elements: PathElement[]): PathElement[] {
  return elements.sort((a, b) => {
    const byKind = kindOrder[a[0]] - kindOrder[b[0]];
    if (byKind !== 0) return byKind;
    if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function canonicalElement(key: string): PathElement {
  const body = key.slice(2);
  switch (key.slice(0, 2)) {
    case 'f:':
      return key;
    case 'k:':
    case 'v:':
      try {
        return `${key.slice(0, 2)}${canonicalJson(JSON.parse(body))}`;
      } catch {
        throw new FieldsV1Error(`fieldsV1 "${key}" does not hold JSON after its prefix`);
      }
    case 'i:':
      if (/^(0|[1-9][0-9]*)$/.test(body)) return key;
      throw new FieldsV1Error(`fieldsV1 "${key}" does not hold an index`);
    default:
      throw new FieldsV1Error(`fieldsV1 "${key}" has no known prefix (f:, k:, v:, i:)`);
  }
}
