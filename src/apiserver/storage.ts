/**
 * Generic storage of resources over the versioned store: the Kubernetes semantics every kind
 * shares. The HTTP handlers decode requests and call this; so do in-server loops (namespace
 * lifecycle, CRD establishment).
 *
 *   create ─► metadata the server owns (uid, creationTimestamp, generation, managedFields)
 *          ─► admission (mutate, validate) ─► namespace must exist ─► store.create
 *   update ─► keep what the request may not change (server metadata; status or spec, by subresource)
 *          ─► admission ─► generation if the spec moved ─► no-op? ─► store.update (compare-and-swap)
 *   delete ─► see deletion.ts (finalizers, propagation, graceful pods)
 */
import { randomUUID, randomInt } from 'node:crypto';
import { AlreadyExists, BadRequest, Conflict, Forbidden, Invalid, isApiError, NotFound, Timeout } from '../api/errors';
import type { Cause } from '../api/errors';
import type { Obj, ObjectMeta } from '../api/object';
import type { Entry, Store } from '../store/store';
import { clone, deepEqual } from '../util/json';
import type { Admission } from './admission/admission';
import { schemaCauses } from './admission/schema-validation';
import type { JsonSchema } from '../api/schema';
import type { ResourceType } from './registry';
import { strategyFor } from './strategy';
import type { FieldOwnership } from './field-ownership';

export interface WriteOptions {
  dryRun?: boolean;
  /** The field manager recorded in managedFields (`fieldManager` query parameter or user agent). */
  fieldManager?: string;
  subresource?: string;
  /** managedFields were already computed by server-side apply: keep them as they are. */
  fieldsFromApply?: boolean;
  /**
   * A write the server makes on its own behalf with a change it has checked itself (a bind sets
   * spec.nodeName and PodScheduled): no admission and no managedFields entry, as upstream's
   * binding writes straight to storage with GuaranteedUpdate.
   */
  internal?: boolean;
}

export interface ListOptions {
  labelSelector?: import('../store/store').LabelMatcher;
  filter?: (object: Obj) => boolean;
  limit?: number;
  continue?: string;
  /** An exact revision to list at (resourceVersionMatch=Exact), or undefined for the latest. */
  revision?: number;
}

export interface ListOutcome {
  items: Obj[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteOutcome {
  object: Obj;
  created: boolean;
}

/** How many times a write whose caller gave no resourceVersion is retried after losing a race. */
const maxAttempts = 8;
const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

let lastSecond = 0;
let lastTimestamp = '';

/** The time now as Kubernetes writes it (RFC 3339, whole seconds), formatted once per second. */
export function nowTimestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastTimestamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastTimestamp;
}

export class ResourceStorage {
  constructor(
    readonly store: Store,
    private readonly admission: Admission,
    private readonly ownership: FieldOwnership,
    private readonly namespaces: NamespaceCheck,
  ) {}

  // ---------------------------------------------------------------- reads

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<Obj> {
    const entry = await this.store.get(type.key(namespace, name));
    if (!entry) throw notFound(type, name);
    return withTypeMeta(type, entry.object);
  }

  /** Tells the namespace check of a namespace this server marked for deletion, before its watch event arrives. */
  namespaceWritten(entry: Entry): void {
    this.namespaces.observe?.(entry.object, entry.modRevision);
  }

  async getEntry(type: ResourceType, namespace: string | undefined, name: string): Promise<Entry | undefined> {
    return this.store.get(type.key(namespace, name));
  }

  async list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): Promise<ListOutcome> {
    const result = await this.store.list(type.prefix(namespace), options);
    return {
      items: result.items.map((e) => withTypeMeta(type, e.object)),
      resourceVersion: String(result.revision),
      continue: result.continue,
      remainingItemCount: result.remainingItemCount,
    };
  }

  // ---------------------------------------------------------------- create

