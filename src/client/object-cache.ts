/**
 * An informer's local copy of a resource: objects by key (`namespace/name`), frozen so that no
 * reader can change what every other reader sees, with indexes kept up to date on every change.
 *
 *   cache.get('default/web-1')
 *   cache.list({ namespace: 'default', labelSelector: 'app=web' })
 *   cache.byIndex(indexes.owner, rs.metadata.uid)       pods a ReplicaSet owns
 *   cache.byIndex(indexes.nodeName, 'node-1')          pods bound to a node
 *
 * Indexes are functions from an object to the values it is filed under; `namespace`, `owner`
 * (every ownerReference uid) and `nodeName` (`spec.nodeName`) are always there, more can be added.
 */
import type { Obj } from '../api/object';
import { parseLabelSelector } from '../api/selector';
import type { LabelMatcher } from '../store/store';
import { deepFreeze } from '../util/json';
import { keyOf } from './kinds';

export type IndexFunction<T extends Obj = Obj> = (obj: T) => readonly string[];

/** The names of the indexes every cache has. */
export const indexes = {
  namespace: 'namespace',
  owner: 'owner',
  nodeName: 'nodeName',
} as const;

const standardIndexes: Record<string, IndexFunction> = {
  [indexes.namespace]: (obj) => (obj.metadata.namespace ? [obj.metadata.namespace] : []),
  [indexes.owner]: (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid),
  [indexes.nodeName]: (obj) => {
    const node = (obj.spec as { nodeName?: unknown } | undefined)?.nodeName;
    return typeof node === 'string' && node ? [node] : [];
  },
};

export interface CacheQuery {
  namespace?: string;
  /** A selector string or anything with `matches(labels)` (a `Selector`). */
  labelSelector?: string | LabelMatcher;
}

export class ObjectCache<T extends Obj = Obj> {
  private readonly objects = new Map<string, T>();
  private readonly functions = new Map<string, IndexFunction<T>>();
  /** index name → value → keys. */
  private readonly indexed = new Map<string, Map<string, Set<string>>>();

  constructor() {
    for (const [name, fn] of Object.entries(standardIndexes)) this.addIndex(name, fn);
  }

  /** Adds a named index (and files every cached object under it). */
  addIndex(name: string, fn: IndexFunction<T>): void {
    if (this.functions.has(name)) throw new Error(`the cache already has an index named "${name}"`);
    this.functions.set(name, fn);
    this.indexed.set(name, new Map());
    for (const [key, obj] of this.objects) this.file(name, fn, key, obj);
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  /** The object `name` in `namespace` (omit it for cluster-scoped kinds). */
  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  has(key: string): boolean {
    return this.objects.has(key);
  }

  get size(): number {
    return this.objects.size;
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** Every object, or those in a namespace and/or matching a label selector. */
  list(query: CacheQuery = {}): T[] {
    const selector = typeof query.labelSelector === 'string' ? parseLabelSelector(query.labelSelector) : query.labelSelector;
    const candidates = query.namespace !== undefined ? this.byIndex(indexes.namespace, query.namespace) : [...this.objects.values()];
    return selector ? candidates.filter((o) => selector.matches(o.metadata.labels ?? {})) : candidates;
  }

  /** The objects filed under `value` in the index `name`. */
  byIndex(name: string, value: string): T[] {
    const byValue = this.indexed.get(name);
    if (!byValue) throw new Error(`the cache has no index named "${name}" (it has: ${[...this.indexed.keys()].join(', ')})`);
    return [...(byValue.get(value) ?? [])].map((key) => this.objects.get(key)!);
  }

  /** Stores (frozen) and re-indexes `obj`; returns what it replaced. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const previous = this.objects.get(key);
    if (previous) this.unfile(key, previous);
    const frozen = deepFreeze(obj);
    this.objects.set(key, frozen);
    for (const [name, fn] of this.functions) this.file(name, fn, key, frozen);
    return previous;
  }

  /** Drops the object under `key`; returns it. */
  remove(key: string): T | undefined {
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.unfile(key, previous);
    this.objects.delete(key);
    return previous;
  }

  private file(name: string, fn: IndexFunction<T>, key: string, obj: T): void {
    const byValue = this.indexed.get(name)!;
    for (const value of new Set(fn(obj))) {
      let keys = byValue.get(value);
      if (!keys) byValue.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unfile(key: string, obj: T): void {
    for (const [name, fn] of this.functions) {
      const byValue = this.indexed.get(name)!;
      for (const value of new Set(fn(obj))) {
        const keys = byValue.get(value);
        keys?.delete(key);
        if (keys?.size === 0) byValue.delete(value);
      }
    }
  }
}
