/**
 * The Recreate strategy (upstream recreate.go rolloutRecreate): every old pod is gone before a
 * new one is created.
 *
 *   old ReplicaSets with replicas?   scale them to 0, write status, done
 *   old pods still there?            write status, done (a pod's deletion brings us back)
 *   new ReplicaSet                   created if missing, scaled to replicas
 *   complete?                        clean up old ReplicaSets
 */
import type { Pod, ReplicaSet } from '../../src/api/types';
import type { Result } from '../../src/client';
import { activeReplicaSets, actualReplicas, replicasOf } from './replica-sets';
import type { Rollout } from './rollout';

export async function rolloutRecreate(run: Rollout): Promise<Result | void> {
  // The new ReplicaSet is not created yet, so nothing scales up before the old pods are gone.
  const found = await run.replicaSetsAndSyncRevision(false);
  let newRS = found.newRS;
  let oldRSs = [...found.oldRSs];

  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    const { scaled, rs: updated } = await run.scaleIfNeeded(rs, 0);
    oldRSs = oldRSs.map((o) => (o.metadata.uid === updated.metadata.uid ? updated : o));
    scaledDown ||= scaled;
  }
  if (scaledDown || oldPodsRunning(newRS, oldRSs, run.pods)) return run.syncRolloutStatus([...oldRSs, newRS], newRS);

  if (!newRS) {
    const created = await run.replicaSetsAndSyncRevision(true);
    newRS = created.newRS!;
    oldRSs = created.oldRSs;
  }
  newRS = (await run.scaleIfNeeded(newRS, replicasOf(run.d))).rs;
  if (run.complete) await run.cleanup(oldRSs);
  return run.syncRolloutStatus([...oldRSs, newRS], newRS);
}

/** Whether any old ReplicaSet still reports pods, or any pod of one is not finished (pods being deleted included). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], pods: ReadonlyMap<string, Pod[]>): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, list] of pods) {
    if (uid === newRS?.metadata.uid) continue;
    if (list.some((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
