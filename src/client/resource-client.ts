/**
 * A typed client for one kind: CRUD, status, patch, server-side apply, delete, list with paging,
 * watch, and the subresources (scale; pods' binding, eviction and log).
 *
 *   const pods = client.resource(kinds.Pod).namespace('default');
 *   const pod = await pods.get('web-1');                       // Pod
 *   await pods.updateStatus({ ...pod, status: { phase: 'Running' } });
 *   for await (const e of pods.watch(list.metadata.resourceVersion, signal)) ...
 *
 * A client made without a namespace lists and watches across all of them; calls that name one
 * object (get, delete, patch ...) need `.namespace(ns)` for namespaced kinds, while calls that take
 * an object (create, update, apply ...) use the object's own `metadata.namespace`.
 */
import type { IncomingMessage } from 'node:http';
import { BadRequest, MethodNotAllowed } from '../api/errors';
import type { Obj } from '../api/object';
import type { Scale } from '../api/types';
import type { ApiClient, Query, WatchEvent } from './api-client';
import { apiVersionOf, KindRef, resourceName } from './kinds';

export interface ObjectList<T extends Obj> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

interface Cancellable {
  signal?: AbortSignal;
}

export interface ListOptions extends Cancellable {
  /** A selector string (`app=web,tier!=db`) or a `Selector` from src/api/selector. */
  labelSelector?: string | { toString(): string };
  /** `spec.nodeName=n1,status.phase!=Failed`. */
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  labelSelector?: string | { toString(): string };
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the stream cleanly after this long. */
  timeoutSeconds?: number;
}

export interface WriteOptions extends Cancellable {
  fieldManager?: string;
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface ApplyOptions extends WriteOptions {
  fieldManager: string;
  /** Take fields other managers own instead of failing with a Conflict. */
  force?: boolean;
}

/** merge: RFC 7386 · json: RFC 6902 operations · strategic: Kubernetes strategic merge (built-in kinds). */
export type PatchType = 'merge' | 'json' | 'strategic';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface PatchOptions extends WriteOptions {
  subresource?: 'status' | 'scale';
}

export interface DeleteOptions extends Cancellable {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** Delete only if the object still has this uid / resourceVersion (else Conflict). */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface LogOptions extends Cancellable {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
}

export class ResourceClient<T extends Obj = Obj> {
  constructor(
    readonly api: ApiClient,
    readonly ref: KindRef<T>,
    /** The namespace this client is scoped to; undefined means all namespaces. */
    readonly scope?: string,
  ) {}

  /** The same client scoped to one namespace (ignored for cluster-scoped kinds). */
  namespace(namespace: string): ResourceClient<T> {
    return new ResourceClient(this.api, this.ref, this.ref.namespaced ? namespace : undefined);
  }

  get apiVersion(): string {
    return apiVersionOf(this.ref);
  }

  async get(name: string, options: Cancellable = {}): Promise<T> {
    return this.typed(await this.api.request<T>('GET', this.path(this.named(), name), { signal: options.signal }));
  }

  /** One page (or the whole list, without `limit`). Items carry apiVersion and kind. */
  async list(options: ListOptions = {}): Promise<ObjectList<T>> {
    const query: Query = {
      labelSelector: selectorText(options.labelSelector),
      fieldSelector: options.fieldSelector || undefined,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
      resourceVersionMatch: options.resourceVersionMatch,
    };
    const list = await this.api.request<ObjectList<T>>('GET', this.path(this.scope), { query, signal: options.signal });
    list.items = (list.items ?? []).map((item) => this.typed(item));
    return list;
  }

  /** Every page in turn, `pageSize` items each (default 500), read at the first page's version. */
  async *pages(options: ListOptions & { pageSize?: number } = {}): AsyncGenerator<ObjectList<T>> {
    const { pageSize = 500, ...rest } = options;
    let token: string | undefined;
    let first = true;
    do {
      // The server keeps the first page's version in the continue token; it refuses both at once.
      const page = await this.list({ ...rest, limit: pageSize, continue: token, resourceVersion: first ? rest.resourceVersion : undefined, resourceVersionMatch: first ? rest.resourceVersionMatch : undefined });
      first = false;
      yield page;
      token = page.metadata.continue || undefined;
    } while (token);
  }

