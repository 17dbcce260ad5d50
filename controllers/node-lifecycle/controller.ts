/**
 * The node lifecycle controller, keyed by node name:
 *
 *   Lease renewed / Ready heartbeat ──► NodeHealth: last sign of life, by this controller's clock
 *   silent past nodeMonitorGracePeriod ──► conditions Unknown ("Kubelet stopped posting node status.")
 *   Ready not True ──► event NodeNotReady (on the transition), pods on it Ready=False (MarkPodsNotReady)
 *   conditions, cordon ──► taints (unreachable / not-ready NoSchedule + NoExecute, pressure, unschedulable)
 *   NoExecute taints ──► each pod on the node evicted when its toleration runs out
 *                        (event TaintManagerEviction, condition DisruptionTarget, then a delete);
 *                        its ReplicaSet replaces it, and placement puts the new pod elsewhere
 *
 * Level-based: every reconcile computes what the node and its pods should be from the caches and
 * closes the gap; it looks again when the node's grace period or a pod's toleration runs out.
 */
import type { ControllerSettings } from '..';
import { isNotFound } from '../../src/api/errors';
import type { Lease, Node, Pod, PodCondition, Taint } from '../../src/api/types';
import { ControllerDeclaration, ControllerTools, EventRecorder, Informer, kinds, ReconcileContext, Reconciler, requeueAfter, Result } from '../../src/client';
import { evictionTime } from './eviction';
import { desiredTaints, NodeHealth, readyStatus, sameTaints, silentNodeStatus, timestamp } from './health';

export const nodeLeaseNamespace = 'kube-node-lease';

type Settings = Pick<ControllerSettings, 'nodeMonitorGracePeriodMs' | 'podEvictionTimeoutMs' | 'now'>;