  async create(type: ResourceType, namespace: string | undefined, body: Obj, options: WriteOptions = {}): Promise<Obj> {
    // A generated name that is taken gets a new one and the whole create runs again (admission
    // may have used the name, as a Job's job-name label does), as upstream retries generateName.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createOnce(type, namespace, body, options);
      } catch (e) {
        if (e instanceof GeneratedNameTaken && attempt < 8) continue;
        if (e instanceof GeneratedNameTaken) throw e.cause;
        throw e;
      }
    }
  }

  private async createOnce(type: ResourceType, namespace: string | undefined, body: Obj, options: WriteOptions): Promise<Obj> {
    const obj = clone(body);
    const meta = obj.metadata;
    checkNamespace(type, namespace, meta);
    if (meta.resourceVersion) throw new BadRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && !meta.generateName) {
      throw invalid(type, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    }
    const now = nowTimestamp();
    meta.uid = randomUUID();
    meta.creationTimestamp = now;
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (type.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    // Status is the system's to write: upstream drops it on create for most kinds (admission may
    // then default some of it, as a pod's phase); Nodes keep theirs, as a kubelet registers one.
    if (type.decl.subresources.status && strategyFor(type).resetStatusOnCreate) {
      const causes = droppedTypeCauses(obj.status, type.decl.schema.properties?.status, 'status');
      if (causes.length > 0) throw invalid(type, meta.name ?? meta.generateName ?? '', causes);
      delete obj.status;
    }
    const generated = !meta.name;
    if (generated) meta.name = meta.generateName + randomSuffix();
    this.admission.mutate(obj, { type, operation: 'CREATE' });
    const causes = this.admission.validate(obj, { type, operation: 'CREATE' });
    if (causes.length > 0) throw invalid(type, meta.name ?? meta.generateName ?? '', causes);
    if (type.namespaced) await this.namespaces.assertWritable(namespace!, type);
    if (!options.fieldsFromApply) {
      obj.metadata.managedFields = this.ownership.onWrite(undefined, obj, { manager: options.fieldManager, apiVersion: type.groupVersion, type, time: now });
    }
    if (!obj.metadata.managedFields) delete obj.metadata.managedFields;
    const stored = stripTypeMeta(type, obj);
    if (options.dryRun) return withTypeMeta(type, stored);
    try {
      const entry = await this.store.create(type.key(namespace, stored.metadata.name!), stored);
      return withTypeMeta(type, entry.object);
    } catch (e) {
      const error = resourceError(type, stored.metadata.name!, e);
      throw generated && e instanceof AlreadyExists ? new GeneratedNameTaken(error) : error;
    }
  }

  // ---------------------------------------------------------------- update

  /** PUT: replaces the object; `body.metadata.resourceVersion`, when given, must be current. */
  async update(type: ResourceType, namespace: string | undefined, name: string, body: Obj, options: WriteOptions = {}): Promise<WriteOutcome> {
    checkNamespace(type, namespace, body.metadata);
    if (body.metadata.name !== undefined && body.metadata.name !== name) {
      throw new BadRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const expected = body.metadata.resourceVersion;
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.get(type.key(namespace, name));
      if (!current) {
        if (strategyFor(type).allowCreateOnUpdate && !options.subresource) {
          const object = await this.create(type, namespace, { ...body, metadata: { ...body.metadata, name, resourceVersion: undefined } }, options);
          return { object, created: true };
        }
        throw notFound(type, name);
      }
      if (expected && expected !== String(current.modRevision)) throw conflict(type, name);
      try {
        const object = await this.replace(type, current, clone(body), options);
        return { object, created: false };
      } catch (e) {
        if (e instanceof Conflict && !expected && attempt < maxAttempts) continue;
        throw e;
      }
    }
  }

  /**
   * Read-modify-write with retries: `mutate` gets a copy of the current object (with its
   * resourceVersion) and returns the new one. A result whose resourceVersion differs from the one
   * read is a 409 — kubectl diff and json-patch migrations pin a version that way; a write that
   * loses a race re-runs `mutate` on the newer object. Used by PATCH and by in-server loops.
   *
   * `options.cached`, a recent state from the watch cache, saves the first read, as upstream's
   * cachedExistingObject does: it may be stale, so whatever fails on it — the compare-and-swap,
   * or `mutate` itself — is tried again on the state read from the store.
   */
  async guaranteedUpdate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (current: Obj) => Obj | Promise<Obj>,
    options: WriteOptions & { cached?: Obj } = {},
  ): Promise<Obj> {
    const key = type.key(namespace, name);
    for (let attempt = 1; ; attempt++) {
      const cached = attempt === 1 && options.cached ? cachedEntry(key, options.cached) : undefined;
      const current = cached ?? (await this.store.get(key));
      if (!current) throw notFound(type, name);
      let next: Obj;
      try {
        next = await mutate(withTypeMeta(type, clone(current.object)));
      } catch (e) {
        // Whatever a cached state made fail is tried again on the stored one, not taken as the answer.
        if (cached) continue;
        throw e;
      }
      const version = next?.metadata?.resourceVersion;
      if (version !== undefined && version !== String(current.modRevision)) {
        if (cached) continue;
        throw conflict(type, name);
      }
      try {
        return await this.replace(type, current, next, options);
      } catch (e) {
        if (cached || (e instanceof Conflict && attempt < maxAttempts)) continue;
        throw e;
      }
    }
  }

  /** Writes `next` over `current` with every rule of an update, as one compare-and-swap. */
  private async replace(type: ResourceType, current: Entry, next: Obj, options: WriteOptions): Promise<Obj> {
    const old = current.object;
    const name = old.metadata.name!;
    if (!next || typeof next !== 'object' || !next.metadata || typeof next.metadata !== 'object') {
      throw new BadRequest('the object has no metadata');
    }
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw invalid(type, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: "${next.metadata.name}": field is immutable`, field: 'metadata.name' }]);
    }
    if (next.metadata.uid !== undefined && next.metadata.uid !== old.metadata.uid) {
      throw invalid(type, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: "${String(next.metadata.uid)}": field is immutable`, field: 'metadata.uid' }]);
    }
    checkNamespace(type, old.metadata.namespace, next.metadata);
    let obj: Obj;
    if (options.subresource === 'status') {
      // A status write changes the status — and annotations, as upstream's status strategies
      // allow (the deployment controller records revisions there) — and nothing else.
      const { status, ...rest } = next;
      const causes = droppedTypeCauses(rest, type.decl.schema, '');
      if (causes.length > 0) throw invalid(type, name, causes);
      obj = { ...clone(old), status };
      obj.metadata.annotations = clone(next.metadata?.annotations);
      if (obj.metadata.annotations === undefined) delete obj.metadata.annotations;
    } else {
      obj = next;
      // The main resource cannot change status; a bind (server-internal) sets PodScheduled.
      if (type.decl.subresources.status && options.subresource !== 'binding') {
        const causes = droppedTypeCauses(next.status, type.decl.schema.properties?.status, 'status');
        if (causes.length > 0) throw invalid(type, name, causes);
        obj.status = clone(old.status);
      }
      if (obj.status === undefined) delete obj.status;
    }
    const meta = obj.metadata;
    meta.name = name;
    if (type.namespaced) meta.namespace = old.metadata.namespace;
    else delete meta.namespace;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.deletionTimestamp = old.metadata.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    meta.generation = old.metadata.generation ?? 1;
    delete meta.resourceVersion;

    if (!options.internal) {
      const request = { type, operation: 'UPDATE' as const, subresource: options.subresource, old };
      this.admission.mutate(obj, request);
      const causes = this.admission.validate(obj, request);
      if (causes.length > 0) throw invalid(type, name, causes);
    }
    if (!options.subresource && strategyFor(type).specChanged(old, obj)) meta.generation = (old.metadata.generation ?? 1) + 1;

    const now = nowTimestamp();
    if (options.internal) {
      meta.managedFields = old.metadata.managedFields;
    } else if (!options.fieldsFromApply) {
      meta.managedFields = this.ownership.onWrite(old, obj, {
        manager: options.fieldManager,
        apiVersion: type.groupVersion,
        type,
        time: now,
        subresource: options.subresource,
      });
    }
    if (!meta.managedFields) delete meta.managedFields;
    const stored = stripTypeMeta(type, obj);

    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0 && !meta.deletionGracePeriodSeconds && !hasSpecFinalizers(type, obj)) {
      // The write that removes the last finalizer of an object being deleted deletes it.
      if (options.dryRun) return withTypeMeta(type, { ...stored, metadata: { ...stored.metadata, resourceVersion: String(current.modRevision) } });
      try {
        const deleted = await this.store.delete(current.key, current.modRevision);
        return withTypeMeta(type, { ...stored, metadata: { ...stored.metadata, resourceVersion: deleted.object.metadata.resourceVersion } });
      } catch (e) {
        throw resourceError(type, name, e);
      }
    }
    if (unchanged(old, stored)) return withTypeMeta(type, old);
    if (options.dryRun) return withTypeMeta(type, { ...stored, metadata: { ...stored.metadata, resourceVersion: String(current.modRevision) } });
    try {
      const entry = await this.store.update(current.key, stored, current.modRevision);
      return withTypeMeta(type, entry.object);
    } catch (e) {
      throw resourceError(type, name, e);
    }
  }
}

