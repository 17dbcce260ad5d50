/**
 * DELETE as Kubernetes does it:
 *
 *   preconditions (uid, resourceVersion) ─► propagation policy ─► finalizers?
 *     Foreground → finalizer `foregroundDeletion`   Orphan → finalizer `orphan`   Background → none
 *   finalizers left, or a pod still running on a node (graceful)?
 *     yes → set deletionTimestamp (+ grace), keep the object: the garbage collector, the node agent
 *           or whoever owns the finalizer finishes the job with a later write or delete
 *     no  → remove it from the store now
 */
import { Conflict } from '../api/errors';
import type { Obj } from '../api/object';
import { clone } from '../util/json';
import type { ResourceType } from './registry';
import { conflict, notFound, nowTimestamp, resourceError, ResourceStorage, withTypeMeta } from './storage';
import { DeleteOptions, strategyFor } from './strategy';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

export interface DeleteOutcome {
  /** The deleted object, or the object as it now stands when deletion is pending. */
  object: Obj;
  /** True when the object is gone from the store. */
  finished: boolean;
}

const maxAttempts = 8;

export async function deleteObject(
  storage: ResourceStorage,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions = {},
): Promise<DeleteOutcome> {
  const dryRun = (options.dryRun ?? []).includes('All');
  const strategy = strategyFor(type);
  const isNamespace = type.group === '' && type.kind === 'Namespace';
  for (let attempt = 1; ; attempt++) {
    const current = await storage.getEntry(type, namespace, name);
    if (!current) throw notFound(type, name);
    const live = current.object;
    checkPreconditions(type, name, live, options);

    const obj = clone(live);
    const meta = obj.metadata;
    const finalizers = new Set(meta.finalizers ?? []);
    const policy = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined);
    if (policy === 'Foreground') {
      finalizers.add(foregroundFinalizer);
      finalizers.delete(orphanFinalizer);
    } else if (policy === 'Orphan') {
      finalizers.add(orphanFinalizer);
      finalizers.delete(foregroundFinalizer);
    } else if (policy === 'Background' && meta.deletionTimestamp) {
      // A second delete may change its mind about propagation.
      finalizers.delete(orphanFinalizer);
      finalizers.delete(foregroundFinalizer);
    }
    const grace = strategy.gracePeriod?.(live, options) ?? 0;
    const pendingFinalizers = finalizers.size > 0 || namespaceFinalizers(type, obj);

    if (!pendingFinalizers && grace === 0) {
      if (dryRun) return { object: withTypeMeta(type, live), finished: true };
      try {
        const deleted = await storage.store.delete(current.key, current.modRevision);
        return { object: withTypeMeta(type, deleted.object), finished: true };
      } catch (e) {
        if (e instanceof Conflict && attempt < maxAttempts) continue;
        throw resourceError(type, name, e);
      }
    }

    // Pending deletion: mark it, or shorten a grace period already running.
    const now = Date.now();
    const deadline = new Date(now + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    if (!meta.deletionTimestamp) {
      meta.deletionTimestamp = grace > 0 ? deadline : nowTimestamp();
      meta.deletionGracePeriodSeconds = grace;
      meta.generation = (meta.generation ?? 1) + 1;
      if (isNamespace) obj.status = { ...(obj.status as object), phase: 'Terminating' };
    } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
      meta.deletionTimestamp = deadline;
      meta.deletionGracePeriodSeconds = grace;
    }
    meta.finalizers = [...finalizers];
    if (meta.finalizers.length === 0) delete meta.finalizers;

    if (sameDeletionState(live, obj)) return { object: withTypeMeta(type, live), finished: false };
    if (dryRun) return { object: withTypeMeta(type, obj), finished: false };
    try {
      // Written straight to the store: deletion bookkeeping is not an update admission would judge.
      delete obj.metadata.resourceVersion;
      const entry = await storage.store.update(current.key, obj, current.modRevision);
      if (isNamespace) storage.namespaceWritten(entry);
      return { object: withTypeMeta(type, entry.object), finished: false };
    } catch (e) {
      if (e instanceof Conflict && attempt < maxAttempts) continue;
      throw resourceError(type, name, e);
    }
  }
}

function checkPreconditions(type: ResourceType, name: string, live: Obj, options: DeleteOptions): void {
  const p = options.preconditions;
  if (!p) return;
  if (p.uid && p.uid !== live.metadata.uid) {
    throw new Conflict(
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${live.metadata.uid}`,
      { name, group: type.group, kind: type.plural },
    );
  }
  if (p.resourceVersion && p.resourceVersion !== live.metadata.resourceVersion) {
    throw conflict(type, name);
  }
}

function namespaceFinalizers(type: ResourceType, obj: Obj): boolean {
  return type.group === '' && type.kind === 'Namespace' && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
}

function sameDeletionState(a: Obj, b: Obj): boolean {
  return (
    a.metadata.deletionTimestamp === b.metadata.deletionTimestamp &&
    a.metadata.deletionGracePeriodSeconds === b.metadata.deletionGracePeriodSeconds &&
    JSON.stringify(a.metadata.finalizers ?? []) === JSON.stringify(b.metadata.finalizers ?? [])
  );
}
