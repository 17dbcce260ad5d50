/**
 * What differs between kinds when they are written or deleted, as upstream's registry strategies:
 * when `generation` moves, whether PUT may create, whether deletion is graceful (pods), and what a
 * DELETE answers. Everything else goes through the same generic storage.
 */
import type { Obj } from '../api/object';
import { deepEqual } from '../util/json';
import type { ResourceType } from './registry';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  dryRun?: string[];
}

export interface Strategy {
  /** Whether the change from `old` to `next` is a change of the desired state (bumps generation). */
  specChanged(old: Obj, next: Obj): boolean;
  /** PUT of a missing object creates it. */
  allowCreateOnUpdate: boolean;
  /**
   * For kinds with graceful deletion: the grace period this delete should wait, or 0 to delete at
   * once. Undefined for kinds that are deleted at once.
   */
  gracePeriod?(obj: Obj, options: DeleteOptions): number;
  /** DELETE answers with the deleted object (pods) rather than a Success Status. */
  returnDeletedObject: boolean;
  /** Create through the main resource drops any status the client sent (kinds with a status subresource). */
  resetStatusOnCreate: boolean;
}

const withoutMetadataAndStatus = (o: Obj): Record<string, unknown> => {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
};

const specChanged = (old: Obj, next: Obj): boolean => !deepEqual(withoutMetadataAndStatus(old), withoutMetadataAndStatus(next));

const base: Strategy = { specChanged, allowCreateOnUpdate: false, returnDeletedObject: false, resetStatusOnCreate: true };

/** Upstream pod strategy: unbound or finished pods go at once; others wait for their node's agent. */
function podGracePeriod(pod: Obj, options: DeleteOptions): number {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const requested = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, requested);
}

const special: Record<string, Partial<Strategy>> = {
  '/Pod': { gracePeriod: podGracePeriod, returnDeletedObject: true },
  '/Endpoints': { allowCreateOnUpdate: true },
  '/Node': { resetStatusOnCreate: false },
  '/Event': { allowCreateOnUpdate: true },
  // Deployments also count annotation changes (rollback markers) as a new generation.
  'apps/Deployment': {
    specChanged: (old, next) => specChanged(old, next) || !deepEqual(old.metadata.annotations ?? {}, next.metadata.annotations ?? {}),
  },
};

export function strategyFor(type: ResourceType): Strategy {
  return { ...base, ...special[`${type.group}/${type.kind}`] };
}