/** A watch cache's object as a store entry: its resourceVersion is its modRevision. */
function cachedEntry(key: string, object: Obj): Entry {
  return { key, object, modRevision: Number(object.metadata.resourceVersion), createRevision: 0 };
}

/** Internal: a generated name collided in the store; `create` tries another. */
class GeneratedNameTaken extends Error {
  constructor(override readonly cause: unknown) {
    super('generated name taken');
  }
}

// ---------------------------------------------------------------- namespaces

/** Whether objects may be written into a namespace: it exists and is not being deleted. */
export interface NamespaceCheck {
  assertWritable(namespace: string, type: ResourceType): Promise<void>;
  /** A namespace this server just wrote, at `revision`: known before its watch event arrives. */
  observe?(namespace: Obj, revision: number): void;
}

// ---------------------------------------------------------------- helpers

function checkNamespace(type: ResourceType, namespace: string | undefined, meta: ObjectMeta): void {
  if (meta.namespace !== undefined && meta.namespace !== null && typeof meta.namespace !== 'string') {
    throw new BadRequest(`metadata.namespace: Invalid value: ${JSON.stringify(meta.namespace)}: must be a string`);
  }
  if (!type.namespaced) return;
  if (!namespace) throw new BadRequest(`${type.plural} is namespaced: the request must name a namespace`);
  if (meta.namespace && meta.namespace !== namespace) {
    throw new BadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += generateNameAlphabet[randomInt(generateNameAlphabet.length)];
  return s;
}

/**
 * The type errors in a part of a body that the write then drops (the status of a main-resource
 * write, everything but the status of a status write): upstream decodes the whole body before it
 * drops anything, so a wrongly typed field is refused wherever it is. `path` prefixes the fields.
 */
export function droppedTypeCauses(value: unknown, schema: JsonSchema | undefined, path: string): Cause[] {
  if (value === undefined || value === null || !schema) return [];
  return schemaCauses(value, schema)
    .filter((c) => c.reason === 'FieldValueTypeInvalid')
    .map((c) => ({ ...c, field: !path ? c.field : !c.field ? path : c.field.startsWith('[') ? `${path}${c.field}` : `${path}.${c.field}` }));
}

/** Namespaces carry their own finalizers in `spec.finalizers`; the namespace lifecycle clears them. */
function hasSpecFinalizers(type: ResourceType, obj: Obj): boolean {
  return type.group === '' && type.kind === 'Namespace' && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
}

/** A write that changes nothing but field-ownership timestamps is not written. */
function unchanged(old: Obj, next: Obj): boolean {
  const strip = (o: Obj) => ({
    ...o,
    metadata: {
      ...o.metadata,
      resourceVersion: undefined,
      managedFields: o.metadata.managedFields?.map((m) => ({ ...m, time: undefined })),
    },
  });
  return deepEqual(strip(old), strip(next));
}

/** The object as served: apiVersion and kind of the requested version first, then the rest. */
export function withTypeMeta(type: ResourceType, obj: Obj): Obj {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion: type.groupVersion, kind: type.kind, ...rest } as Obj;
}