export interface NodeLifecycleParts {
  nodes: Informer<Node>;
  leases: Informer<Lease>;
  pods: Informer<Pod>;
  client: ControllerTools['client'];
  /** Events about nodes (component node-controller) and evictions (taint-eviction-controller). */
  nodeEvents: EventRecorder;
  evictionEvents: EventRecorder;
}

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class NodeLifecycleReconciler implements Reconciler {
  private readonly health = new NodeHealth();
  /** The Ready status each node had when last reconciled, so NodeNotReady is told once per transition. */
  private readonly lastReady = new Map<string, string | undefined>();
  /** When a NoExecute taint without timeAdded was first seen: `node key:effect` → ms. */
  private readonly taintSeen = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly parts: NodeLifecycleParts,
    private readonly settings: Settings,
  ) {
    this.now = settings.now ?? Date.now;
  }

  async reconcile(ctx: ReconcileContext, name: string): Promise<Result | void> {
    const cached = this.parts.nodes.get(name);
    if (!cached) {
      this.health.forget(name);
      this.lastReady.delete(name);
      for (const key of this.taintSeen.keys()) if (key.startsWith(`${name} `)) this.taintSeen.delete(key);
      return;
    }
    const now = this.now();
    const nodes = this.parts.client.resource(kinds.Node);
    let node = cached;

    const grace = this.settings.nodeMonitorGracePeriodMs;
    const lastSign = this.health.observe(node, this.parts.leases.get(`${nodeLeaseNamespace}/${name}`), now);
    const silent = now - lastSign > grace;
    if (silent) {
      const status = silentNodeStatus(node, now);
      if (status) {
        node = await nodes.updateStatus({ ...node, status }, { signal: ctx.signal });
        ctx.log.info('node stopped reporting; its conditions are now Unknown', { node: name, silentMs: now - lastSign });
      }
    }

    const ready = readyStatus(node);
    // A node first seen already not Ready (a restart of this controller) is no news.
    const before = this.lastReady.has(name) ? this.lastReady.get(name) : readyStatus(cached);
    if (ready !== 'True' && before === 'True') {
      this.parts.nodeEvents.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    if (ready !== 'True') await this.markPodsNotReady(ctx, name, now);
    this.lastReady.set(name, ready);

    const taints = desiredTaints(node, now);
    if (!sameTaints(taints, node.spec?.taints ?? [])) {
      node = await nodes.update({ ...node, spec: { ...node.spec, taints } }, { signal: ctx.signal });
      ctx.log.info('node taints changed', { node: name, taints: taints.map((t) => `${t.key}:${t.effect}`) });
    }

    const nextEviction = await this.evict(ctx, node, now);
    // A node already Unknown has nothing more to lose when its grace period runs out.
    const nextSilence = silent || ready === 'Unknown' ? undefined : lastSign + grace + 1;
    const next = [nextEviction, nextSilence].filter((t): t is number => t !== undefined);
    if (next.length > 0) return requeueAfter(Math.max(1, Math.min(...next) - now));
  }

  /** Upstream's MarkPodsNotReady: the pods of a node that is not Ready are not Ready either. */
  private async markPodsNotReady(ctx: ReconcileContext, name: string, now: number): Promise<void> {
    const pods = this.parts.client.resource(kinds.Pod);
    for (const pod of this.parts.pods.byIndex('nodeName', name)) {
      const conditions = pod.status?.conditions ?? [];
      const readyAt = conditions.findIndex((c) => c.type === 'Ready');
      if (readyAt < 0 || conditions[readyAt].status === 'False' || isTerminal(pod)) continue;
      const updated: PodCondition[] = [...conditions];
      updated[readyAt] = { ...conditions[readyAt], status: 'False', lastTransitionTime: timestamp(now) };
      try {
        await pods.updateStatus({ ...pod, status: { ...pod.status, conditions: updated } }, { signal: ctx.signal });
      } catch (e) {
        if (isNotFound(e)) continue;
        throw e;
      }
      this.parts.nodeEvents.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  /** Evicts the pods whose tolerations of the node's NoExecute taints ran out; returns when the next one does. */
  private async evict(ctx: ReconcileContext, node: Node, now: number): Promise<number | undefined> {
    const name = node.metadata.name ?? '';
    const noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    const seenKeys = new Set(noExecute.map((t) => `${name} ${t.key}:${t.effect}`));
    for (const key of this.taintSeen.keys()) if (key.startsWith(`${name} `) && !seenKeys.has(key)) this.taintSeen.delete(key);
    if (noExecute.length === 0) return undefined;
    const firstSeen = (taint: Taint): number => {
      const key = `${name} ${taint.key}:${taint.effect}`;
      if (!this.taintSeen.has(key)) this.taintSeen.set(key, now);
      return this.taintSeen.get(key)!;
    };
    let next: number | undefined;
    for (const pod of this.parts.pods.byIndex('nodeName', name)) {
      if (pod.metadata.deletionTimestamp || isTerminal(pod)) continue;
      const due = evictionTime(pod, noExecute, { podEvictionTimeoutMs: this.settings.podEvictionTimeoutMs, firstSeen });
      if (due === undefined) continue;
      if (due > now) {
        next = next === undefined ? due : Math.min(next, due);
        continue;
      }
      await this.evictPod(ctx, pod);
    }
    return next;
  }

  private async evictPod(ctx: ReconcileContext, pod: Pod): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    const pods = this.parts.client.resource(kinds.Pod, namespace);
    this.parts.evictionEvents.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    try {
      const condition: PodCondition = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
        lastTransitionTime: timestamp(this.now()),
      };
      await pods.patch(name!, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status', signal: ctx.signal });
      await pods.delete(name!, { preconditions: { uid }, signal: ctx.signal });
      ctx.log.info('pod evicted from a tainted node', { pod: `${namespace}/${name}`, node: pod.spec?.nodeName });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}

export function nodeLifecycleController(tools: ControllerTools, settings: Settings): ControllerDeclaration<Node> {
  const { informers } = tools;
  const parts: NodeLifecycleParts = {
    nodes: informers.for(kinds.Node),
    leases: informers.for(kinds.Lease, { namespace: nodeLeaseNamespace }),
    pods: informers.for(kinds.Pod),
    client: tools.client,
    nodeEvents: tools.recorder('node-controller'),
    evictionEvents: tools.recorder('taint-eviction-controller'),
  };
  return {
    name: 'node-lifecycle',
    for: kinds.Node,
    watches: [
      { kind: kinds.Lease, scope: { namespace: nodeLeaseNamespace }, map: (lease: Lease) => [lease.metadata.name ?? ''] },
      { kind: kinds.Pod, map: (pod: Pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) },
    ],
    workers: 4,
    reconciler: new NodeLifecycleReconciler(parts, settings),
  };
}
