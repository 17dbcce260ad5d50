/**
 * The Deployment reconciler (upstream deployment_controller.go syncDeployment):
 *
 *   reconcile(ns/name)
 *     ├─ gone?                      nothing: its ReplicaSets go with the garbage collector
 *     ├─ selects everything?        a warning; observedGeneration only
 *     ├─ claim ReplicaSets          keep · adopt orphans that match · release those that stopped matching
 *     ├─ being deleted?             status only
 *     ├─ paused / resumed           Progressing=Unknown DeploymentPaused / DeploymentResumed
 *     ├─ paused, or replicas changed (a ReplicaSet's desired-replicas annotation differs)
 *     │                             scale proportionally, no rollout step (sync)
 *     └─ Recreate | RollingUpdate   one rollout step (recreate.ts, rolling.ts)
 */
import type { Obj } from '../../src/api/object';
import { fromLabelSelector, Selector } from '../../src/api/selector';
import type { Deployment, Pod, ReplicaSet } from '../../src/api/types';
import { controllerOf, ObjectCache, Reconciler, ReconcileContext, Result, TerminalError } from '../../src/client';
import { errorMessage } from '../../src/log';
import { clone, deepEqual } from '../../src/util/json';
import { checkOwnerForAdoption, claimObjects, RecordEvent } from '../replicaset';
import { pausedCondition } from './progress';
import { proportionalSteps } from './proportion';
import { rolloutRecreate } from './recreate';
import { activeReplicaSets, DESIRED_REPLICAS_ANNOTATION, intAnnotation, replicasOf } from './replica-sets';
import { rolloutRolling } from './rolling';
import { DeploymentApi, Rollout } from './rollout';

export interface DeploymentReconcilerOptions {
  deployments: ObjectCache<Deployment>;
  replicaSets: ObjectCache<ReplicaSet>;
  pods: ObjectCache<Pod>;
  api: DeploymentApi;
  event: RecordEvent;
  now?: () => number;
}

export class DeploymentReconciler implements Reconciler {
  private readonly now: () => number;

  constructor(private readonly options: DeploymentReconcilerOptions) {
    this.now = options.now ?? Date.now;
  }

  async reconcile(ctx: ReconcileContext, key: string): Promise<Result | void> {
    const cached = this.options.deployments.get(key);
    if (!cached) return;
    const d = clone(cached);
    if (deepEqual(d.spec?.selector, {})) {
      this.options.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        await this.options.api.updateDeploymentStatus({ ...d, status: { ...d.status, observedGeneration: d.metadata.generation } }, ctx.signal);
      }
      return;
    }
    let selector: Selector;
    try {
      selector = fromLabelSelector(d.spec?.selector, 'spec.selector');
    } catch (e) {
      throw new TerminalError(`Deployment ${key} has an invalid selector: ${errorMessage(e)}`, { cause: e });
    }

    const replicaSets = await claimObjects(this.options.replicaSets.list({ namespace: d.metadata.namespace }), {
      owner: d,
      selector,
      canAdopt: async () => checkOwnerForAdoption(d, await this.options.api.getDeployment(d.metadata.namespace!, d.metadata.name!, ctx.signal)),
      patch: (rs, operations) => this.options.api.patchReplicaSet(rs, operations, ctx.signal),
    });
    const run = new Rollout(
      { api: this.options.api, signal: ctx.signal, event: this.options.event, now: this.now, cachedReplicaSet: (namespace, name) => this.options.replicaSets.getByName(namespace, name) },
      d,
      replicaSets.map((rs) => clone(rs)),
      this.podsByReplicaSet(d, selector, replicaSets),
    );

    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await run.replicaSetsAndSyncRevision(false);
      return run.syncStatus([...oldRSs, newRS], newRS);
    }
    const conditions = pausedCondition(run.d, this.now());
    if (conditions) run.d = await this.options.api.updateDeploymentStatus({ ...run.d, status: { ...run.d.status, conditions } }, ctx.signal);

    if (run.d.spec?.paused || (await isScalingEvent(run))) return sync(run);
    return run.d.spec?.strategy?.type === 'Recreate' ? rolloutRecreate(run) : rolloutRolling(run);
  }

  /** The Deployment's pods by the uid of the ReplicaSet (of those it controls) that controls them. */
  private podsByReplicaSet(d: Deployment, selector: Selector, replicaSets: readonly ReplicaSet[]): Map<string, Pod[]> {
    const byUid = new Map<string, Pod[]>(replicaSets.map((rs) => [rs.metadata.uid!, []]));
    for (const pod of this.options.pods.list({ namespace: d.metadata.namespace, labelSelector: selector })) {
      const owner = controllerOf(pod as Obj);
      if (owner) byUid.get(owner.uid)?.push(pod);
    }
    return byUid;
  }
}

/** A ReplicaSet remembers a different Deployment size than the Deployment now has (upstream isScalingEvent). */
async function isScalingEvent(run: Rollout): Promise<boolean> {
  const { newRS, oldRSs } = await run.replicaSetsAndSyncRevision(false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== replicasOf(run.d);
  });
}

/** Scaling without a rollout step: while paused, or when only the size changed (upstream sync). */
async function sync(run: Rollout): Promise<Result | void> {
  const { newRS, oldRSs } = await run.replicaSetsAndSyncRevision(false);
  const sets = new Map([...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => [rs.metadata.uid!, rs]));
  for (const step of proportionalSteps(run.d, newRS, oldRSs)) {
    sets.set(step.rs.metadata.uid!, (await run.scaleReplicaSet(sets.get(step.rs.metadata.uid!)!, step.replicas)).rs);
  }
  const latest = [...sets.values()];
  const latestNew = newRS ? sets.get(newRS.metadata.uid!) : undefined;
  const latestOld = latest.filter((rs) => rs !== latestNew);
  if (run.d.spec?.paused) await run.cleanup(latestOld);
  return run.syncStatus(latest, latestNew);
}