  /** The whole collection through `pages()`, with the version to watch from. */
  async listAll(options: ListOptions & { pageSize?: number } = {}): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let resourceVersion = '';
    for await (const page of this.pages(options)) {
      items.push(...page.items);
      resourceVersion ||= page.metadata.resourceVersion ?? '';
    }
    return { items, resourceVersion };
  }

  async create(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.typed(await this.api.request<T>('POST', this.path(this.namespaceOf(obj)), { body: this.withTypeMeta(obj), query: writeQuery(options), signal: options.signal }));
  }

  /** Replaces the object; `metadata.resourceVersion` makes it a compare-and-swap (Conflict if stale). */
  async update(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.typed(await this.api.request<T>('PUT', this.path(this.namespaceOf(obj), nameOf(obj)), { body: this.withTypeMeta(obj), query: writeQuery(options), signal: options.signal }));
  }

  /** Writes only `status` (the status subresource); spec and labels stay as stored. */
  async updateStatus(obj: T, options: WriteOptions = {}): Promise<T> {
    return this.typed(
      await this.api.request<T>('PUT', this.path(this.namespaceOf(obj), nameOf(obj), 'status'), { body: this.withTypeMeta(obj), query: writeQuery(options), signal: options.signal }),
    );
  }

  async patch(name: string, type: PatchType, body: unknown, options: PatchOptions = {}): Promise<T> {
    const path = this.path(this.named(), name, options.subresource);
    return this.typed(await this.api.request<T>('PATCH', path, { body, contentType: patchContentTypes[type], query: writeQuery(options), signal: options.signal }));
  }

  /** Server-side apply: `obj` is the intent of `fieldManager`; the server merges and tracks ownership. */
  async apply(obj: T, options: ApplyOptions): Promise<T> {
    const query: Query = { ...writeQuery(options), force: options.force ? 'true' : undefined };
    return this.typed(
      await this.api.request<T>('PATCH', this.path(this.namespaceOf(obj), nameOf(obj)), {
        body: this.withTypeMeta(obj),
        contentType: 'application/apply-patch+yaml',
        query,
        signal: options.signal,
      }),
    );
  }

  /**
   * Deletes one object. Resolves with the object as the server answered: its last state, or,
   * while finalizers or a grace period hold it, the object marked with a deletionTimestamp;
   * undefined when the server answered with a bare Status.
   */
  async delete(name: string, options: DeleteOptions = {}): Promise<T | undefined> {
    const answer = await this.api.request<Obj>('DELETE', this.path(this.named(), name), { body: deleteBody(options), signal: options.signal });
    return answer && answer.kind !== 'Status' ? this.typed(answer as T) : undefined;
  }

  /** Deletes every object the selectors match (in the scoped namespace, or in all). */
  async deleteCollection(list: ListOptions = {}, options: DeleteOptions = {}): Promise<ObjectList<T>> {
    const query: Query = { labelSelector: selectorText(list.labelSelector), fieldSelector: list.fieldSelector || undefined, limit: list.limit, continue: list.continue };
    const answer = await this.api.request<ObjectList<T>>('DELETE', this.path(this.scope), { query, body: deleteBody(options), signal: options.signal ?? list.signal });
    answer.items = (answer.items ?? []).map((item) => this.typed(item));
    return answer;
  }

  /**
   * Changes after `from` (a list's resourceVersion), until `signal` aborts or the server ends the
   * stream. Without `from` the server first sends every current object as ADDED. A version the
   * server no longer keeps throws Gone: list again and watch from the new version.
   */
  async *watch(from: string | undefined, signal: AbortSignal, options: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const query: Query = {
      resourceVersion: from,
      labelSelector: selectorText(options.labelSelector),
      fieldSelector: options.fieldSelector || undefined,
      allowWatchBookmarks: options.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: options.timeoutSeconds,
    };
    for await (const event of this.api.watch<T>(this.path(this.scope), query, signal)) {
      yield event.type === 'BOOKMARK' ? event : { type: event.type, object: this.typed(event.object) };
    }
  }

  async getScale(name: string, options: Cancellable = {}): Promise<Scale> {
    return this.api.request<Scale>('GET', this.path(this.named(), name, 'scale'), { signal: options.signal });
  }

  /** Writes `spec.replicas` through the scale subresource; `scale.metadata.resourceVersion` makes it a compare-and-swap. */
  async updateScale(name: string, scale: Scale, options: WriteOptions = {}): Promise<Scale> {
    const body = { ...scale, apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { ...scale.metadata, name } };
    return this.api.request<Scale>('PUT', this.path(this.named(), name, 'scale'), { body, query: writeQuery(options), signal: options.signal });
  }

