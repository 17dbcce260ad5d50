/**
 * Whether a Deployment's rollout is done, decided as kubectl's DeploymentStatusViewer decides it
 * (K8S-WIRE §8.1), as a pure function of the object so anything can use it (`rollout status`,
 * `apply --wait`):
 *
 *   spec not yet observed          → waiting for the spec update to be observed
 *   Progressing/ProgressDeadlineExceeded → failed: exceeded its progress deadline
 *   updated < desired              → n out of m new replicas have been updated
 *   total > updated                → n old replicas are pending termination
 *   available < updated            → n of m updated replicas are available
 *   otherwise                      → successfully rolled out
 */
import { isGone, NotFound } from '../../api/errors';
import type { Deployment } from '../../api/types';
import { Client, kinds } from '../../client';
import { CommandError } from '../exit';
import { revisionOf } from './rollout-revisions';

export interface RolloutStatus {
  done: boolean;
  message: string;
  /** Set when the rollout can no longer succeed (its progress deadline passed). */
  failed?: string;
}

export function deploymentRolloutStatus(d: Deployment, revision?: number): RolloutStatus {
  const name = d.metadata.name;
  if (revision !== undefined && revision > 0) {
    const current = revisionOf(d);
    if (current !== revision) return { done: false, message: `desired revision (${revision}) is different from the running revision (${current})`, failed: `desired revision (${revision}) is different from the running revision (${current})` };
  }
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const failed = `deployment "${name}" exceeded its progress deadline`;
    return { done: false, message: failed, failed };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...` };
  if (total > updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

export interface WaitOptions {
  revision?: number;
  /** Give up after this long (0 or undefined: never). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each new status line. */
  onStatus?: (status: RolloutStatus) => void;
}

/**
 * Watches one Deployment until its rollout is done (resolves with the last status), fails
 * (rejects with its reason), the Deployment goes away, or the timeout passes. The watch resumes
 * from the list's version and re-lists after a Gone, as a reflector would.
 */
export async function waitForRollout(client: Client, namespace: string, name: string, options: WaitOptions = {}): Promise<RolloutStatus> {
  const deployments = client.resource(kinds.Deployment, namespace);
  const fieldSelector = `metadata.name=${name}`;
  const stop = new AbortController();
  const timer = options.timeoutMs ? setTimeout(() => stop.abort(), options.timeoutMs) : undefined;
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  let last = '';
  const judge = (d: Deployment): RolloutStatus | undefined => {
    const status = deploymentRolloutStatus(d, options.revision);
    if (status.message !== last) options.onStatus?.(status);
    last = status.message;
    if (status.failed) throw new CommandError(status.failed);
    return status.done ? status : undefined;
  };
  try {
    for (;;) {
      const list = await deployments.list({ fieldSelector, signal: stop.signal });
      if (list.items.length === 0) throw new NotFound(`deployments.apps "${name}" not found`);
      const done = judge(list.items[0]);
      if (done) return done;
      try {
        for await (const event of deployments.watch(list.metadata.resourceVersion, stop.signal, { fieldSelector, allowWatchBookmarks: true })) {
          if (event.type === 'DELETED') throw new CommandError(`deployment "${name}" was deleted while its rollout was watched`);
          if (event.type === 'BOOKMARK') continue;
          const finished = judge(event.object);
          if (finished) return finished;
        }
      } catch (e) {
        if (!isGone(e)) throw e;
      }
      if (stop.signal.aborted) break;
    }
    if (options.signal?.aborted) throw new CommandError('interrupted');
    throw new CommandError(`timed out waiting for the rollout of deployment "${name}": ${last}`);
  } catch (e) {
    if (stop.signal.aborted && !(e instanceof CommandError)) {
      if (options.signal?.aborted) throw new CommandError('interrupted');
      throw new CommandError(`timed out waiting for the rollout of deployment "${name}": ${last}`);
    }
    throw e;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
