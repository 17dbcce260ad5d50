/**
 * The RollingUpdate strategy (upstream rolling.go rolloutRolling): one step per pass.
 *
 *   new ReplicaSet (created if missing) below its target?   scale it up, write status, done
 *   old ReplicaSets may shrink?                             scale them down, write status, done
 *   complete?                                               clean up old ReplicaSets
 *   write status
 */
import type { Result } from '../../src/client';
import { activeReplicaSets, replicasOf } from './replica-sets';
import { newReplicaSetTarget, oldReplicaSetSteps } from './rolling-math';
import type { Rollout } from './rollout';

export async function rolloutRolling(run: Rollout): Promise<Result | void> {
  const found = await run.replicaSetsAndSyncRevision(true);
  let newRS = found.newRS!;
  const oldRSs = [...found.oldRSs];
  const all = () => [...oldRSs, newRS];

  const desired = replicasOf(run.d);
  const target = replicasOf(newRS) > desired ? desired : newReplicaSetTarget(run.d, all(), newRS);
  if (target !== replicasOf(newRS)) {
    const { scaled, rs } = await run.scaleIfNeeded(newRS, target);
    newRS = rs;
    if (scaled) return run.syncRolloutStatus(all(), newRS);
  }

  const steps = oldReplicaSetSteps(run.d, all(), activeReplicaSets(oldRSs), newRS);
  for (const step of steps) {
    // A ReplicaSet may be scaled twice in one pass (unhealthy pods, then available ones): write over the latest.
    const index = oldRSs.findIndex((rs) => rs.metadata.uid === step.rs.metadata.uid);
    oldRSs[index] = (await run.scaleIfNeeded(oldRSs[index], step.replicas)).rs;
  }
  if (steps.length > 0) return run.syncRolloutStatus(all(), newRS);

  if (run.complete) await run.cleanup(oldRSs);
  return run.syncRolloutStatus(all(), newRS);
}
