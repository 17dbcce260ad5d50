/**
 * One reconcile of one Deployment: the Deployment as last written (each write returns the next
 * resourceVersion, so a pass makes several writes without conflicting with itself), the
 * ReplicaSets it controls, and the steps every strategy shares (upstream sync.go): finding or
 * creating the new ReplicaSet with its revision, scaling a ReplicaSet with an event, cleaning up
 * old ones, and writing status.
 */
import { isAlreadyExists, isNotFound } from '../../src/api/errors';
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from '../../src/api/types';
import { controllerOf, requeueAfter, Result } from '../../src/client';
import { errorMessage } from '../../src/log';
import { clone, deepEqual } from '../../src/util/json';
import { controllerRef, findCondition, JsonPatchOperation, RecordEvent, withCondition } from '../replicaset';
import { podTemplateHash } from './hash';
import { calculateStatus, condition, deploymentComplete, hasProgressDeadline, PROGRESSING, reasons, rolloutStatus } from './progress';
import { maxSurge, newReplicaSetTarget } from './rolling-math';
import {
  byRevision,
  findNewReplicaSet,
  maxRevision,
  oldReplicaSets,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  REVISION_ANNOTATION,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './replica-sets';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './template';

/**
 * The reads and writes the Deployment reconciler makes beyond its caches; `index.ts` maps them to
 * the API client, unit tests record them. `signal` is the reconcile's: an abandoned reconcile, or
 * one of a process that lost its lease, stops writing.
 */
export interface DeploymentApi {
  /** The Deployment as the server has it now; undefined when gone. */
  getDeployment(namespace: string, name: string, signal?: AbortSignal): Promise<Deployment | undefined>;
  updateDeploymentStatus(d: Deployment, signal?: AbortSignal): Promise<Deployment>;
  /** Sets the revision annotation, if the Deployment is still at `d`'s resourceVersion. */
  setDeploymentRevision(d: Deployment, revision: string, signal?: AbortSignal): Promise<Deployment>;
  createReplicaSet(rs: ReplicaSet, signal?: AbortSignal): Promise<ReplicaSet>;
  updateReplicaSet(rs: ReplicaSet, signal?: AbortSignal): Promise<ReplicaSet>;
  /** Deletes the ReplicaSet if it is still at this uid and resourceVersion. */
  deleteReplicaSet(rs: ReplicaSet, signal?: AbortSignal): Promise<void>;
  patchReplicaSet(rs: ReplicaSet, operations: JsonPatchOperation[], signal?: AbortSignal): Promise<ReplicaSet>;
}

export interface RolloutDeps {
  api: DeploymentApi;
  /** The reconcile's signal, passed to every call. */
  signal: AbortSignal;
  event: RecordEvent;
  now: () => number;
  /** A ReplicaSet by namespace and name from the cache (to tell our own from a hash collision). */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
}

export class Rollout {
  constructor(
    private readonly deps: RolloutDeps,
    /** The Deployment as last written; never a cached (frozen) object. */
    public d: Deployment,
    /** The ReplicaSets it controls, each as last written. */
    private readonly replicaSets: ReplicaSet[],
    /** Its pods, by the uid of the ReplicaSet that controls them. */
    readonly pods: ReadonlyMap<string, Pod[]>,
  ) {}

  get name(): string {
    return `${this.d.metadata.namespace}/${this.d.metadata.name}`;
  }

  /**
   * The new ReplicaSet (created when asked and missing) and the old ones, with the new one's
   * revision raised above every old one and copied to the Deployment (upstream
   * getAllReplicaSetsAndSyncRevision). A rollback to an old template makes that old ReplicaSet
   * the new one again, with the next revision.
   */
  async replicaSetsAndSyncRevision(create: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const existing = findNewReplicaSet(this.d, this.replicaSets);
    const oldRSs = oldReplicaSets(this.replicaSets, existing);
    const revision = maxRevision(oldRSs) + 1;
    if (existing) return { newRS: await this.syncNewReplicaSet(existing, revision), oldRSs };
    if (!create) return { oldRSs };
    return { newRS: await this.createNewReplicaSet(oldRSs, revision), oldRSs };
  }

  private async syncNewReplicaSet(existing: ReplicaSet, revision: number): Promise<ReplicaSet> {
    const rs = clone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(this.d, rs, revision, true, maxSurge(this.d));
    const minReadySeconds = this.d.spec?.minReadySeconds;
    if (annotationsChanged || (rs.spec?.minReadySeconds ?? 0) !== (minReadySeconds ?? 0)) {
      rs.spec = { ...rs.spec!, minReadySeconds };
      // The Deployment's revision follows on the next pass, once this write has come back.
      return this.remember(await this.deps.api.updateReplicaSet(rs, this.deps.signal));
    }
    await this.setRevision(rs.metadata.annotations?.[REVISION_ANNOTATION]);
    if (hasProgressDeadline(this.d) && !findCondition(this.d.status?.conditions, PROGRESSING)) {
      await this.saveConditions(withCondition(this.d.status?.conditions, condition(PROGRESSING, 'True', reasons.foundNewReplicaSet, `Found new replica set "${rs.metadata.name}"`, this.deps.now())));
    }
    return rs;
  }

  private async createNewReplicaSet(oldRSs: ReplicaSet[], revision: number): Promise<ReplicaSet> {
    const d = this.d;
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = clone(d.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = d.spec!.selector;
    const draft = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      // The name follows from the template, so a retry after a lost answer finds the same ReplicaSet.
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [controllerRef(d)], labels: template.metadata.labels },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec?.minReadySeconds,
        selector: { ...selector, matchLabels: { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
        template,
      },
    } as ReplicaSet;
    const replicas = newReplicaSetTarget(d, [...oldRSs, draft], draft);
    draft.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, draft, revision, false, maxSurge(d));

    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await this.deps.api.createReplicaSet(draft, this.deps.signal);
    } catch (e) {
      if (isAlreadyExists(e)) {
        created = await this.adoptExistingOrCollide(draft, e);
        alreadyExisted = true;
      } else {
        const message = `Failed to create new replica set "${draft.metadata.name}": ${errorMessage(e)}`;
        if (hasProgressDeadline(d)) await this.saveConditions(withCondition(d.status?.conditions, condition(PROGRESSING, 'False', reasons.failedCreate, message, this.deps.now()))).catch(() => undefined);
        this.deps.event(d, 'Warning', reasons.failedCreate, message);
        throw e;
      }
    }
    this.remember(created);
    if (!alreadyExisted && replicas > 0) this.deps.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    await this.setRevision(String(revision));
    if (!alreadyExisted && hasProgressDeadline(this.d)) {
      await this.saveConditions(withCondition(this.d.status?.conditions, condition(PROGRESSING, 'True', reasons.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, this.deps.now())));
    }
    return created;
  }

  /**
   * A ReplicaSet by that name exists: ours with the same template (a slow cache) is the new one;
   * anything else is a hash collision, so the collision count goes up and the next pass tries
   * another name.
   */
  private async adoptExistingOrCollide(draft: ReplicaSet, error: unknown): Promise<ReplicaSet> {
    const found = this.deps.cachedReplicaSet(draft.metadata.namespace!, draft.metadata.name!);
    if (!found) throw error;
    if (controllerOf(found)?.uid === this.d.metadata.uid && equalIgnoreHash(this.d.spec?.template, found.spec?.template)) return clone(found);
    const status = { ...this.d.status, collisionCount: (this.d.status?.collisionCount ?? 0) + 1 };
    this.d = await this.deps.api.updateDeploymentStatus({ ...this.d, status }, this.deps.signal);
    throw error;
  }

  /** Keeps the latest version of a ReplicaSet, so later steps of this pass write over it, not over what the cache had. */
  private remember(rs: ReplicaSet): ReplicaSet {
    const index = this.replicaSets.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (index >= 0) this.replicaSets[index] = rs;
    else this.replicaSets.push(rs);
    return rs;
  }

  /** Copies the new ReplicaSet's revision to the Deployment's annotation. */
  private async setRevision(revision: string | undefined): Promise<void> {
    if (revision === undefined || this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    this.d = await this.deps.api.setDeploymentRevision(this.d, revision, this.deps.signal);
  }

  private async saveConditions(conditions: DeploymentStatus['conditions']): Promise<void> {
    this.d = await this.deps.api.updateDeploymentStatus({ ...this.d, status: { ...this.d.status, conditions } }, this.deps.signal);
  }

  /** Sets the ReplicaSet's size (and its replica annotations); an event when the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, replicas: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const desired = replicasOf(this.d);
    const max = desired + maxSurge(this.d);
    const resize = replicasOf(rs) !== replicas;
    if (!resize && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const next = clone(rs);
    next.spec = { ...next.spec!, replicas };
    setReplicasAnnotations(next, desired, max);
    const updated = this.remember(await this.deps.api.updateReplicaSet(next, this.deps.signal));
    if (resize) {
      const direction = replicasOf(rs) < replicas ? 'up' : 'down';
      this.deps.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} from ${replicasOf(rs)} to ${replicas}`);
    }
    return { scaled: resize, rs: updated };
  }

  /** As scaleReplicaSet, but nothing at all when the size is already right. */
  async scaleIfNeeded(rs: ReplicaSet, replicas: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    return replicasOf(rs) === replicas ? { scaled: false, rs } : this.scaleReplicaSet(rs, replicas);
  }

  /**
   * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit, only those scaled to zero with
   * no pods left and their generation observed (upstream cleanupDeployment).
   */
  async cleanup(oldRSs: readonly ReplicaSet[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit;
    // Unset, or the largest int32: keep every revision.
    if (limit === undefined || limit === 2 ** 31 - 1) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const excess = cleanable.length - limit;
    for (const rs of cleanable.slice(0, Math.max(0, excess))) {
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.deps.api.deleteReplicaSet(rs, this.deps.signal);
      } catch (e) {
        // One failure stops the rest: the server may be overloaded.
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Writes the counts and Available (upstream syncDeploymentStatus: scaling, paused, deleting). */
  async syncStatus(all: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): Promise<void> {
    await this.writeStatus(calculateStatus(this.d, all, newRS, this.deps.now()));
  }

  /** Writes the status of a rollout step with Progressing; asks to look again before a deadline passes. */
  async syncRolloutStatus(all: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): Promise<Result | void> {
    const { status, recheckAfterMs } = rolloutStatus(this.d, all, newRS, this.deps.now());
    await this.writeStatus(status);
    return recheckAfterMs === undefined ? undefined : requeueAfter(recheckAfterMs);
  }

  /** Whether the rollout is complete as the stored status tells. */
  get complete(): boolean {
    return deploymentComplete(this.d, this.d.status);
  }

  async writeStatus(status: DeploymentStatus): Promise<void> {
    if (deepEqual(this.d.status ?? {}, status)) return;
    this.d = await this.deps.api.updateDeploymentStatus({ ...this.d, status }, this.deps.signal);
  }
}
