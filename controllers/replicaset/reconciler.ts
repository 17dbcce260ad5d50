/**
 * The ReplicaSet reconciler (upstream's replica_set.go syncReplicaSet and manageReplicas):
 *
 *   reconcile(ns/name)
 *     ├─ gone?                         forget its expectations; its pods go with the garbage collector
 *     ├─ claim the active pods         keep · adopt orphans that match · release those that stopped matching
 *     ├─ expectations satisfied?       (the cache has caught up with our own creates and deletes)
 *     │    too few → create, in batches of 1, 2, 4 … (at most 500 per pass)
 *     │    too many → delete the cheapest to lose (deletion-order.ts)
 *     └─ write status when it changed; look again when a ready pod is due to become available
 */
import { isConflict, isNotFound } from '../../src/api/errors';
import type { Obj } from '../../src/api/object';
import { fromLabelSelector, Selector } from '../../src/api/selector';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../../src/api/types';
import { controllerOf, EventType, Expectations, ObjectCache, Reconciler, ReconcileContext, indexes, requeueAfter, Result, TerminalError } from '../../src/client';
import { errorMessage } from '../../src/log';
import { checkOwnerForAdoption, claimObjects, JsonPatchOperation } from './claim';
import { podsToDelete } from './deletion-order';
import { isPodActive, msUntilNextAvailable } from './pod-state';
import { podFromTemplate } from './pod-template';
import { slowStartBatch } from './slow-start';
import { replicaSetStatus, statusChanged } from './status';

/**
 * The reads and writes the reconciler makes beyond its caches; `index.ts` maps them to the API
 * client, unit tests record them. `signal` is the reconcile's: an abandoned reconcile, or one of a
 * process that lost its lease, stops writing.
 */
export interface ReplicaSetApi {
  /** The ReplicaSet as the server has it now; undefined when gone. */
  getReplicaSet(namespace: string, name: string, signal?: AbortSignal): Promise<ReplicaSet | undefined>;
  updateReplicaSetStatus(rs: ReplicaSet, signal?: AbortSignal): Promise<ReplicaSet>;
  createPod(pod: Pod, signal?: AbortSignal): Promise<Pod>;
  /** Deletes the pod if it still has its uid. */
  deletePod(pod: Pod, signal?: AbortSignal): Promise<void>;
  patchPod(pod: Pod, operations: JsonPatchOperation[], signal?: AbortSignal): Promise<Pod>;
}

export type RecordEvent = (obj: Obj, type: EventType, reason: string, message: string) => void;

export interface ReplicaSetReconcilerOptions {
  replicaSets: ObjectCache<ReplicaSet>;
  pods: ObjectCache<Pod>;
  expectations: Expectations;
  api: ReplicaSetApi;
  event: RecordEvent;
  /** Creates or deletes at most this many pods per pass (upstream's burstReplicas, 500). */
  burstReplicas?: number;
  now?: () => number;
}

export class ReplicaSetReconciler implements Reconciler {
  private readonly burst: number;
  private readonly now: () => number;

  constructor(private readonly options: ReplicaSetReconcilerOptions) {
    this.burst = options.burstReplicas ?? 500;
    this.now = options.now ?? Date.now;
  }