  /** Binds a pending pod to a node (what placement does). Conflict if it is bound already or does not fit. */
  async bind(pod: string | Obj, node: string, options: WriteOptions = {}): Promise<void> {
    this.podsOnly('bind');
    const { namespace, name } = this.podLocation(pod);
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    await this.api.request('POST', this.path(namespace, name, 'binding'), { body, query: writeQuery(options), signal: options.signal });
  }

  /** Evicts a pod (a policy/v1 Eviction): a delete subject to disruption rules. */
  async evict(pod: string | Obj, options: DeleteOptions = {}): Promise<void> {
    this.podsOnly('evict');
    const { namespace, name } = this.podLocation(pod);
    const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions: deleteBody(options) };
    await this.api.request('POST', this.path(namespace, name, 'eviction'), { body, signal: options.signal });
  }

  /** A container's log as a byte stream (text/plain); with `follow` it lasts until the container ends or `signal` aborts. */
  async logs(pod: string | Obj, options: LogOptions = {}): Promise<IncomingMessage> {
    this.podsOnly('logs');
    const { namespace, name } = this.podLocation(pod);
    const { signal, ...params } = options;
    const query: Query = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query[k] = v as string | number | boolean;
    return this.api.stream('GET', this.path(namespace, name, 'log'), { query, signal, accept: '*/*' });
  }

  /** The URL path of the collection, an object or its subresource. */
  path(namespace: string | undefined, name?: string, subresource?: string): string {
    const { group, version, plural, namespaced } = this.ref;
    let path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    if (namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
    path += `/${plural}`;
    if (name !== undefined) {
      if (!name) throw new BadRequest(`${resourceName(this.ref)}: a name is required`);
      path += `/${encodeURIComponent(name)}`;
    }
    if (subresource) path += `/${subresource}`;
    return path;
  }

  /** Objects from the server carry apiVersion and kind even where the wire leaves them out (list items). */
  private typed(obj: T): T {
    if (obj.apiVersion && obj.kind) return obj;
    return { ...obj, apiVersion: obj.apiVersion ?? this.apiVersion, kind: obj.kind ?? this.ref.kind };
  }

  private withTypeMeta(obj: T): T {
    return { ...obj, apiVersion: obj.apiVersion ?? this.apiVersion, kind: obj.kind ?? this.ref.kind };
  }

  /** The namespace of a call that names one object. */
  private named(): string | undefined {
    if (this.ref.namespaced && !this.scope) {
      throw new BadRequest(`${resourceName(this.ref)} are namespaced: call .namespace(ns) on the client before naming one`);
    }
    return this.scope;
  }

  private namespaceOf(obj: Obj): string | undefined {
    if (!this.ref.namespaced) return undefined;
    const namespace = obj.metadata.namespace ?? this.scope;
    if (!namespace) throw new BadRequest(`${resourceName(this.ref)} are namespaced: set metadata.namespace or call .namespace(ns) on the client`);
    if (this.scope && obj.metadata.namespace && obj.metadata.namespace !== this.scope) {
      throw new BadRequest(`the object's namespace "${obj.metadata.namespace}" differs from the client's "${this.scope}"`);
    }
    return namespace;
  }

  private podLocation(pod: string | Obj): { namespace: string; name: string } {
    if (typeof pod === 'string') return { namespace: this.named()!, name: pod };
    return { namespace: this.namespaceOf(pod)!, name: nameOf(pod) };
  }

  private podsOnly(what: string): void {
    if (this.ref.group !== '' || this.ref.plural !== 'pods') throw new MethodNotAllowed(`${what} is a subresource of pods, not of ${resourceName(this.ref)}`);
  }
}

function nameOf(obj: Obj): string {
  if (!obj.metadata.name) throw new BadRequest('metadata.name: Required value: the object has no name');
  return obj.metadata.name;
}

function selectorText(selector: string | { toString(): string } | undefined): string | undefined {
  const text = selector === undefined ? '' : String(selector);
  return text || undefined;
}

function writeQuery(options: WriteOptions): Query {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined, fieldValidation: options.fieldValidation };
}

function deleteBody(options: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
  if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
  if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
  if (options.preconditions) body.preconditions = options.preconditions;
  if (options.dryRun) body.dryRun = ['All'];
  return body;
}