/** Objects are stored with their apiVersion and kind (the version they were written in). */
function stripTypeMeta(type: ResourceType, obj: Obj): Obj {
  return withTypeMeta(type, obj);
}

export function notFound(type: ResourceType, name: string): NotFound {
  return new NotFound(`${type.qualifiedResource} "${name}" not found`, { name, group: type.group, kind: type.plural });
}

export function conflict(type: ResourceType, name: string): Conflict {
  return new Conflict(
    `Operation cannot be fulfilled on ${type.qualifiedResource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: type.group, kind: type.plural },
  );
}

export function invalid(type: Pick<ResourceType, 'kind' | 'group'>, name: string, causes: Cause[]): Invalid {
  const kind = type.group ? `${type.kind}.${type.group}` : type.kind;
  const lines = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${kind} "${name}" is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`}`;
  return new Invalid(message, { name, group: type.group, kind: type.kind, causes });
}

/** Store errors carry keys; callers want the resource's own words. */
export function resourceError(type: ResourceType, name: string, e: unknown): unknown {
  if (!isApiError(e)) return e;
  if (e instanceof AlreadyExists) return new AlreadyExists(`${type.qualifiedResource} "${name}" already exists`, { name, group: type.group, kind: type.plural });
  if (e instanceof NotFound) return notFound(type, name);
  if (e instanceof Conflict) return conflict(type, name);
  return e;
}

export const namespaceNotFound = (namespace: string): NotFound =>
  new NotFound(`namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });

export const namespaceTerminating = (namespace: string, type: ResourceType): Forbidden =>
  new Forbidden(`${type.qualifiedResource} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
    name: namespace,
    kind: 'namespaces',
  });

export const tooLargeResourceVersion = (asked: number, current: number): Timeout =>
  new Timeout(`Too large resource version: ${asked}, current: ${current}`, { retryAfterSeconds: 1 });