  async reconcile(ctx: ReconcileContext, key: string): Promise<Result | void> {
    const { expectations } = this.options;
    const rs = this.options.replicaSets.get(key);
    if (!rs) {
      expectations.forget(key);
      return;
    }
    // Read before listing pods: observations that arrive while we list only make the next pass start sooner.
    const needsSync = expectations.satisfied(key);
    let selector: Selector;
    try {
      selector = fromLabelSelector(rs.spec?.selector, 'spec.selector');
    } catch (e) {
      throw new TerminalError(`ReplicaSet ${key} has an invalid selector: ${errorMessage(e)}`, { cause: e });
    }
    // Every pod of the namespace, not only matching ones: a pod we control that stopped matching must be released.
    const active = this.options.pods.list({ namespace: rs.metadata.namespace }).filter(isPodActive);
    const pods = await claimObjects(active, {
      owner: rs,
      selector,
      canAdopt: async () => checkOwnerForAdoption(rs, await this.options.api.getReplicaSet(rs.metadata.namespace!, rs.metadata.name!, ctx.signal)),
      patch: (pod, operations) => this.options.api.patchPod(pod, operations, ctx.signal),
    });

    let failure: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(ctx, key, rs, pods);
      } catch (e) {
        failure = e;
      }
    } else if (!needsSync) {
      ctx.log.debug('waiting for the cache to see our own writes', expectations.outstanding(key));
    }

    const now = this.now();
    await this.writeStatus(rs, replicaSetStatus(rs, pods, failure, now), ctx.signal);
    if (failure !== undefined) throw failure;
    const wait = msUntilNextAvailable(pods, rs.spec?.minReadySeconds ?? 0, now);
    return wait === undefined ? undefined : requeueAfter(wait);
  }

  private async manageReplicas(ctx: ReconcileContext, key: string, rs: ReplicaSet, pods: Pod[]): Promise<void> {
    const { expectations } = this.options;
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, this.burst);
      expectations.expectCreations(key, count);
      ctx.log.info('too few replicas; creating pods', { need: -diff, creating: count });
      const { successes, error } = await slowStartBatch(count, 1, () => this.createPod(rs, ctx.signal));
      // Creations that failed or were never tried will not be observed: stop expecting them.
      for (let i = successes; i < count; i++) expectations.creationObserved(key);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      const count = Math.min(diff, this.burst);
      ctx.log.info('too many replicas; deleting pods', { extra: diff, deleting: count });
      const victims = podsToDelete(pods, this.relatedPods(rs), count, this.now());
      expectations.expectDeletions(
        key,
        victims.map((p) => p.metadata.uid!),
      );
      const results = await Promise.allSettled(victims.map((pod) => this.deletePod(key, rs, pod, ctx.signal)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async createPod(rs: ReplicaSet, signal: AbortSignal): Promise<void> {
    try {
      const pod = await this.options.api.createPod(podFromTemplate(rs.spec?.template, rs), signal);
      this.options.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      this.options.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  }

  private async deletePod(key: string, rs: ReplicaSet, pod: Pod, signal: AbortSignal): Promise<void> {
    try {
      await this.options.api.deletePod(pod, signal);
      this.options.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (e) {
      // This deletion will never be observed.
      this.options.expectations.deletionObserved(key, pod.metadata.uid!);
      if (isNotFound(e)) return;
      this.options.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
      throw e;
    }
  }

  /**
   * The pods of this ReplicaSet and of its siblings (same controller, e.g. one Deployment's old
   * and new ReplicaSets), by selector: they tell which pods share a node.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerOf(rs);
    const siblings = owner ? this.options.replicaSets.byIndex(indexes.owner, owner.uid).filter((s) => controllerOf(s)?.uid === owner.uid) : [rs];
    const seen = new Map<string, Pod>();
    for (const sibling of siblings) {
      let selector: Selector;
      try {
        selector = fromLabelSelector(sibling.spec?.selector);
      } catch {
        continue;
      }
      for (const pod of this.options.pods.list({ namespace: rs.metadata.namespace, labelSelector: selector })) seen.set(pod.metadata.uid!, pod);
    }
    return [...seen.values()];
  }

  /** Writes the status if it changed, with the generation it reflects; on a conflict reads afresh and tries once more. */
  private async writeStatus(rs: ReplicaSet, status: ReplicaSetStatus, signal: AbortSignal): Promise<void> {
    if (!statusChanged(rs, status)) return;
    const observed = { ...status, observedGeneration: rs.metadata.generation };
    try {
      await this.options.api.updateReplicaSetStatus({ ...rs, status: observed }, signal);
    } catch (e) {
      if (!isConflict(e)) throw e;
      const fresh = await this.options.api.getReplicaSet(rs.metadata.namespace!, rs.metadata.name!, signal);
      if (!fresh) return;
      await this.options.api.updateReplicaSetStatus({ ...fresh, status: observed }, signal);
    }
  }
}
