/**
 * What a controller reads from a pod's status: whether it still counts, is ready, is available
 * (upstream's pkg/api/v1/pod IsPodReady / IsPodAvailable and controller.IsPodActive).
 */
import type { Pod } from '../../src/api/types';
import { parseTime } from './conditions';

/** Still counts towards its owner: not finished and not being deleted (upstream FilterActivePods). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** When a ready pod became ready (its Ready condition's last transition), in ms; undefined otherwise. */
export function podReadySince(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' ? parseTime(ready.lastTransitionTime) : undefined;
}

/** Ready for at least `minReadySeconds` at `now`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/**
 * How long until the first of these pods that is ready but not yet available becomes available,
 * so a controller can look again then rather than wait for an unrelated event.
 */
export function msUntilNextAvailable(pods: readonly Pod[], minReadySeconds: number, now: number): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    const since = podReadySince(pod);
    if (since === undefined || isPodAvailable(pod, minReadySeconds, now)) continue;
    // Availability needs strictly more than minReadySeconds; a millisecond past it is enough.
    const wait = Math.max(1, since + minReadySeconds * 1000 - now + 1);
    soonest = soonest === undefined ? wait : Math.min(soonest, wait);
  }
  return soonest;
}
