/**
 * What each node has committed: the summed requests of the live pods bound to it, against its
 * allocatable. `pods/binding` checks every bind against this and serializes binds per node, so
 * two schedulers racing, or one with a stale cache, can never over-commit a node.
 *
 *   pods watch ──► pod uid → (node, requests) ──► node → committed sum
 *   nodes watch ─► node → allocatable
 *   bind(pod, node): lock(node) ─► fits? ─► write spec.nodeName ─► commit ─► unlock
 */
import type { Obj } from '../api/object';
import { logger } from '../log';
import { CacheFollower, followCache } from './cache-follower';
import { addInto, podRequests, ResourceList, toResourceList } from '../util/quantity';
import type { Registry } from './registry';
import type { WatchCaches } from './services';
import type { ResourceStorage } from './storage';

const log = logger('node-commitments');

interface Commitment {
  node: string;
  requests: ResourceList;
}

function isLive(pod: Obj): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export class NodeCommitments {
  private readonly byPod = new Map<string, Commitment>();
  private readonly byNode = new Map<string, { requested: ResourceList; pods: number }>();
  private readonly allocatable = new Map<string, ResourceList>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly followers: CacheFollower[] = [];

  constructor(private readonly registry: Registry) {}

  async start(storage: ResourceStorage, caches: WatchCaches): Promise<void> {
    const nodes = this.registry.get('', 'v1', 'nodes')!;
    const pods = this.registry.get('', 'v1', 'pods')!;
    this.followers.push(
      await followCache({
        what: 'node allocatable',
        type: nodes,
        storage,
        cache: caches.for(nodes),
        replace: (items) => {
          this.allocatable.clear();
          for (const o of items) this.setNode(o);
        },
        apply: (type, o) => (type === 'DELETED' ? this.allocatable.delete(o.metadata.name!) : this.setNode(o)),
      }),
      await followCache({
        what: 'pod commitments',
        type: pods,
        storage,
        cache: caches.for(pods),
        replace: (items) => {
          this.byPod.clear();
          this.byNode.clear();
          for (const o of items) this.setPod(o);
        },
        apply: (type, o) => (type === 'DELETED' ? this.release(o.metadata.uid!) : this.setPod(o)),
      }),
    );
  }

  stop(): void {
    for (const f of this.followers) f.close();
  }

  /** Runs `fn` with no other bind to `node` in flight. */
  async withNode<T>(node: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(node) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(node, settled);
    void settled.then(() => {
      if (this.locks.get(node) === settled) this.locks.delete(node);
    });
    return run;
  }

  /** Whether this index has heard of `node` (and its allocatable) from the nodes watch. */
  knows(node: string): boolean {
    return this.allocatable.has(node);
  }

  /**
   * Why `pod` does not fit on `node` now (e.g. "Insufficient cpu"), or undefined when it fits.
   * `nodeObject` is the Node just read from the store, for a node the nodes watch has not
   * brought yet (created a moment ago): binds to it must not slip through uncounted. A node
   * whose allocatable is unknown either way accepts the bind, as upstream does.
   */
  misfit(node: string, pod: Obj, nodeObject?: Obj): string | undefined {
    const allocatable = nodeObject ? this.allocatableOf(nodeObject) : this.allocatable.get(node);
    if (!allocatable) return undefined;
    const requests = podRequests((pod.spec ?? {}) as Parameters<typeof podRequests>[0]);
    const used = this.byNode.get(node) ?? { requested: {}, pods: 0 };
    const reasons: string[] = [];
    if (allocatable.pods !== undefined && used.pods + 1 > allocatable.pods) reasons.push('Too many pods');
    for (const [resource, want] of Object.entries(requests)) {
      if (want <= 0) continue;
      const have = allocatable[resource] ?? 0;
      if ((used.requested[resource] ?? 0) + want > have) reasons.push(`Insufficient ${resource}`);
    }
    return reasons.length > 0 ? reasons.join(', ') : undefined;
  }

  /** Records a pod as bound (called right after a successful bind, before its watch event). */
  setPod(pod: Obj): void {
    const uid = pod.metadata.uid!;
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node || !isLive(pod)) {
      this.release(uid);
      return;
    }
    if (this.byPod.get(uid)?.node === node) return;
    this.release(uid);
    const requests = podRequests((pod.spec ?? {}) as Parameters<typeof podRequests>[0]);
    this.byPod.set(uid, { node, requests });
    const sum = this.byNode.get(node) ?? { requested: {}, pods: 0 };
    addInto(sum.requested, requests);
    sum.pods++;
    this.byNode.set(node, sum);
  }

  private release(uid: string): void {
    const c = this.byPod.get(uid);
    if (!c) return;
    this.byPod.delete(uid);
    const sum = this.byNode.get(c.node);
    if (!sum) return;
    for (const [k, v] of Object.entries(c.requests)) sum.requested[k] = (sum.requested[k] ?? 0) - v;
    sum.pods--;
  }

  private setNode(node: Obj): void {
    const allocatable = this.allocatableOf(node);
    if (allocatable) this.allocatable.set(node.metadata.name!, allocatable);
  }

  private allocatableOf(node: Obj): ResourceList | undefined {
    const status = (node.status ?? {}) as { allocatable?: Record<string, string>; capacity?: Record<string, string> };
    try {
      return toResourceList(status.allocatable ?? status.capacity);
    } catch (e) {
      log.warn('node reports a quantity that does not parse', { node: node.metadata.name, error: (e as Error).message });
      return undefined;
    }
  }
}
