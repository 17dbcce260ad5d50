/**
 * Writes pod status through pods/status and remembers what it wrote, because the informer's copy
 * lags behind the agent's own writes: the next sync starts from whichever copy is newer, so it
 * neither repeats a write nor loses startTime and conditions it set a moment ago.
 */
import { isConflict, isNotFound } from '../../api/errors';
import { Pod, PodStatus } from '../../api/types';
import type { Client } from '../../client';
import { keyOf, kinds } from '../../client';

/** Whether resourceVersion `a` is newer than `b` (berth's versions are store revisions: numbers). */
export function newerVersion(a: string | undefined, b: string | undefined): boolean {
  if (!a || !/^\d+$/.test(a)) return false;
  if (!b || !/^\d+$/.test(b)) return true;
  return BigInt(a) > BigInt(b);
}

export class PodStatusWriter {
  private readonly written = new Map<string, Pod>();

  constructor(private readonly client: Client) {}

  /** The newer of the cached pod and the one the last status write returned. */
  freshest(cached: Pod): Pod {
    const key = keyOf(cached);
    const mine = this.written.get(key);
    if (!mine || mine.metadata.uid !== cached.metadata.uid) return cached;
    if (newerVersion(mine.metadata.resourceVersion, cached.metadata.resourceVersion)) return mine;
    this.written.delete(key);
    return cached;
  }

  /** Writes `status` onto `pod`; a stale version is read again once. Resolves false if the pod is gone. */
  async write(pod: Pod, status: PodStatus, signal?: AbortSignal): Promise<boolean> {
    const pods = this.client.resource(kinds.Pod, pod.metadata.namespace);
    let base = pod;
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await pods.updateStatus({ ...base, status }, { signal });
        this.written.set(keyOf(stored), stored);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        if (!isConflict(error) || attempt > 0) throw error;
        base = await pods.get(pod.metadata.name!, { signal });
        // Another pod of the same name: this status is not its.
        if (base.metadata.uid !== pod.metadata.uid) return false;
      }
    }
  }

  forget(key: string): void {
    this.written.delete(key);
  }
}
