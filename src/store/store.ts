/**
 * The versioned store: one interface, two backends (etcd, embedded SQLite), one conformance suite.
 *
 * Semantics shared by both backends (they are etcd's):
 * - A single global revision counts every write (create, update, delete) in the whole store and
 *   never goes backwards. Each key remembers the revision of its creation and of its last write
 *   (its modRevision). An object's `metadata.resourceVersion` is its modRevision, as a string.
 * - Writes are compare-and-swap: create succeeds only if the key is absent; update and delete
 *   only if the key's modRevision is still the one the caller read.
 * - History is kept until compaction. Reading or watching at a compacted revision fails with
 *   `Gone` ("too old"); the caller re-lists.
 *
 * Keys given to a store are relative (`/registry/apps/deployments/default/web`); each backend
 * puts its own configurable prefix in front.
 */
import type { Obj } from '../api/object';

export interface Entry {
  key: string;
  /** The stored object, with `metadata.resourceVersion` set to `String(modRevision)`. */
  object: Obj;
  modRevision: number;
  createRevision: number;
}

/** Anything that can tell whether an object's labels match; `src/api/selector` builds these. */
export interface LabelMatcher {
  matches(labels: Readonly<Record<string, string>>): boolean;
}

export interface ListOptions {
  /**
   * Read the state as of this revision (0 or absent: the latest). Gone if below the compacted
   * revision; Timeout (retry later) if newer than the store's current revision.
   */
  revision?: number;
  /** At most this many items; a `continue` token is returned when more remain. */
  limit?: number;
  /** The token from a previous page; the next page is read at the same revision as the first. */
  continue?: string;
  /** Only objects whose `metadata.labels` match. */
  labelSelector?: LabelMatcher;
  /** Any further predicate (field selectors). Applied before `limit`, like the label selector. */
  filter?: (object: Obj) => boolean;
}

export interface ListResult {
  items: Entry[];
  /** The revision the list reflects: a watch from it sees every later change. */
  revision: number;
  /** Present when more items remain; pass it back as `continue`. */
  continue?: string;
  /** How many more items matched after this page, when the backend knows cheaply. */
  remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  key: string;
  /** The revision of the write that produced this event. */
  revision: number;
  /** The new state; for DELETED, the last state with `resourceVersion` set to the delete's revision. */
  object: Obj;
  /** The state before this write (MODIFIED and DELETED). */
  prevObject?: Obj;
}

export interface WatchOptions {
  /** Deliver every change with a revision strictly greater than this. Gone if compacted. */
  fromRevision: number;
  /** Ends the watch: the iterator returns and every resource it held is released. */
  signal: AbortSignal;
}

export interface Store {
  /** The backend's name, for logs and metrics: `etcd` or `sqlite`. */
  readonly backend: string;

  /** Undefined when absent; InternalError when the stored value does not decode (lists skip it). */
  get(key: string): Promise<Entry | undefined>;

  /** Every key under `prefix` (a prefix should end with `/`), in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Count of keys under a prefix at the latest revision. */
  count(prefix: string): Promise<number>;

  /** Fails with AlreadyExists when the key exists. */
  create(key: string, object: Obj): Promise<Entry>;

  /** Fails with Conflict when the key's modRevision is not `expectedModRevision`, NotFound when absent. */
  update(key: string, object: Obj, expectedModRevision: number): Promise<Entry>;

  /**
   * Deletes the key, only if its modRevision is `expectedModRevision` when given (Conflict otherwise).
   * Returns the last state, with `resourceVersion` and `modRevision` set to the delete's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<Entry>;

  /**
   * Changes under `prefix` after `fromRevision`, in revision order, each exactly once, in batches.
   * The iterator throws Gone when `fromRevision` is compacted (below `compactedRevision()`, at
   * start, or if the backend loses its place while reconnecting), Unavailable when the backend
   * cannot be reached for good. Values that do not decode are reported and skipped.
   */
  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchEvent[]>;

  /** The latest revision of the whole store. */
  currentRevision(): Promise<number>;

  /** Drops history at or below `revision`; reads and watches from there fail with Gone afterwards. */
  compact(revision: number): Promise<void>;

  /** The oldest revision that can still be read or watched from. */
  compactedRevision(): Promise<number>;

  close(): Promise<void>;
}
