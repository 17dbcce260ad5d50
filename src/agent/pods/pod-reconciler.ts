/**
 * The agent's reconciler, keyed by pod (`namespace/name`), run by the controller runtime:
 *
 *   reconcile(key)
 *     ├─ the pod is gone, moved to another node, or replaced (new uid) ─► remove what ran for it
 *     ├─ syncer.sync(pod, its ConfigMaps and Secrets) ─► events recorded
 *     ├─ status differs from the stored one ─► PUT pods/status
 *     ├─ deletionTimestamp and nothing runs any more ─► DELETE (grace 0, uid precondition)
 *     └─ requeueAfter: a backoff's end, or the periodic resync
 *
 * One reconciler can serve several nodes of one process (simulated nodes): the pod's
 * spec.nodeName picks the node. The work queue never runs two reconciles of one pod at once.
 */
import { isConflict, isNotFound } from '../../api/errors';
import { Pod } from '../../api/types';
import type { Client, EventRecorder, Informer, Reconciler, ReconcileContext, Result } from '../../client';
import { keyOf, kinds, requeueAfter } from '../../client';
import { errorMessage } from '../../log';
import { statusChanged } from '../pod-sync/status';
import { PodSyncer } from '../pod-sync/syncer';
import { RuntimeUnavailable } from '../runtime/errors';
import { ContainerRuntime } from '../runtime/runtime';
import { PodInputSource } from './pod-inputs';
import { PodStatusWriter } from './pod-status-writer';

export const uidIndex = 'agent.uid';

/** Adds the index `keyOfUid` reads to the pod informer. Call once per informer. */
export function indexUids(pods: Informer<Pod>): void {
  pods.addIndex(uidIndex, (pod) => (pod.metadata.uid ? [pod.metadata.uid] : []));
}

/** One node as the reconciler sees it. */
export interface AgentNode {
  name: string;
  runtime: ContainerRuntime;
  syncer: PodSyncer;
  /** What resourceFieldRef reports for limits a container does not set. */
  allocatable?: Record<string, string>;
  /** The runtime failed: the node should look at its health now. */
  runtimeFailed?(error: unknown): void;
}

export interface PodReconcilerOptions {
  client: Client;
  pods: Informer<Pod>;
  inputs: PodInputSource;
  nodes: ReadonlyMap<string, AgentNode>;
  recorder?: EventRecorder;
  /** Every pod is synced at least this often (default 60 s), as kubelet's sync frequency. */
  resyncMs?: number;
  /** How soon to try again while the runtime does not answer (default 5 s). */
  runtimeRetryMs?: number;
  /** Where pods left the runtime, for the log server and tests. */
  onRemoved?(node: string, uid: string): void;
}

interface Known {
  uid: string;
  node: AgentNode;
}

export class PodReconciler implements Reconciler {
  private readonly known = new Map<string, Known>();
  private readonly status: PodStatusWriter;

  constructor(private readonly options: PodReconcilerOptions) {
    this.status = new PodStatusWriter(options.client);
  }

  /** The pod of this key and the node running it, if it runs here. */
  lookup(namespace: string, name: string): { pod: Pod; node: AgentNode } | undefined {
    const pod = this.options.pods.get(`${namespace}/${name}`);
    const node = pod ? this.options.nodes.get(pod.spec?.nodeName ?? '') : undefined;
    return pod && node ? { pod, node } : undefined;
  }

  async reconcile(ctx: ReconcileContext, key: string): Promise<Result | void> {
    const cached = this.options.pods.get(key);
    const node = cached ? this.options.nodes.get(cached.spec?.nodeName ?? '') : undefined;
    const known = this.known.get(key);
    if (known && (!cached || !node || known.uid !== cached.metadata.uid || known.node !== node)) {
      await this.remove(key, known);
    }
    if (!cached || !node) return;
    const uid = cached.metadata.uid ?? '';
    this.known.set(key, { uid, node });
    const pod = this.status.freshest(cached);

    let result;
    try {
      result = await node.syncer.sync(pod, this.options.inputs.inputsFor(pod, node.allocatable));
    } catch (error) {
      if (!(error instanceof RuntimeUnavailable)) throw error;
      node.runtimeFailed?.(error);
      ctx.log.debug('runtime does not answer; will look again', { error: errorMessage(error) });
      return requeueAfter(this.options.runtimeRetryMs ?? 5_000);
    }
    for (const event of result.events) this.options.recorder?.event(pod, event.type, event.reason, event.message);
    if (statusChanged(pod.status, result.status)) {
      const stillThere = await this.status.write(pod, result.status, ctx.signal);
      if (!stillThere) return;
    }
    if (pod.metadata.deletionTimestamp) return this.finishDeletion(ctx, pod, node);
    const resync = this.options.resyncMs ?? 60_000;
    return requeueAfter(Math.min(result.requeueAfterMs ?? resync, resync));
  }

  /** Once nothing of a deleted pod runs, removes it from the API for good (kubelet's final delete). */
  private async finishDeletion(ctx: ReconcileContext, pod: Pod, node: AgentNode): Promise<Result | void> {
    const uid = pod.metadata.uid ?? '';
    const observed = await node.syncer.observe(uid);
    const running = observed.containers.some((c) => c.state === 'running') || observed.sandboxes.some((s) => s.state === 'ready');
    if (running) return requeueAfter(1_000);
    try {
      await this.options.client.resource(kinds.Pod, pod.metadata.namespace).delete(pod.metadata.name!, {
        gracePeriodSeconds: 0,
        preconditions: { uid },
        signal: ctx.signal,
      });
    } catch (error) {
      // Gone already, or a new pod of the same name took its place: either way this one is done.
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  private async remove(key: string, known: Known): Promise<void> {
    await known.node.syncer.removePod(known.uid);
    this.known.delete(key);
    this.status.forget(key);
    this.options.onRemoved?.(known.node.name, known.uid);
  }

  /** The uids of the pods a node should hold now (for removing what no pod owns). */
  liveUids(node: string): Set<string> {
    return new Set(
      this.options.pods
        .list()
        .filter((p) => p.spec?.nodeName === node)
        .map((p) => p.metadata.uid ?? ''),
    );
  }

  /** The key of the pod with this uid: cached, or gone from the API but not yet cleaned up here. */
  keyOfUid(uid: string): string | undefined {
    const [pod] = this.options.pods.byIndex(uidIndex, uid);
    if (pod) return keyOf(pod);
    for (const [key, known] of this.known) if (known.uid === uid) return key;
    return undefined;
  }

  /** Keys of the cached pods of a node (to sync them all again, after the runtime came back). */
  keysOn(node: string): string[] {
    return this.options.pods
      .list()
      .filter((p) => p.spec?.nodeName === node)
      .map((p) => keyOf(p));
  }
}
